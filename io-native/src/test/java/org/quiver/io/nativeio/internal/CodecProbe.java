package org.quiver.io.nativeio.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import org.quiver.io.Compression;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.StreamOptions;
import org.quiver.io.SequentialOutput;

/**
 * Run by {@link CodecLibraryLeftOutTest} in a JVM whose class path lacks one codec library: prints one line per
 * codec, {@code <CODEC> ok} after a round trip, or {@code <CODEC> unavailable: <reason>} and then
 * {@code <CODEC> refused: <message>} when opening a stream of it is refused, whether that left the caller's
 * Java streams open, and whether opening an existing file with it left the file intact. Anything else thrown ends the JVM with a stack trace and a non-zero status.
 */
public final class CodecProbe {

    private CodecProbe() {
    }

    /** A refused codec leaves the caller's Java streams open: they are still the caller's. */
    private static void callersStreamsStayOpen(Compression c) throws IOException {
        boolean[] closed = new boolean[2];
        InputStream in = new ByteArrayInputStream(new byte[10]) {
            @Override
            public void close() {
                closed[0] = true;
            }
        };
        OutputStream out = new ByteArrayOutputStream() {
            @Override
            public void close() {
                closed[1] = true;
            }
        };
        try (SequentialInput f = NativeFiles.openInput(in, c)) {
            System.out.println(c + " input opened although unavailable");
        } catch (IllegalStateException expected) {
            System.out.println(c + (closed[0] ? " closed" : " left open") + " the caller's input stream");
        }
        try (SequentialOutput f = NativeFiles.openOutput(out, c)) {
            System.out.println(c + " output opened although unavailable");
        } catch (IllegalStateException expected) {
            System.out.println(c + (closed[1] ? " closed" : " left open") + " the caller's output stream");
        }
    }

    /** An open call that may be refused. */
    private interface Open {
        NativeFile open() throws IOException;
    }

    /**
     * Opening an existing file for writing with an unavailable codec, by each path form and with the codec given
     * or taken from the extension, is refused before the file is opened: the file keeps its bytes. The file lies
     * in {@code java.io.tmpdir}, the test's temporary directory.
     */
    private static void existingFilesStayIntact(Compression c) throws IOException {
        Path file = Path.of(System.getProperty("java.io.tmpdir"), "precious" + c.extensions().get(0));
        Files.writeString(file, "precious");
        List<Open> opens = List.of(() -> NativeFiles.openOutput(file), () -> NativeFiles.openOutput(file, c),
                () -> NativeFiles.openOutput(file.toString()), () -> NativeFiles.openOutput(file.toString(), c),
                () -> NativeFiles.openOutput(file.toUri()), () -> NativeFiles.openOutput(file.toUri(), c),
                () -> NativeFiles.openInput(file), () -> NativeFiles.openInput(file.toString()),
                () -> NativeFiles.openInput(file.toUri()),
                () -> NativeFiles.openOutput(file, StreamOptions.detect().withBufferSize(10)),
                () -> NativeFiles.openOutput(file.toUri(), StreamOptions.of(c)),
                () -> QuiverFileSystem.local().openOutput(file.toString(), StreamOptions.detect()),
                () -> QuiverFileSystem.local().openAppend(file.toString(), StreamOptions.of(c)),
                () -> QuiverFileSystem.local().openInput(file.toString(), StreamOptions.detect()));
        boolean kept = true;
        for (Open open : opens) {
            try (NativeFile f = open.open()) {
                System.out.println(c + " opened " + file + " although unavailable: " + f);
            } catch (IllegalStateException expected) {
                kept &= Files.readString(file).equals("precious");
            }
        }
        System.out.println(c + (kept ? " kept the existing file" : " truncated the existing file"));
        Files.delete(file);
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
                try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(new ByteArrayOutputStream()), c)) {
                    System.out.println(c + " opened although unavailable");
                } catch (IllegalStateException e) {
                    System.out.println(c + " refused: " + e.getMessage());
                }
                callersStreamsStayOpen(c);
                existingFilesStayIntact(c);
                continue;
            }
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(sink), c)) {
                out.write(data);
            }
            try (SequentialInput in = NativeFiles.openInput(sink.toByteArray(), c)) {
                System.out.println(c + (Arrays.equals(data, in.readAll()) ? " ok" : " decoded wrong bytes"));
            }
        }
    }
}
