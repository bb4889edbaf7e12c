package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.testing.RequiredBackend;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.xxhash.XXHashFactory;

/**
 * LZ4 frames as the reference tool writes them (every block size, linked and independent blocks, block and
 * content checksums, content size, the legacy format, concatenation with skippable frames), each written by the
 * {@code lz4} command and read back; corruption reported with the offset; and a fuzz of bit flips, truncations and
 * hostile headers that must end in a {@link CorruptDataException} and nothing else.
 */
class Lz4FramesTest {

    private static final Path LZ4 = Path.of("/usr/bin/lz4");

    @TempDir
    static Path dir;

    /** 4.5 MB: two blocks at the largest block size, seventy at the smallest. */
    private static final byte[] DATA = CompressionTest.sample(4_500_000);
    private static Path plain;

    @BeforeAll
    static void writePlain() throws IOException {
        plain = Files.write(dir.resolve("plain"), DATA);
    }

    private static int counter;

    /** What {@code lz4 <options> -c <file>} writes. */
    static byte[] lz4(Path file, String... options) throws IOException, InterruptedException {
        RequiredBackend.requireFile(LZ4, "lz4");
        String out = "lz4-out-" + (counter++);
        List<String> command = new ArrayList<>(List.of(LZ4.toString(), "-q"));
        command.addAll(Arrays.asList(options));
        command.addAll(List.of("-c", file.getFileName().toString()));
        CompressionTest.run(file.getParent(), out, command.toArray(String[]::new));
        byte[] compressed = Files.readAllBytes(file.getParent().resolve(out));
        Files.delete(file.getParent().resolve(out));
        return compressed;
    }

    static byte[] read(byte[] compressed) throws IOException {
        try (SequentialInput in = NativeFiles.openInput(compressed, Compression.LZ4_FRAME)) {
            return in.readAll();
        }
    }

    /** Straight from the decoder, so that an unexpected runtime exception is not translated on the way. */
    static byte[] decode(byte[] compressed) throws IOException {
        try (InputStream in = Codecs.decoder(Compression.LZ4_FRAME, new ByteArrayInputStream(compressed), "test")) {
            return in.readAllBytes();
        }
    }

    static Stream<String> everyFrameOption() {
        List<String> options = new ArrayList<>();
        for (int blockSize = 4; blockSize <= 7; blockSize++) {
            for (String blocks : new String[] {"-BD", "-BI"}) {
                for (int flags = 0; flags < 8; flags++) {
                    options.add("-B" + blockSize + " " + blocks + ((flags & 1) != 0 ? " -BX" : "")
                            + ((flags & 2) != 0 ? " --content-size" : "")
                            + ((flags & 4) != 0 ? " --no-frame-crc" : ""));
                }
            }
        }
        // levels and block cuts that change how blocks refer to each other
        options.addAll(List.of("-12 -B4 -BD -BX", "--favor-decSpeed -B5 -BD", "--fast=3 -B4 -BD", "-B1024 -BD",
                "-9 -B7 -BD --content-size"));
        return options.stream();
    }

    @ParameterizedTest(name = "lz4 {0}")
    @MethodSource("everyFrameOption")
    void readsEveryFrameTheToolWrites(String options) throws Exception {
        byte[] compressed = lz4(plain, options.split(" "));
        int flg = compressed[4] & 0xFF;
        int bd = compressed[5] & 0xFF;
        // the tool wrote what the options ask for, so that each case tests what it says
        assertEquals(options.contains("-BD"), (flg & 0x20) == 0, "linked blocks, FLG=" + flg);
        assertEquals(options.contains("-BX"), (flg & 0x10) != 0, "block checksums, FLG=" + flg);
        assertEquals(options.contains("--content-size"), (flg & 0x08) != 0, "content size, FLG=" + flg);
        assertEquals(!options.contains("--no-frame-crc"), (flg & 0x04) != 0, "content checksum, FLG=" + flg);
        if (options.matches(".*-B[4-7]\\b.*")) {
            assertEquals(options.charAt(options.indexOf("-B") + 2) - '0', bd >>> 4, "block size id, BD=" + bd);
        }
        assertArrayEquals(DATA, read(compressed), "lz4 " + options);
    }

