package org.quiver.io.nativeio.internal;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;

import org.quiver.io.Compression;

/**
 * Writes the seed corpus of the fuzz targets ({@code bin/fuzz seeds} runs it): small valid streams of each format
 * written by the command-line tools ({@code gzip}, {@code zstd}, {@code lz4}, {@code bzip2}, {@code brotli}, with
 * the options that change the container: levels, linked and checksummed lz4 blocks, the legacy lz4 format, small
 * brotli windows, concatenated members) and by Quiver's encoders, a few corrupt ones (cut short, a byte flipped,
 * garbage), and short programs for the structured targets. Every file is below libFuzzer's default maximum input
 * of 4096 bytes, and the output is the same on every run (gzip without name and time).
 *
 * <p>Arguments: the test resource directory of this package, and a scratch directory for the tools' files. Seeds
 * named {@code finding-*} (inputs of past findings) are never touched.
 */
public final class FuzzSeeds {

    private final Path resources;
    private final Path work;

    private FuzzSeeds(Path resources, Path work) {
        this.resources = resources;
        this.work = work;
    }

    public static void main(String[] args) throws Exception {
        if (args.length != 2) {
            throw new IllegalArgumentException("usage: FuzzSeeds <test resource dir of the package> <scratch dir>");
        }
        FuzzSeeds seeds = new FuzzSeeds(Path.of(args[0]), Files.createDirectories(Path.of(args[1])));
        seeds.decoders();
        seeds.detection();
        seeds.buffers();
        seeds.fileSystem();
    }

    // ---- data ----------------------------------------------------------------------------------------------

    static final byte[] TEXT = CompressionTest.sample(1000);
    static final byte[] SHORT = CompressionTest.sample(120);
    static final byte[] REPETITIVE = "abcd".repeat(700).getBytes(StandardCharsets.US_ASCII);
    static final byte[] BINARY = new byte[300];

    static {
        new Random(14).nextBytes(BINARY);
    }

    // ---- writing -------------------------------------------------------------------------------------------

    private void write(String target, String method, String name, byte[] bytes) throws IOException {
        if (bytes.length > 4096) {
            throw new IllegalStateException(target + "/" + name + " is " + bytes.length + " bytes, above 4096");
        }
        Path dir = Files.createDirectories(resources.resolve(target + "Inputs").resolve(method));
        Files.write(dir.resolve(name), bytes);
    }

    /** Runs {@code tool} with {@code options} on {@code data} and returns its standard output. */
    private byte[] tool(byte[] data, String... command) throws IOException, InterruptedException {
        Path in = Files.write(work.resolve("in"), data);
        Path out = work.resolve("out");
        List<String> line = new ArrayList<>(Arrays.asList(command));
        line.add(in.toString());
        Process p = new ProcessBuilder(line).redirectOutput(out.toFile()).redirectError(ProcessBuilder.Redirect.INHERIT)
                .start();
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            p.destroyForcibly();
            throw new IOException(String.join(" ", line) + " failed");
        }
        return Files.readAllBytes(out);
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    private static byte[] cut(byte[] bytes) {
        return Arrays.copyOf(bytes, bytes.length / 2);
    }

    private static byte[] flipped(byte[] bytes, int at) {
        byte[] out = bytes.clone();
        out[Math.floorMod(at, out.length)] ^= 0x10;
        return out;
    }

    // ---- decoders ------------------------------------------------------------------------------------------

