package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.DiskFullException;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.testing.RequiredBackend;

/**
 * The codecs: round trips, concatenation, levels, and hostile input (truncated at every kind of point,
 * bit-flipped, garbage). Every bad input must end in a {@link CorruptDataException} (or, for a format without
 * a checksum, in different bytes), within the timeout: never a hang, a crash or another exception type.
 */
class CompressionTest {

    @TempDir
    Path dir;

    /** Text-like data that compresses (so a stream has several blocks) but not trivially. */
    static byte[] sample(int n) {
        Random random = new Random(n);
        StringBuilder s = new StringBuilder();
        String[] words = {"arrow", "quiver", "buffer", "pool", "memory", "file", "stream", "zero-copy", "\n"};
        while (s.length() < n) {
            s.append(words[random.nextInt(words.length)]).append(' ').append(random.nextInt(1000));
        }
        return Arrays.copyOf(s.toString().getBytes(StandardCharsets.US_ASCII), n);
    }

    static byte[] compress(Compression c, byte[] data) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(sink), c)) {
            out.write(data);
        }
        return sink.toByteArray();
    }

    static byte[] decompress(Compression c, byte[] compressed) throws IOException {
        try (SequentialInput in = NativeFiles.openInput(compressed, c)) {
            return in.readAll();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void roundTripsSeveralMegabytes(Compression c) throws IOException {
        assertNull(c.unavailableReason());
        byte[] data = sample(6 << 20);
        byte[] compressed = compress(c, data);
        assertTrue(compressed.length < data.length / 2, c + " compressed to " + compressed.length);
        assertArrayEquals(data, decompress(c, compressed));
    }

    /** Pool buffers are native memory; a buffer over a Java array is not, and the native decoders take only native. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void readsIntoBuffersOverJavaArraysAndIntoPoolBuffers(Compression c) throws IOException {
        byte[] data = sample(300_000);
        byte[] compressed = compress(c, data);
        for (boolean pooled : new boolean[] {false, true}) {
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            try (SequentialInput in = NativeFiles.openInput(compressed, c);
                    org.quiver.memory.Buffer buffer = pooled ? org.quiver.memory.MemoryPool.defaultPool()
                            .allocate(100_000) : org.quiver.memory.Buffer.wrap(new byte[100_000])) {
                long n;
                while ((n = in.read(buffer, 10, 99_990)) > 0) {
                    try (org.quiver.memory.Buffer read = buffer.slice(10, n)) { // a slice holds the memory
                        out.write(read.toByteArray());
                    }
                }
            }
            assertArrayEquals(data, out.toByteArray(), c + (pooled ? " into a pool buffer" : " into a heap buffer"));
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "LZ4_FRAME", "BZ2", "SNAPPY"})
    void concatenatedStreamsReadWhole(Compression c) throws IOException {
        byte[] a = sample(100_000);
        byte[] b = "and the second part".getBytes(StandardCharsets.US_ASCII);
        byte[] both = concat(compress(c, a), compress(c, b));
        assertArrayEquals(concat(a, b), decompress(c, both), c + ": both members, like the command-line tool");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void truncatedDataIsReportedAtEveryCut(Compression c) throws IOException {
        byte[] data = sample(300_000);
        byte[] compressed = compress(c, data);
        for (int cut : new int[] {0, 1, 3, 10, compressed.length / 3, compressed.length / 2, compressed.length - 5,
                compressed.length - 1}) {
            byte[] part = Arrays.copyOf(compressed, cut);
            try {
                byte[] out = decompress(c, part);
                // a cut exactly between blocks of a format without an end marker decodes a prefix
                assertTrue(out.length < data.length && Arrays.equals(data, 0, out.length, out, 0, out.length),
                        c + " cut at " + cut + " of " + compressed.length + " decoded " + out.length + " bytes");
                assertTrue(c == Compression.SNAPPY && cut > 0, c + " must detect the cut at " + cut);
            } catch (CorruptDataException e) {
                assertTrue(e.getMessage().contains(c.pyarrowName()), e.getMessage());
                if (cut >= 10 && c != Compression.SNAPPY) { // shorter cuts may not even hold the magic number
                    assertTrue(e instanceof TruncatedDataException, c + " cut at " + cut + ": " + e);
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void bitFlipsAreCaughtOrAtLeastContained(Compression c) throws IOException {
        byte[] data = sample(200_000);
        byte[] compressed = compress(c, data);
        Random random = new Random(42);
        int caught = 0;
        for (int i = 0; i < 40; i++) {
            byte[] bad = compressed.clone();
            int at = i < 10 ? i : random.nextInt(bad.length); // the header first, then anywhere
            bad[at] ^= (byte) (1 << random.nextInt(8));
            try {
                byte[] out = decompress(c, bad);
                // decoded without error: the flip hit a field the format ignores (gzip's mtime, say) and the
                // bytes are right; only brotli, which has no checksum, may return other bytes
                if (c != Compression.BROTLI && !Arrays.equals(data, out)) {
                    fail(c + " decoded wrong bytes without error after a flip at " + at);
                }
            } catch (CorruptDataException e) {
                caught++;
                assertTrue(e.getMessage().contains(c.pyarrowName()) && e.getMessage().contains("compressed"),
                        e.getMessage());
            }
        }
        assertTrue(caught > 0, c + " caught none of 40 flips");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    @Timeout(value = 30, unit = TimeUnit.SECONDS)
    void garbageIsCorrupt(Compression c) {
        byte[] garbage = new byte[1 << 16];
        new Random(7).nextBytes(garbage);
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(c, garbage));
        assertEquals(c, e.compression());
    }

    /**
     * A valid brotli stream with a small window ({@code brotli -q 5 -w 10}: 17 bytes for 2,800) stalled
     * brotli4j's {@code BrotliInputStream}: it asked for more input after the decoder had taken in every byte, and
     * failed with "unexpected end of input" (found by fuzzing; the seed is in BrotliFuzzTestInputs). Read whole
     * and one byte at a time.
     */
    @Test
    void brotliStreamsWithSmallWindowsDecode() throws IOException {
        byte[] data = "abcd".repeat(70_000).getBytes(StandardCharsets.US_ASCII);
        for (int window : new int[] {10, 12, 16}) {
            for (int quality : new int[] {5, 11}) {
                byte[] compressed = com.aayushatharva.brotli4j.encoder.Encoder.compress(data,
                        new com.aayushatharva.brotli4j.encoder.Encoder.Parameters().setQuality(quality)
                                .setWindow(window));
                assertArrayEquals(data, decompress(Compression.BROTLI, compressed), "window " + window + " quality "
                        + quality);
                try (SequentialInput in = NativeFiles.decompressing(new OneByteInput(NativeFiles.openInput(compressed)),
                        Compression.BROTLI)) {
                    assertArrayEquals(data, in.readAll(), "one byte at a time: window " + window);
                }
            }
        }
    }

    /**
     * Bytes after the end of a brotli stream are corrupt data, as for the {@code brotli} tool, wherever the reads
     * of the source fall: they were refused when they came in the same read as the stream's end, and ignored when
     * they came in a later one (always, one byte at a time).
     */
    @Test
    void brotliRefusesDataAfterTheStreamWhereverItFalls() throws IOException {
        byte[] stream = compress(Compression.BROTLI, sample(1000));
        byte[] trailing = Arrays.copyOf(stream, stream.length + 3);
        assertThrows(CorruptDataException.class, () -> decompress(Compression.BROTLI, trailing));
        CorruptDataException oneByte = assertThrows(CorruptDataException.class, () -> {
            try (SequentialInput in = NativeFiles.decompressing(new OneByteInput(NativeFiles.openInput(trailing)),
                    Compression.BROTLI)) {
                in.readAll();
            }
        });
        assertTrue(oneByte.getMessage().contains("after the end"), oneByte.getMessage());
    }

    /**
     * A zstd frame that declares 2 bytes of content and holds an empty last block (13 bytes, found by fuzzing:
     * finding-zstd-content-size-empty-last-block in ZstdFuzzTestInputs). libzstd refuses it when the frame comes
     * in one read (its single-pass decoder checks the declared size, as {@code zstd -d} does on a small file), and
     * its streaming decoder, which does not check the size after an empty last block, reads it as empty. Either
     * way, no byte the frame does not hold is ever returned.
     */
    @Test
    void zstdNeverInventsContentAFrameDeclares() throws IOException {
        byte[] frame = java.util.HexFormat.of().parseHex("28b52ffd2402010000" + "99e9d851");
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decompress(Compression.ZSTD, frame));
        assertTrue(e.getMessage().contains("corruption"), e.getMessage());
        try (SequentialInput in = NativeFiles.decompressing(new OneByteInput(NativeFiles.openInput(frame)),
                Compression.ZSTD)) {
            assertEquals(0, in.readAll().length, "streamed, the frame's content is what its blocks hold");
        } catch (CorruptDataException refused) {
            assertEquals(Compression.ZSTD, refused.compression()); // what a libzstd that checks would do
        }
    }

    @Test
    void corruptFileNamesThePath() throws IOException {
        Path p = Files.write(dir.resolve("bad.gz"), "this is not gzip at all".getBytes(StandardCharsets.US_ASCII));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> {
            try (SequentialInput in = NativeFiles.openInput(p)) {
                in.readAll();
            }
        });
        assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().startsWith("gzip"), e.getMessage());
    }

    @Test
    void rawFileFailuresPassThroughUnchanged() throws IOException {
        try (SequentialOutput out = NativeFiles.compressing(OSFile.open(Path.of("/dev/full"), FileMode.WRITE),
                Compression.GZIP, 1)) {
            out.write(sample(1 << 20));
            assertThrows(DiskFullException.class, out::flush);
        } catch (DiskFullException expected) {
            // the trailer written by close hits the full device too
        }
    }

    @Test
    void levelsAreCheckedAndUsed() throws IOException {
        byte[] data = sample(1 << 20);
        assertTrue(compressAt(Compression.ZSTD, data, 19).length < compressAt(Compression.ZSTD, data, 1).length);
        assertTrue(compressAt(Compression.GZIP, data, 9).length < compressAt(Compression.GZIP, data, 1).length);
        assertTrue(compressAt(Compression.LZ4_FRAME, data, 12).length < compressAt(Compression.LZ4_FRAME, data, 1).length);
        for (Compression c : new Compression[] {Compression.GZIP, Compression.BZ2, Compression.BROTLI}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> NativeFiles.compressing(NativeFiles.wrap(new ByteArrayOutputStream()), c, 99));
            assertTrue(e.getMessage().contains("level=99"), e.getMessage());
        }
        assertThrows(IllegalArgumentException.class,
                () -> NativeFiles.compressing(NativeFiles.wrap(new ByteArrayOutputStream()), Compression.SNAPPY, 3));
    }

    private static byte[] compressAt(Compression c, byte[] data, int level) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(sink), c, level)) {
            out.write(data);
        }
        assertArrayEquals(data, decompress(c, sink.toByteArray()));
        return sink.toByteArray();
    }

    @Test
    void namesAndExtensions() {
        assertEquals(Compression.GZIP, Compression.forPath("a/b.csv.gz"));
        assertEquals(Compression.ZSTD, Compression.forPath("X.ZST"));
        assertEquals(Compression.LZ4_FRAME, Compression.forPath("hdfs://nn:8020/x.lz4"));
        assertEquals(Compression.BZ2, Compression.forPath("x.bz2"));
        assertEquals(Compression.BROTLI, Compression.forPath("x.br"));
        assertEquals(Compression.SNAPPY, Compression.forPath("x.sz"));
        assertEquals(Compression.NONE, Compression.forPath("x.csv"));
        assertEquals(Compression.BZ2, Compression.byName("bz2"));
        assertEquals(Compression.LZ4_FRAME, Compression.byName("lz4"));
        assertEquals(Compression.GZIP, Compression.byName(".gz"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Compression.byName("rar"));
        assertTrue(e.getMessage().contains("gzip") && e.getMessage().contains("rar"), e.getMessage());
    }

    // ---- the command-line tools -------------------------------------------------------------------------------

    private static final String[][] TOOLS = {
        {"GZIP", "gzip", "gzip", ".gz"},
        {"ZSTD", "zstd", "zstd", ".zst"},
        {"LZ4_FRAME", "lz4", "lz4", ".lz4"},
        {"BZ2", "bzip2", "bzip2", ".bz2"},
        {"BROTLI", "brotli", "brotli", ".br"},
    };

    static String[] tool(Compression c) {
        for (String[] t : TOOLS) {
            if (t[0].equals(c.name())) {
                RequiredBackend.requireFile(Path.of("/usr/bin/" + t[1]), t[2]);
                return t;
            }
        }
        throw new AssertionError(c.name());
    }

    /** Runs {@code command} in {@code workDir} with its standard output going to {@code output}. */
    static void run(Path workDir, String output, String... command) throws IOException, InterruptedException {
        Path errors = workDir.resolve("stderr.txt");
        Process p = new ProcessBuilder(command).directory(workDir.toFile())
                .redirectOutput(workDir.resolve(output).toFile()).redirectError(errors.toFile()).start();
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "timed out: " + String.join(" ", command));
        assertEquals(0, p.exitValue(), String.join(" ", command) + ": " + Files.readString(errors));
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "LZ4_FRAME", "BZ2", "BROTLI"})
    void theToolDecodesWhatTheStreamWrote(Compression c) throws Exception {
        String[] t = tool(c);
        byte[] data = sample(3 << 20);
        Path compressed = dir.resolve("ours" + t[3]);
        try (SequentialOutput out = NativeFiles.openOutput(compressed)) { // compression chosen by the extension
            out.write(data);
        }
        run(dir, "decoded-" + c, t[1], "-d", "-c", compressed.getFileName().toString());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("decoded-" + c)), t[1] + " -d");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "LZ4_FRAME", "BZ2", "BROTLI"})
    void theStreamDecodesWhatTheToolWrote(Compression c) throws Exception {
        String[] t = tool(c);
        byte[] data = sample(3 << 20);
        Path plain = Files.write(dir.resolve("plain-" + c), data);
        String name = "theirs-" + c + t[3];
        run(dir, name, t[1], "-c", plain.getFileName().toString());
        try (SequentialInput in = NativeFiles.openInput(dir.resolve(name))) {
            assertArrayEquals(data, in.readAll(), "read back what " + t[1] + " wrote");
        }
        if (c == Compression.GZIP || c == Compression.BZ2 || c == Compression.ZSTD || c == Compression.LZ4_FRAME) {
            // the tools concatenate by appending; so do their multi-file outputs
            Path second = Files.write(dir.resolve("second-" + c), "tail".getBytes(StandardCharsets.US_ASCII));
            run(dir, "tail" + t[3], t[1], "-c", second.getFileName().toString());
            Files.write(dir.resolve(name), Files.readAllBytes(dir.resolve("tail" + t[3])),
                    java.nio.file.StandardOpenOption.APPEND);
            try (SequentialInput in = NativeFiles.openInput(dir.resolve(name))) {
                assertArrayEquals(concat(data, "tail".getBytes(StandardCharsets.US_ASCII)), in.readAll());
            }
        }
    }

    static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