    @Test
    void linkedBlocksReachIntoThePreviousBlockAndReadOneByteAtATime() throws Exception {
        byte[] linked = lz4(plain, "-B4", "-BD");
        // the point of the case: blocks that lz4-java cannot decode alone, because matches reach the block before
        int needPrevious = 0;
        List<Integer> blocks = blocks(linked);
        for (int b = 0; b < blocks.size() - 1; b++) {
            int at = blocks.get(b);
            int size = ByteBuffer.wrap(linked, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            try {
                LZ4Factory.safeInstance().safeDecompressor().decompress(linked, at + 4, size, new byte[65536], 0);
            } catch (LZ4Exception e) {
                needPrevious++;
            }
        }
        assertTrue(needPrevious > blocks.size() / 2, needPrevious + " of " + blocks.size() + " blocks are linked");
        try (SequentialInput in = NativeFiles.decompressing(new OneByteInput(NativeFiles.openInput(linked)),
                Compression.LZ4_FRAME)) {
            assertArrayEquals(DATA, in.readAll());
        }
        // and the file that was refused: "Invalid or unsupported frame descriptor"
        Path file = dir.resolve("linked.lz4");
        Files.write(file, linked);
        try (SequentialInput in = NativeFiles.openInput(file)) {
            assertArrayEquals(DATA, in.readAll());
        }
    }

    private static byte[] skippable(int nibble, byte[] content) {
        return ByteBuffer.allocate(8 + content.length).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Lz4FrameDecoder.SKIPPABLE_MAGIC | nibble).putInt(content.length).put(content).array();
    }

    private static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    @Test
    void legacyFramesConcatenationAndSkippableFramesReadAsTheToolReadsThem() throws Exception {
        Path twice = Files.write(dir.resolve("twice"), concat(DATA, DATA)); // 9 MB: two legacy blocks of 8 MiB
        byte[] legacy = lz4(twice, "-l");
        assertEquals(Lz4FrameDecoder.LEGACY_MAGIC, ByteBuffer.wrap(legacy).order(ByteOrder.LITTLE_ENDIAN).getInt());
        assertArrayEquals(concat(DATA, DATA), read(legacy), "lz4 -l");
        byte[] all = concat(skippable(0, new byte[] {1, 2, 3}), legacy, lz4(plain, "-B4", "-BD", "-BX"),
                skippable(15, new byte[100]), lz4(plain, "-B5", "-BI", "--content-size"), skippable(7, new byte[0]));
        byte[] expected = concat(DATA, DATA, DATA, DATA);
        Path file = Files.write(dir.resolve("all.lz4"), all);
        CompressionTest.run(dir, "all.out", LZ4.toString(), "-d", "-c", file.getFileName().toString());
        assertArrayEquals(expected, Files.readAllBytes(dir.resolve("all.out")), "the tool reads the concatenation");
        assertArrayEquals(expected, read(all), "and so do we");
    }

    // ---- corruption, with the offset --------------------------------------------------------------------------