    private void decoder(String target, Compression c, List<Object> named) throws IOException {
        for (int i = 0; i < named.size(); i += 2) {
            write(target, "decode", (String) named.get(i), (byte[]) named.get(i + 1));
        }
        byte[] ours = ReferenceCodecs.compress(c, TEXT);
        write(target, "decode", "quiver-text", ours);
        write(target, "decode", "quiver-binary", ReferenceCodecs.compress(c, BINARY));
        write(target, "decode", "quiver-repetitive", ReferenceCodecs.compress(c, REPETITIVE));
        write(target, "decode", "quiver-empty", ReferenceCodecs.compress(c, new byte[0]));
        // brotli has no framing: a second stream after the first is data after the end, which is corrupt
        write(target, "decode", c == Compression.BROTLI ? "corrupt-two-streams" : "quiver-two-streams",
                concat(ReferenceCodecs.compress(c, SHORT), ReferenceCodecs.compress(c, SHORT)));
        write(target, "decode", "corrupt-cut", cut(ours));
        write(target, "decode", "corrupt-flipped-middle", flipped(ours, ours.length / 2));
        write(target, "decode", "corrupt-flipped-end", flipped(ours, -3));
        write(target, "decode", "corrupt-garbage", Arrays.copyOf(BINARY, 64));
    }

    private void decoders() throws IOException, InterruptedException {
        decoder("GzipFuzzTest", Compression.GZIP, List.of(
                "gzip-text", tool(TEXT, "gzip", "-n", "-c"),
                "gzip-1-binary", tool(BINARY, "gzip", "-n", "-1", "-c"),
                "gzip-9-repetitive", tool(REPETITIVE, "gzip", "-n", "-9", "-c"),
                "gzip-empty", tool(new byte[0], "gzip", "-n", "-c"),
                "gzip-two-members", concat(tool(SHORT, "gzip", "-n", "-c"), tool(SHORT, "gzip", "-n", "-c"))));
        decoder("ZstdFuzzTest", Compression.ZSTD, List.of(
                "zstd-text", tool(TEXT, "zstd", "-q", "-c"),
                "zstd-19-repetitive", tool(REPETITIVE, "zstd", "-q", "-19", "-c"),
                "zstd-no-check-binary", tool(BINARY, "zstd", "-q", "--no-check", "-c"),
                "zstd-empty", tool(new byte[0], "zstd", "-q", "-c"),
                "zstd-two-frames", concat(tool(SHORT, "zstd", "-q", "-c"), tool(SHORT, "zstd", "-q", "-c"))));
        decoder("Lz4FuzzTest", Compression.LZ4_FRAME, List.of(
                "lz4-text", tool(TEXT, "lz4", "-q", "-c"),
                "lz4-linked-small-blocks", tool(REPETITIVE, "lz4", "-q", "-BD", "-B64", "-c"),
                "lz4-block-checksum", tool(TEXT, "lz4", "-q", "-BX", "-c"),
                "lz4-content-size", tool(SHORT, "lz4", "-q", "--content-size", "-c"),
                "lz4-no-frame-crc", tool(BINARY, "lz4", "-q", "--no-frame-crc", "-c"),
                "lz4-legacy", tool(TEXT, "lz4", "-q", "-l", "-c"),
                "lz4-empty", tool(new byte[0], "lz4", "-q", "-c"),
                "lz4-skippable-then-frame", concat(skippableFrame(), tool(SHORT, "lz4", "-q", "-c")),
                "lz4-two-frames", concat(tool(SHORT, "lz4", "-q", "-c"), tool(SHORT, "lz4", "-q", "-BD", "-c"))));
        decoder("Bzip2FuzzTest", Compression.BZ2, List.of(
                "bzip2-text", tool(TEXT, "bzip2", "-c"),
                "bzip2-1-binary", tool(BINARY, "bzip2", "-1", "-c"),
                "bzip2-repetitive", tool(REPETITIVE, "bzip2", "-c"),
                "bzip2-empty", tool(new byte[0], "bzip2", "-c"),
                "bzip2-two-streams", concat(tool(SHORT, "bzip2", "-c"), tool(SHORT, "bzip2", "-c"))));
        decoder("BrotliFuzzTest", Compression.BROTLI, List.of(
                "brotli-text", tool(TEXT, "brotli", "-c"),
                "brotli-0-binary", tool(BINARY, "brotli", "-q", "0", "-c"),
                "brotli-5-window-10-repetitive", tool(REPETITIVE, "brotli", "-q", "5", "-w", "10", "-c"),
                "brotli-empty", tool(new byte[0], "brotli", "-c")));
        decoder("SnappyFuzzTest", Compression.SNAPPY, List.of(
                "snappy-identifier-only", Arrays.copyOf(ReferenceCodecs.compress(Compression.SNAPPY, new byte[0]), 10),
                "snappy-padding-then-stream", concat(Arrays.copyOf(ReferenceCodecs.compress(Compression.SNAPPY, SHORT), 10),
                        new byte[] {(byte) 0xFE, 3, 0, 0, 0, 0, 0}, Arrays.copyOfRange(
                                ReferenceCodecs.compress(Compression.SNAPPY, SHORT), 10,
                                ReferenceCodecs.compress(Compression.SNAPPY, SHORT).length))));
    }

