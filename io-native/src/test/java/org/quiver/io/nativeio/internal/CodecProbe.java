package org.quiver.io.nativeio.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Arrays;

import org.quiver.io.Compression;
import org.quiver.io.InputFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OutputFile;

/**
 * Run by {@link CodecLibraryLeftOutTest} in a JVM whose class path lacks one codec library: prints one line per
 * codec, {@code <CODEC> ok} after a round trip, or {@code <CODEC> unavailable: <reason>} and then
 * {@code <CODEC> refused: <message>} when opening a stream of it is refused. Anything else thrown ends the JVM
 * with a stack trace and a non-zero status.
 */
public final class CodecProbe {

    private CodecProbe() {
    }

    public static void main(String[] args) throws IOException {
        byte[] data = CompressionTest.sample(100_000);
        for (Compression c : Compression.values()) {
            if (c == Compression.NONE) {
                continue;
            }
            String reason = c.unavailableReason();
            if (reason != null) {
                System.out.println(c + " unavailable: " + reason);
                try (OutputFile out = NativeFiles.compressing(NativeFiles.wrap(new ByteArrayOutputStream()), c)) {
                    System.out.println(c + " opened although unavailable");
                } catch (IllegalStateException e) {
                    System.out.println(c + " refused: " + e.getMessage());
                }
                continue;
            }
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (OutputFile out = NativeFiles.compressing(NativeFiles.wrap(sink), c)) {
                out.write(data);
            }
            try (InputFile in = NativeFiles.inputStream(sink.toByteArray(), c)) {
                System.out.println(c + (Arrays.equals(data, in.readAll()) ? " ok" : " decoded wrong bytes"));
            }
        }
    }
}