    /** The offsets of a frame's blocks (their size fields) and of its end mark. */
    private static List<Integer> blocks(byte[] frame) {
        int flg = frame[4] & 0xFF;
        int at = 4 + 2 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0) + 1;
        List<Integer> offsets = new ArrayList<>();
        while (true) {
            offsets.add(at);
            int size = ByteBuffer.wrap(frame, at, 4).order(ByteOrder.LITTLE_ENDIAN).getInt();
            if (size == 0) {
                return offsets;
            }
            at += 4 + (size & 0x7FFFFFFF) + ((flg & 0x10) != 0 ? 4 : 0);
        }
    }

    /** Recomputes the descriptor checksum after a test changed the descriptor. */
    private static void fixHeaderChecksum(byte[] frame) {
        int flg = frame[4] & 0xFF;
        int length = 2 + ((flg & 0x08) != 0 ? 8 : 0) + ((flg & 0x01) != 0 ? 4 : 0);
        frame[4 + length] = (byte) (XXHashFactory.safeInstance().hash32().hash(frame, 4, length, 0) >>> 8);
    }

    private static CorruptDataException corrupt(byte[] compressed, String detail) {
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> read(compressed));
        assertTrue(e.getMessage().startsWith("lz4 data in ") && e.getMessage().contains(detail), e.getMessage());
        return e;
    }

    @Test
    void corruptionIsReportedWhereItIs() throws Exception {
        byte[] frame = lz4(plain, "-B4", "-BD", "-BX", "--content-size");
        List<Integer> blocks = blocks(frame);

        byte[] bad = frame.clone();
        bad[blocks.get(2) + 100] ^= 0x10;
        assertEquals((long) blocks.get(2), corrupt(bad, "block checksum mismatch").compressedOffset());

        bad = frame.clone();
        bad[bad.length - 1] ^= 1;
        CorruptDataException e = corrupt(bad, "content checksum mismatch");
        assertEquals((long) blocks.get(blocks.size() - 1), e.compressedOffset(), "at the end mark");

        bad = frame.clone();
        bad[6] ^= 1; // the content size
        assertEquals(0, corrupt(bad, "frame descriptor checksum mismatch").compressedOffset());
        fixHeaderChecksum(bad);
        corrupt(bad, "declares " + (DATA.length ^ 1) + " bytes of content");

        bad = frame.clone();
        bad[4] |= 0x02;
        fixHeaderChecksum(bad);
        corrupt(bad, "reserved bits set in the frame descriptor");

        bad = frame.clone();
        bad[5] = 0x30;
        fixHeaderChecksum(bad);
        corrupt(bad, "invalid block maximum size id 3");

        bad = frame.clone();
        bad[4] = (byte) ((bad[4] & 0x3F) | 0x80);
        fixHeaderChecksum(bad);
        corrupt(bad, "unsupported LZ4 frame version 2");

        bad = frame.clone();
        ByteBuffer.wrap(bad, blocks.get(1), 4).order(ByteOrder.LITTLE_ENDIAN).putInt(65537);
        assertEquals((long) blocks.get(1), corrupt(bad, "block of 65537 bytes in a frame of blocks of at most 65536 bytes")
                .compressedOffset());

        e = corrupt(concat(frame, "trailing".getBytes()), "what follows is not an LZ4 frame: magic number");
        assertEquals(frame.length, e.compressedOffset());
        corrupt("not lz4 at all".getBytes(), "not an LZ4 frame: magic number");

        TruncatedDataException t = assertThrows(TruncatedDataException.class,
                () -> read(Arrays.copyOf(frame, blocks.get(3) + 10)));
        assertEquals((long) blocks.get(3) + 10, t.compressedOffset());
    }

    @Test
    void aFrameCompressedWithADictionarySaysSo() throws Exception {
        Path dictionary = Files.write(dir.resolve("dictionary"), Arrays.copyOf(DATA, 65536));
        byte[] withDictionary = lz4(plain, "-D", dictionary.toString(), "-B4", "-BD");
        corrupt(withDictionary, "reaches before the start of the frame's output");
        corrupt(lz4(plain, "-D", dictionary.toString(), "-B4", "-BI"), "invalid LZ4 block");
    }

    // ---- fuzz ----------------------------------------------------------------------------------------------

    /** Frames with a content checksum: whatever decodes without error must be the original bytes. */
    private static boolean checked(byte[] frame) {
        return ByteBuffer.wrap(frame).order(ByteOrder.LITTLE_ENDIAN).getInt() == Lz4FrameDecoder.MAGIC
                && (frame[4] & 0x04) != 0;
    }

    @Test
    @Timeout(value = 120, unit = TimeUnit.SECONDS)
    void bitFlipsTruncationsAndGarbageEndInCorruptDataAndNothingElse() throws Exception {
        byte[] small = Arrays.copyOf(DATA, 150_000);
        Path smallFile = Files.write(dir.resolve("small"), small);
        List<byte[]> bases = List.of(lz4(smallFile, "-B4", "-BD", "-BX"),
                lz4(smallFile, "-B4", "-BD", "--no-frame-crc"), lz4(smallFile, "-B5", "-BI", "--content-size"),
                lz4(smallFile, "-l"),
                CompressionTest.compress(Compression.LZ4_FRAME, small));
        Random random = new Random(20261201);
        int caught = 0;
        int runs = 0;
        for (byte[] base : bases) {
            for (int i = 0; i < 300; i++) {
                byte[] bad = mutate(base, random);
                runs++;
                try {
                    byte[] out = decode(bad);
                    if (checked(base) && !Arrays.equals(small, out)) {
                        fail("run " + runs + ": a checksummed frame decoded to other bytes without an error");
                    }
                } catch (CorruptDataException expected) {
                    caught++;
                } catch (Throwable other) {
                    throw new AssertionError("run " + runs + " ended in " + other + ", not a CorruptDataException",
                            other);
                }
            }
        }
        assertTrue(caught > runs / 2, "caught " + caught + " of " + runs);
    }

    private static byte[] mutate(byte[] base, Random random) {
        byte[] bad = base.clone();
        switch (random.nextInt(5)) {
            case 0 -> { // one to three bit flips anywhere
                for (int n = 1 + random.nextInt(3); n > 0; n--) {
                    int at = random.nextInt(bad.length);
                    bad[at] ^= (byte) (1 << random.nextInt(8));
                }
            }
            case 1 -> bad = Arrays.copyOf(bad, 1 + random.nextInt(bad.length - 1)); // cut short (empty: no frame)
            case 2 -> { // the header and the first block's size: where lengths come from
                int at = random.nextInt(Math.min(bad.length, 24));
                bad[at] = (byte) random.nextInt(256);
            }
            case 3 -> { // a run of garbage inside
                int at = random.nextInt(bad.length);
                for (int n = random.nextInt(64); n > 0 && at < bad.length; n--) {
                    bad[at++] = (byte) random.nextInt(256);
                }
            }
            default -> { // a block's bytes moved: valid tokens in the wrong place
                int from = random.nextInt(bad.length);
                int to = random.nextInt(bad.length);
                int n = Math.min(random.nextInt(4096), Math.min(bad.length - from, bad.length - to));
                System.arraycopy(base, from, bad, to, n);
            }
        }
        return bad;
    }

    @Test
    void headersCannotMakeItAllocateOrReadWithoutBound() throws Exception {
        byte[] descriptor = {0x04, 0x22, 0x4D, 0x18, 0x40, 0x70, 0}; // linked, 4 MiB blocks
        fixHeaderChecksum(descriptor);
        byte[] huge = concat(descriptor, new byte[] {-1, -1, -1, 0x7F});
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decode(huge));
        assertTrue(e.getMessage().contains("block of 2147483647 bytes"), e.getMessage());
        // a skippable frame that claims 4 GiB and an input that ends: read in small pieces, then truncated
        byte[] skip = ByteBuffer.allocate(8 + 1000).order(ByteOrder.LITTLE_ENDIAN)
                .putInt(Lz4FrameDecoder.SKIPPABLE_MAGIC).putInt(-1).array();
        assertThrows(TruncatedDataException.class, () -> decode(skip));
        // a legacy block of the largest size with nothing after it
        byte[] legacy = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putInt(Lz4FrameDecoder.LEGACY_MAGIC)
                .putInt(Lz4FrameDecoder.LEGACY_MAX_COMPRESSED).array();
        assertThrows(TruncatedDataException.class, () -> decode(legacy));
    }
}