    /** An LZ4 skippable frame (magic 0x184D2A5x, a length, that many bytes). */
    private static byte[] skippableFrame() {
        return new byte[] {0x53, 0x2A, 0x4D, 0x18, 3, 0, 0, 0, 'a', 'b', 'c'};
    }

    // ---- NativeFiles.openInput ---------------------------------------------------------------------------

    private void detection() throws IOException, InterruptedException {
        String[] names = {"data.csv.gz", "DATA.GZ", "x.gzip", "events.json.zst", "x.ZSTD", "log.lz4", "dump.bz2",
            "page.html.br", "frames.sz", "archive.tar.gz", "plain.txt", "x.gz.bak", ".gz", "no extension",
            "caf\u00e9 menu.gz", "a%20b#c?.zst", "x.br "};
        for (int i = 0; i < names.length; i++) {
            byte[] name = names[i].getBytes(StandardCharsets.UTF_8);
            for (int content = 0; content < 4; content++) {
                ByteArrayOutputStream seed = new ByteArrayOutputStream();
                seed.write(i % 6); // the form
                seed.write(name.length);
                seed.writeBytes(name);
                seed.write(content);
                if (content >= 2) {
                    seed.write(37 + i);
                    seed.write(0);
                    if (content == 3) {
                        seed.write(0x40);
                    }
                }
                seed.writeBytes(content == 0 && names[i].endsWith(".gz") ? tool(SHORT, "gzip", "-n", "-c") : SHORT);
                write("DetectionFuzzTest", "openByName", String.format("%02d-%s-%d", i, names[i]
                        .replaceAll("[^A-Za-z0-9.]", "_"), content), seed.toByteArray());
            }
        }
    }

    // ---- Buffer --------------------------------------------------------------------------------------------

    /** A program for {@link BufferFuzzTest}: bytes in the order its operations read them. */
    static final class Program {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();

        /** @param flags bit 0: a capped pool; the rest: the close-safety level (0 the default, 1 none, 2 all) */
        Program(int backend, int flags, int limit) {
            bytes(backend, flags, limit);
        }

        Program bytes(int... values) {
            for (int v : values) {
                out.write(v);
            }
            return this;
        }

        Program u16(int v) {
            return bytes(v & 0xFF, (v >>> 8) & 0xFF);
        }

        /** allocate: a size of class 10 (two bytes), the default alignment. */
        Program allocate(int size) {
            return bytes(0, 10).u16(size).bytes(17);
        }

        /** allocate 1 MiB and more, with an alignment of 2^log2. */
        Program allocateLarge(int sixteens, int log2) {
            return bytes(0, 14).u16(sixteens).bytes(log2);
        }

        /** Eight bytes, little endian, as {@link FuzzInput#i64()} reads them. */
        Program i64(long v) {
            return u16((int) v).u16((int) (v >>> 16)).u16((int) (v >>> 32)).u16((int) (v >>> 48));
        }

        /** An index operand in range: {@code value % (size + 9)}. */
        Program index(int value) {
            return bytes(0).u16(value);
        }

        byte[] toByteArray() {
            return out.toByteArray();
        }
    }

