package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.CRC32;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.BufferInput;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialInput;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.testing.DebianMultiarch;
import org.quiver.memory.testing.RequiredBackend;

/**
 * gzip's two decoders, ISA-L's (into native memory) and the JDK's zlib: each reads what {@code gzip} writes (file
 * names, levels, concatenated members), headers with every optional field, zero padding, and refuses bad headers,
 * garbage after a member and truncation with the right exception; reads into a pool buffer and into an array give
 * the same bytes.
 */
class GzipEnginesTest {

    @TempDir
    Path dir;

    private static GzipCodec codec(GzipCodec.Engine engine) {
        if (engine == GzipCodec.Engine.ISAL) {
            RequiredBackend.requireFile(DebianMultiarch.library(Isal.LIBRARY), "libisal2");
        }
        return new GzipCodec(engine);
    }

    private static SequentialInput open(GzipCodec codec, byte[] compressed) {
        return new CompressedInput(BufferInput.of(compressed), Compression.GZIP, codec);
    }

    /** Decodes through pool buffers of {@code chunk} bytes, the way the benchmark and {@code readBuffer} read. */
    private static byte[] decodeIntoBuffers(GzipCodec codec, byte[] compressed, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (SequentialInput in = open(codec, compressed); ResizableBuffer buffer = MemoryPool.defaultPool()
                .allocate(chunk)) {
            long n;
            while ((n = in.read(buffer, 0, chunk)) > 0) {
                try (org.quiver.memory.Buffer read = buffer.slice(0, n)) { // a slice holds the memory until closed
                    out.write(read.toByteArray());
                }
            }
        }
        return out.toByteArray();
    }

    private static byte[] decode(GzipCodec codec, byte[] compressed) throws IOException {
        try (SequentialInput in = open(codec, compressed)) {
            return in.readAll();
        }
    }

    @Test
    void autoChoosesIsaLWhereItIsInstalled() {
        RequiredBackend.requireFile(DebianMultiarch.library(Isal.LIBRARY), "libisal2");
        assertEquals(GzipCodec.Engine.ISAL, GzipCodec.engine("auto"));
        assertEquals(GzipCodec.Engine.JDK, GzipCodec.engine(" JDK "));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> GzipCodec.engine("fast"));
        assertTrue(e.getMessage().contains("quiver.gzip.engine=fast"), e.getMessage());
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void readsWhatGzipWroteIntoBuffersAndArrays(GzipCodec.Engine engine) throws Exception {
        GzipCodec codec = codec(engine);
        byte[] data = CompressionTest.sample(5 << 20);
        Files.write(dir.resolve("data.csv"), data);
        Files.write(dir.resolve("tail.txt"), "tail".getBytes(StandardCharsets.US_ASCII));
        // gzip stores the file name (FNAME) when it compresses a named file; -9 and -1 make other block mixes
        CompressionTest.run(dir, "nine.gz", "gzip", "-9", "-c", "data.csv");
        CompressionTest.run(dir, "one.gz", "gzip", "-1", "-c", "tail.txt");
        byte[] both = CompressionTest.concat(Files.readAllBytes(dir.resolve("nine.gz")),
                Files.readAllBytes(dir.resolve("one.gz")));
        byte[] expected = CompressionTest.concat(data, "tail".getBytes(StandardCharsets.US_ASCII));
        assertArrayEquals(expected, decode(codec, both));
        assertArrayEquals(expected, decodeIntoBuffers(codec, both, 1 << 20));
        assertArrayEquals(expected, decodeIntoBuffers(codec, both, 7)); // output smaller than any block
        try (SequentialInput in = NativeFiles.decompressing(new OneByteInput(BufferInput.of(both)),
                Compression.GZIP)) {
            assertArrayEquals(expected, in.readAll(), "compressed bytes handed out one at a time");
        }
    }

