package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Arrays;

import org.quiver.io.BufferInput;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * A fuzz target for one decoder: the input is the compressed stream, read through
 * {@link NativeFiles#openInput(byte[], Compression)} as a user reads a file. Every input must end in decoded
 * bytes or in a {@link CorruptDataException} (a {@link org.quiver.io.TruncatedDataException} when the input stops
 * inside a frame) that names the codec and an offset inside the input: any other exception, an error, a hang
 * (libFuzzer's {@code -timeout}) or a crash is a finding. A decoder failure that Quiver's own code raised as a
 * {@link RuntimeException} (an index out of bounds in {@link Lz4FrameDecoder}, say) is a finding too, although
 * {@link CompressedInput} reports it as corrupt data.
 *
 * <p>A decoder must also be consistent. Each input is decoded twice, from the whole array and from a source that
 * hands out one byte per read ({@link OneByteInput}), and both must end alike: the same bytes, or both refused (a
 * decoder that assumes a read fills its buffer, or that looks for the end of its stream only in the bytes it has
 * at hand, differs here). When the whole output fits in {@link #ROUND_TRIP_LIMIT}, it is compressed again with
 * Quiver's encoder and must decode to the same bytes.
 *
 * <p>The committed corpus of each target lies in {@code <TargetClass>Inputs/decode/} beside it (small files
 * written by the command-line tools and by Quiver's encoders, and the inputs of past findings); see
 * {@code docs/reliability.md} for how CI and {@code bin/fuzz} run the targets.
 */
abstract class DecoderFuzzTarget {

    /**
     * Decoded bytes read from one input at most. A few hundred bytes of bzip2 or zstd legally expand to gigabytes,
     * so reading stops here: that bounds one input's time and memory, not the decoder's.
     */
    static final int MAX_OUTPUT = 1 << 20;

    /** Decoded sizes up to which a successful decode is compressed again and decoded once more. */
    static final int ROUND_TRIP_LIMIT = 64 << 10;

    private static final int CHUNK = 16 << 10;

    /** The codec under test. */
    abstract Compression compression();

    /**
     * The size of the reads the one-byte read is compared with: the whole input by default. See
     * {@link ZstdFuzzTest} for why zstd compares two small sizes.
     */
    int comparedReadSize() {
        return Integer.MAX_VALUE;
    }

    @FuzzTest(maxDuration = "30s")
    void decode(byte[] input) throws IOException {
        decodeChecked(compression(), input, comparedReadSize());
    }

    /**
     * Decodes {@code input} and checks the outcome.
     *
     * @return the decoded bytes, {@code null} for input refused as corrupt, or the first {@link #MAX_OUTPUT}
     *         bytes of a larger output
     */
    static byte[] decodeChecked(Compression compression, byte[] input, int readSize) throws IOException {
        Outcome whole = decode(compression, input, readSize);
        Outcome oneByte = decode(compression, input, 1);
        String both = compression + " read " + (readSize == Integer.MAX_VALUE ? "whole" : readSize + " bytes at a time")
                + ": " + whole + "; one byte at a time: " + oneByte;
        if (whole.read() != null && oneByte.read() != null) {
            Read a = whole.read();
            Read b = oneByte.read();
            if (a.whole() && b.whole()) {
                assertArrayEquals(a.bytes(), b.bytes(), both);
            } else {
                int n = Math.min(a.bytes().length, b.bytes().length);
                assertTrue(Arrays.equals(a.bytes(), 0, n, b.bytes(), 0, n), both);
                assertTrue(a.whole() ? a.bytes().length >= MAX_OUTPUT : b.whole() ? b.bytes().length >= MAX_OUTPUT
                        : true, both);
            }
        } else if (whole.read() != null || oneByte.read() != null) {
            Read decoded = whole.read() != null ? whole.read() : oneByte.read();
            // a refusal after the first MAX_OUTPUT bytes is beyond what the other read looked at
            assertTrue(!decoded.whole(), both);
        } else {
            assertEquals(whole.refusal().getClass(), oneByte.refusal().getClass(), both);
        }
        Read read = whole.read();
        if (read == null) {
            return null;
        }
        if (read.whole() && read.bytes().length <= ROUND_TRIP_LIMIT) {
            byte[] again = compressFast(compression, read.bytes());
            try (SequentialInput in = NativeFiles.openInput(again, compression)) {
                assertArrayEquals(read.bytes(), in.readAll(), compression + ": our encoder's stream of what was"
                        + " decoded decodes to other bytes");
            }
        }
        return read.bytes();
    }

    /** How one decoding ended: what it read, or why it refused the input. */
    record Outcome(Read read, CorruptDataException refusal) {
        @Override
        public String toString() {
            return read != null ? read.bytes().length + " bytes" + (read.whole() ? "" : " (and more)")
                    : String.valueOf(refusal);
        }
    }

    /** Decodes {@code input} read {@code readSize} bytes at a time at most. */
    private static Outcome decode(Compression compression, byte[] input, int readSize) throws IOException {
        try (SequentialInput in = readSize == 1
                ? NativeFiles.decompressing(new OneByteInput(BufferInput.of(input)), compression)
                : readSize == Integer.MAX_VALUE ? NativeFiles.openInput(input, compression)
                : NativeFiles.openInput(new FilterInputStream(new ByteArrayInputStream(input)) {
                    @Override
                    public int read(byte[] b, int off, int len) throws IOException {
                        return super.read(b, off, Math.min(len, readSize));
                    }
                }, compression)) {
            return new Outcome(read(in), null);
        } catch (CorruptDataException e) {
            checkRefusal(compression, input, e);
            return new Outcome(null, e);
        }
    }

    /**
     * {@code data} compressed at the codec's fastest level: bzip2's default (900 kB blocks) and brotli's would make
     * the check cost more than the decoding it checks.
     */
    private static byte[] compressFast(Compression compression, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int level = switch (compression) {
            case BROTLI -> 0;
            case SNAPPY -> NativeFiles.DEFAULT_LEVEL;
            default -> 1;
        };
        try (OutputStream encoder = Codecs.encoder(compression, out, level)) {
            encoder.write(data);
        }
        return out.toByteArray();
    }

    /** What {@link #read} got: the bytes, and whether they are all the file had. */
    record Read(byte[] bytes, boolean whole) {
    }

    /** Reads {@code in} to its end or to {@link #MAX_OUTPUT} bytes, checking what each read returns. */
    static Read read(SequentialInput in) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] chunk = new byte[CHUNK];
        while (out.size() < MAX_OUTPUT) {
            int r = in.read(chunk, 0, chunk.length);
            if (r < 0) {
                return new Read(out.toByteArray(), true);
            }
            assertTrue(r > 0 && r <= chunk.length, "read returned " + r + " for " + chunk.length + " bytes");
            out.write(chunk, 0, r);
        }
        return new Read(out.toByteArray(), false);
    }

    /** A refusal must name the codec and an offset inside the input, and hide no bug of Quiver's own. */
    static void checkRefusal(Compression compression, byte[] input, CorruptDataException e) {
        assertEquals(compression, e.compression(), "the exception names another codec: " + e);
        assertNotNull(e.getMessage());
        assertTrue(e.getMessage().startsWith(compression.pyarrowName()), e.getMessage());
        long offset = e.compressedOffset();
        assertTrue(offset >= -1 && offset <= input.length, "compressed offset " + offset + " outside the "
                + input.length + " bytes of input: " + e.getMessage());
        for (Throwable t = e.getCause(); t != null; t = t.getCause()) {
            if (t instanceof RuntimeException && raisedByQuiver(t)) {
                fail(compression + ": Quiver's own code failed with " + t + " (reported as " + e.getMessage() + ")",
                        t);
            }
        }
    }

    /** Whether the first frame outside the JDK that raised {@code t} is Quiver's. */
    private static boolean raisedByQuiver(Throwable t) {
        for (StackTraceElement frame : t.getStackTrace()) {
            String c = frame.getClassName();
            if (c.startsWith("java.") || c.startsWith("jdk.") || c.startsWith("sun.")) {
                continue;
            }
            return c.startsWith("org.quiver.");
        }
        return false;
    }
}