    private void buffers() throws IOException {
        for (int backend = 0; backend < 3; backend++) {
            Program p = new Program(backend, 0, 0)
                    .allocate(100)
                    .bytes(9, 0, 2).index(8).bytes(1, 2, 3, 4, 5, 6, 7, 8) // setLong(8) of buffer 0
                    .bytes(5, 0, 1).index(4).index(50) // slice(4, 50) of buffer 0
                    .bytes(6, 0, 1).index(10).index(20) // mutableSlice(10, 20)
                    .bytes(11, 2).index(0).bytes(4, 9, 9, 9, 9).u16(4).index(0).index(4) // put into it
                    .bytes(14, 0, 1, 4).u16(300).bytes(1, 1) // resize: refused, slices are open
                    .bytes(17, 1, 0).bytes(17, 2, 1) // close both slices (the second twice)
                    .bytes(14, 0, 1, 4).u16(300).bytes(1, 1) // resize: grows now
                    .bytes(1, 0).index(0).index(64) // copy(0, 64)
                    .bytes(12, 3, 0).index(0).index(0).index(64) // put the copy back
                    .bytes(19, 0).bytes(20, 0, 1).u16(5).bytes(7).bytes(20, 0, 0) // retained segment, written, closed
                    .bytes(17, 0, 0) // close buffer 0
                    .bytes(8, 0, 0).index(0) // use after close
                    .bytes(18, 1, 2, 0); // equals of the copy and buffer 0 (closed)
            write("BufferFuzzTest", "operations", "seed-script-" + BufferFuzzTest.BACKENDS.get(backend),
                    p.toByteArray());
            Program large = new Program(backend, 0, 0)
                    .allocateLarge(100, 12)
                    .bytes(13, 0, 0x5A) // fill
                    .bytes(14, 0, 1, 3).u16(20000).bytes(0, 0) // resize larger, not shrinking
                    .bytes(15, 0, 1, 3).u16(40000) // reserve
                    .bytes(16, 0, 4).u16(10) // reallocate to 10 bytes
                    .bytes(18, 0, 7);
            write("BufferFuzzTest", "operations", "seed-large-" + BufferFuzzTest.BACKENDS.get(backend),
                    large.toByteArray());
        }
        Program values = new Program(0, 0, 0)
                .allocate(40)
                .bytes(21, 0, 2, 1, 2).index(3).i64(0x81828384L) // setInt(3, .., BIG_ENDIAN)
                .bytes(21, 0, 8, 2).index(3).i64(0) // getUnsignedInt(3, BIG_ENDIAN)
                .bytes(21, 0, 4, 0, 1).index(3).i64(0) // getFloat(3, LITTLE_ENDIAN)
                .bytes(21, 0, 5, 1, 0).index(32).i64(Double.doubleToRawLongBits(Math.PI)) // setDouble(32, pi)
                .bytes(21, 0, 3, 0, 2).index(33).i64(0) // getLong(33, BIG_ENDIAN): past the end
                .bytes(22, 0, 2, 1, 2).index(8).index(4).bytes(1, 0).bytes(1, 0).i64(0x0123456789ABCDEFL) // put int[4]
                .bytes(22, 0, 5, 0, 0).index(16).index(2).bytes(1, 1).bytes(1, 1).i64(0) // get 2 doubles into [1..3)
                .bytes(22, 0, 7, 0).index(4).index(8).bytes(1, 2).bytes(1, 2).i64(0) // get into a direct byte buffer
                .bytes(22, 0, 0, 1, 1).index(0).index(28).bytes(1, 0).bytes(1, 0).i64(7) // put short[28]: too long
                .bytes(5, 0, 1).index(0).index(16) // a read-only slice
                .bytes(21, 1, 0, 1, 0).index(0).i64(1) // setShort on it: refused
                .bytes(17, 0, 0) // close buffer 0
                .bytes(21, 0, 6, 0).index(0).i64(0); // getUnsignedByte after close
        write("BufferFuzzTest", "operations", "seed-values", values.toByteArray());
        Program capped = new Program(0, 1, 2) // a limit of 32 KiB
                .allocate(20000).allocate(20000) // the second is refused
                .bytes(14, 0, 1, 4).u16(40000).bytes(1, 1); // so is growing the first past the limit
        write("BufferFuzzTest", "operations", "seed-capped", capped.toByteArray());
        Program wrapped = new Program(0, 0, 0)
                .bytes(2, 8, 1, 2, 3, 4, 5, 6, 7, 8, 8, 0).index(2).index(4) // wrap(byte[8], 2, 4)
                .bytes(3, 1, 4, 10, 20, 30, 40, 4, 1) // a direct byte buffer from position 1
                .bytes(4, 2, 3, 7, 7, 7, 3) // a segment with a release callback
                .bytes(5, 2, 1).index(1).index(2) // slice of the segment's buffer
                .bytes(18, 0, 5).bytes(18, 1, 5) // addresses: heap refuses
                .bytes(17, 2, 0).bytes(17, 3, 0); // close: the release runs once
        write("BufferFuzzTest", "operations", "seed-wrapped", wrapped.toByteArray());
        for (int backend = 0; backend < 3; backend++) {
            Program guarded = new Program(backend, 4, 0) // every block guarded
                    .allocate(100)
                    .bytes(6, 0, 1).index(8).index(16) // a mutable slice
                    .bytes(18, 1, 4).bytes(18, 0, 3, 5, 9) // unchecked views: a segment of the slice, a byte buffer
                    .bytes(17, 0, 0).bytes(17, 1, 0); // the last close: both views must throw now
            write("BufferFuzzTest", "operations", "seed-guarded-views-" + BufferFuzzTest.BACKENDS.get(backend),
                    guarded.toByteArray());
        }
    }