    /** A member with every optional header field, its header checksummed. */
    private static byte[] memberWithAllFields(byte[] data) throws IOException {
        byte[] plain = ReferenceCodecs.compress(Compression.GZIP, data);
        ByteArrayOutputStream header = new ByteArrayOutputStream();
        header.write(new byte[] {0x1F, (byte) 0x8B, 8, 2 | 4 | 8 | 16, 1, 2, 3, 4, 0, 3});
        header.write(new byte[] {6, 0, 'Q', 'V', 2, 0, 'x', 'y'}); // FEXTRA: one subfield of 2 bytes
        header.write("name.csv\0".getBytes(StandardCharsets.US_ASCII));
        header.write("a comment\0".getBytes(StandardCharsets.US_ASCII));
        CRC32 crc = new CRC32();
        crc.update(header.toByteArray());
        int hcrc = (int) crc.getValue() & 0xFFFF;
        header.write(new byte[] {(byte) hcrc, (byte) (hcrc >>> 8)});
        return CompressionTest.concat(header.toByteArray(), Arrays.copyOfRange(plain, 10, plain.length));
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void readsEveryOptionalHeaderField(GzipCodec.Engine engine) throws Exception {
        GzipCodec codec = codec(engine);
        byte[] data = CompressionTest.sample(100_000);
        byte[] member = memberWithAllFields(data);
        assertArrayEquals(data, decode(codec, member));
        Path file = Files.write(dir.resolve("fields.gz"), member);
        CompressionTest.run(dir, "fields.out", "gzip", "-d", "-c", file.getFileName().toString());
        assertArrayEquals(data, Files.readAllBytes(dir.resolve("fields.out")), "gzip -d agrees it is valid");
        byte[] badHeaderCrc = member.clone();
        badHeaderCrc[12] ^= 1; // inside FEXTRA: only the header checksum notices
        assertInstanceOf(CorruptDataException.class, assertThrows(IOException.class, () -> decode(codec,
                badHeaderCrc)));
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void ignoresZeroPaddingAfterTheLastMember(GzipCodec.Engine engine) throws IOException {
        GzipCodec codec = codec(engine);
        byte[] data = CompressionTest.sample(10_000);
        byte[] padded = Arrays.copyOf(ReferenceCodecs.compress(Compression.GZIP, data), 10_000 + 512);
        assertArrayEquals(data, Arrays.copyOf(decode(codec, padded), data.length));
        assertArrayEquals(data, decode(codec, padded));
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void refusesWhatGzipRefuses(GzipCodec.Engine engine) throws Exception {
        GzipCodec codec = codec(engine);
        byte[] data = CompressionTest.sample(10_000);
        byte[] member = ReferenceCodecs.compress(Compression.GZIP, data);
        // garbage after a member: gzip -d warns "trailing garbage ignored" and exits 2, the JDK's GZIPInputStream
        // ignores it silently; Quiver refuses it, so that a damaged concatenation is never taken for a whole one
        byte[] garbage = CompressionTest.concat(member, "garbage".getBytes(StandardCharsets.US_ASCII));
        CorruptDataException e = assertThrows(CorruptDataException.class, () -> decode(codec, garbage));
        assertTrue(e.getMessage().contains("not in gzip format"), e.getMessage());
        byte[] zerosThenGarbage = CompressionTest.concat(member, new byte[] {0, 0, 'x'});
        assertThrows(CorruptDataException.class, () -> decode(codec, zerosThenGarbage));
        // reserved flag bits: gzip -d says "has flags 0x20 -- not supported" (ISA-L's own parser accepts them)
        byte[] reserved = member.clone();
        reserved[3] |= 0x20;
        e = assertThrows(CorruptDataException.class, () -> decode(codec, reserved));
        assertTrue(e.getMessage().contains("reserved flag bits"), e.getMessage());
        byte[] method = member.clone();
        method[2] = 7;
        e = assertThrows(CorruptDataException.class, () -> decode(codec, method));
        assertTrue(e.getMessage().contains("not deflate"), e.getMessage());
        byte[] badCrc = member.clone();
        badCrc[member.length - 6] ^= 1; // the trailer's CRC-32
        e = assertThrows(CorruptDataException.class, () -> decode(codec, badCrc));
        assertTrue(e.getMessage().contains("checksum"), e.getMessage());
        byte[] badLength = member.clone();
        badLength[member.length - 2] ^= 1; // the trailer's length
        assertThrows(CorruptDataException.class, () -> decode(codec, badLength));
    }

    /** What decoding gave: the bytes, or {@code null} for a refusal. */
    private static byte[] outcome(GzipCodec codec, byte[] compressed) throws IOException {
        try {
            return decodeIntoBuffers(codec, compressed, 8192);
        } catch (CorruptDataException e) {
            assertTrue(e.getMessage().startsWith("gzip data in"), e.getMessage());
            return null;
        }
    }

    /** A differential fuzz of the two inflaters: damaged members decode alike or are refused by both. */
    @Test
    void theEnginesAgreeOnDamagedInput() throws IOException {
        GzipCodec isal = codec(GzipCodec.Engine.ISAL);
        GzipCodec jdk = codec(GzipCodec.Engine.JDK);
        byte[] member = memberWithAllFields(CompressionTest.sample(20_000));
        byte[] two = CompressionTest.concat(member, ReferenceCodecs.compress(Compression.GZIP, new byte[] {1, 2}));
        java.util.Random random = new java.util.Random(16);
        for (int i = 0; i < 400; i++) {
            byte[] bad = two.clone();
            for (int flips = 1 + random.nextInt(3); flips > 0; flips--) {
                bad[random.nextInt(bad.length)] ^= (byte) (1 << random.nextInt(8));
            }
            if (random.nextInt(4) == 0) {
                bad = Arrays.copyOf(bad, random.nextInt(bad.length));
            }
            byte[] a = outcome(isal, bad);
            byte[] b = outcome(jdk, bad);
            int n = i;
            assertTrue(a == null ? b == null : Arrays.equals(a, b), () -> "input " + n + ": ISA-L "
                    + (a == null ? "refused" : a.length + " bytes") + ", JDK " + (b == null ? "refused" : b.length
                    + " bytes"));
        }
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void truncationIsReportedWhereverTheCutIs(GzipCodec.Engine engine) throws IOException {
        GzipCodec codec = codec(engine);
        byte[] member = memberWithAllFields(CompressionTest.sample(50_000));
        for (int cut = 1; cut < member.length; cut += cut < 64 ? 1 : 997) {
            byte[] part = Arrays.copyOf(member, cut);
            int at = cut;
            CorruptDataException e = assertThrows(CorruptDataException.class, () -> decodeIntoBuffers(codec,
                    part, 4096), "cut at " + at);
            assertInstanceOf(TruncatedDataException.class, e, "cut at " + at + ": " + e.getMessage());
        }
    }

    @ParameterizedTest
    @EnumSource(GzipCodec.Engine.class)
    void aClosedBufferIsRefusedBeforeAnythingIsDecoded(GzipCodec.Engine engine) throws IOException {
        GzipCodec codec = codec(engine);
        byte[] data = CompressionTest.sample(1 << 20);
        try (SequentialInput in = open(codec, ReferenceCodecs.compress(Compression.GZIP, data))) {
            Buffer closed = MemoryPool.defaultPool().allocate(4096);
            closed.close();
            assertThrows(IllegalStateException.class, () -> in.read(closed, 0, 4096));
            assertEquals(0, in.tell(), "nothing was decoded for the closed buffer");
            assertArrayEquals(data, in.readAll(), "and nothing was lost");
        }
    }
}