    // ---- QuiverFileSystem ----------------------------------------------------------------------------------------

    /** One path operand for {@link FileSystemFuzzTest}: form, then the rest after the sandbox. */
    private static void path(ByteArrayOutputStream out, int form, String rest) {
        byte[] r = rest.getBytes(StandardCharsets.UTF_8);
        out.write(form);
        out.write(r.length);
        out.writeBytes(r);
    }

    private void fileSystem() throws IOException {
        Object[][] programs = {
            {"seed-info-list", new Object[] {0, 0, "a/b.txt"}, new Object[] {1, 1, "a", 0, 1, 2},
                new Object[] {12, 2, "a%20b/../c.gz"}},
            {"seed-create-delete", new Object[] {2, 0, "new/deeper", 1}, new Object[] {4, 3, "new", 0},
                new Object[] {3, 4, "new"}, new Object[] {5, 0, "c.gz"}},
            {"seed-copy-move", new Object[] {7, 0, "a/b.txt", 0, "copy.txt"},
                new Object[] {6, 1, "copy.txt", 2, "d/moved.txt"}, new Object[] {8, 0, "d/moved.txt"}},
            {"seed-special", new Object[] {8, 0, "fifo"}, new Object[] {10, 0, "devnull", 3, 'x', 'y', 'z'},
                new Object[] {9, 0, "loop"}, new Object[] {1, 0, "self", 0, 1, 3},
                new Object[] {11, 0, "dangling", 1, 'a'}},
            {"seed-escapes", new Object[] {0, 0, "../outside/sentinel.txt"}, new Object[] {0, 2, "a/../../x"},
                new Object[] {12, 5, "/etc"}, new Object[] {12, 6, "relative"}, new Object[] {0, 1, "a b"}},
        };
        for (Object[] program : programs) {
            ByteArrayOutputStream seed = new ByteArrayOutputStream();
            for (int i = 1; i < program.length; i++) {
                Object[] op = (Object[]) program[i];
                seed.write((Integer) op[0]);
                for (int j = 1; j < op.length; j++) {
                    if (op[j] instanceof String s) {
                        path(seed, (Integer) op[j - 1], s);
                    } else if (!(j + 1 < op.length && op[j + 1] instanceof String)) {
                        seed.write(op[j] instanceof Character ch ? ch : (Integer) op[j]);
                    }
                }
            }
            write("FileSystemFuzzTest", "operations", (String) program[0], seed.toByteArray());
        }
    }
}
