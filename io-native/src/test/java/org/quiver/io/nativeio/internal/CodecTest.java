package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.Arrays;
import java.util.Random;
import java.util.zip.GZIPInputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.Codec;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.NativeFiles;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * One-shot compression of whole buffers ({@code pa.compress}, {@code pa.decompress}, {@code pa.Codec}): levels
 * and their ranges as pyarrow reports them, round trips into pool memory for every codec, and bad input (a corrupt
 * or truncated buffer, a wrong decompressed size) refused with nothing left allocated.
 */
class CodecTest {

    private MemoryPool pool;

    @BeforeEach
    void countingPool() {
        pool = MemoryPool.proxy(MemoryPool.defaultPool());
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(0, pool.bytesAllocated(), "bytes left in the pool");
    }

    @Test
    void levelsAreTheFormatsAsPyarrowReportsThem() {
        assertLevels(Compression.GZIP, 1, 9, 6);
        assertLevels(Compression.ZSTD, -131072, 22, 3);
        assertLevels(Compression.LZ4_FRAME, 1, 12, 1);
        assertLevels(Compression.BZ2, 1, 9, 9);
        assertLevels(Compression.BROTLI, 0, 11, 8);
        Codec snappy = Codec.of("snappy");
        assertFalse(snappy.hasLevels());
        assertEquals("snappy has no compression levels",
                assertThrows(UnsupportedOperationException.class, snappy::level).getMessage());
        assertThrows(UnsupportedOperationException.class, snappy::defaultLevel);
        assertEquals("Codec[snappy]", snappy.toString());
        assertEquals("Codec[zstd, level 9]", Codec.of("zst", 9).toString());
        assertEquals(Codec.of(Compression.ZSTD, 9), Codec.of("zstd", 9));
        assertEquals("uncompressed is not a codec: use a compression format",
                assertThrows(IllegalArgumentException.class, () -> Codec.of(Compression.NONE)).getMessage());
    }

    private static void assertLevels(Compression c, int min, int max, int byDefault) {
        Codec codec = Codec.of(c);
        assertEquals(c.pyarrowName(), codec.name());
        assertTrue(codec.hasLevels());
        assertEquals(min, codec.minimumLevel(), c.name());
        assertEquals(max, codec.maximumLevel(), c.name());
        assertEquals(byDefault, codec.defaultLevel(), c.name());
        assertEquals(byDefault, codec.level(), c.name());
        assertEquals(min, Codec.of(c, min).level());
        assertEquals(max, Codec.of(c, max).level());
        for (int outside : new int[] {min - 1, max + 1}) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Codec.of(c, outside));
            assertEquals(c.pyarrowName() + " level must be from " + min + " to " + max + ": level=" + outside,
                    e.getMessage());
        }
    }

    /** The streams refuse the same levels as the codec object: one table. */
    @Test
    void streamsRefuseWhatTheCodecRefuses() {
        try (org.quiver.io.BufferOutput raw = new org.quiver.io.BufferOutput(pool)) {
            assertEquals("gzip level must be from 1 to 9: level=0", assertThrows(IllegalArgumentException.class,
                    () -> NativeFiles.compressing(raw, Compression.GZIP, 0)).getMessage());
            assertEquals("lz4 level must be from 1 to 12: level=17", assertThrows(IllegalArgumentException.class,
                    () -> NativeFiles.compressing(raw, Compression.LZ4_FRAME, 17)).getMessage());
            assertFalse(raw.isClosed(), "a refused layer leaves the caller's file open");
        }
        assertEquals("snappy has no compression levels: level=1", assertThrows(IllegalArgumentException.class,
                () -> Codec.of(Compression.SNAPPY, 1)).getMessage());
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void roundTripsIntoPoolMemory(Compression c) throws IOException {
        assumeTrue(c.isAvailable(), () -> c + " is not available here: " + c.unavailableReason());
        Codec codec = Codec.of(c);
        for (byte[] data : new byte[][] {new byte[0], CompressionTest.sample(100), CompressionTest.sample(3 << 20),
                random(1 << 20)}) {
            try (Buffer input = Buffer.wrap(data);
                    ResizableBuffer packed = codec.compress(input, pool)) {
                assertEquals(pool, packed.pool());
                assertFalse(input.isClosed(), "the input is the caller's");
                try (ResizableBuffer sized = codec.decompress(packed, data.length, pool);
                        ResizableBuffer unsized = codec.decompress(packed, pool)) {
                    assertArrayEquals(data, sized.toByteArray(), c + " " + data.length);
                    assertArrayEquals(data, unsized.toByteArray(), c + " " + data.length);
                    assertEquals(data.length, sized.size());
                }
                // the same container the streams write: a stream reads what the codec wrote
                try (var stream = NativeFiles.openInput(packed, c)) {
                    assertArrayEquals(data, stream.readAll());
                }
            }
        }
    }

    @Test
    void gzipOutputIsWhatTheJdkAndGzipRead() throws IOException {
        byte[] data = CompressionTest.sample(100_000);
        try (ResizableBuffer packed = Codec.of(Compression.GZIP, 9).compress(Buffer.wrap(data), pool)) {
            assertArrayEquals(data, new GZIPInputStream(new ByteArrayInputStream(packed.toByteArray())).readAllBytes());
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "LZ4_FRAME", "BZ2", "BROTLI", "SNAPPY"})
    void badInputIsRefusedAndLeavesNothing(Compression c) throws IOException {
        assumeTrue(c.isAvailable(), () -> c + " is not available here: " + c.unavailableReason());
        Codec codec = Codec.of(c);
        byte[] data = CompressionTest.sample(200_000);
        byte[] packed;
        try (ResizableBuffer p = codec.compress(Buffer.wrap(data), pool)) {
            packed = p.toByteArray();
        }
        // the wrong size, either way
        CorruptDataException longer = assertThrows(CorruptDataException.class,
                () -> codec.decompress(Buffer.wrap(packed), data.length - 1, pool));
        assertEquals(c.pyarrowName() + " data in a buffer: the data decodes to more than decompressedSize="
                + (data.length - 1) + " bytes", longer.getMessage());
        CorruptDataException shorter = assertThrows(CorruptDataException.class,
                () -> codec.decompress(Buffer.wrap(packed), data.length + 1, pool));
        assertEquals(c.pyarrowName() + " data in a buffer: the data ends after " + data.length
                + " bytes, but decompressedSize=" + (data.length + 1), shorter.getMessage());
        // cut in the middle
        byte[] cut = Arrays.copyOf(packed, packed.length / 2);
        IOException truncated = assertThrows(IOException.class, () -> codec.decompress(Buffer.wrap(cut), pool));
        assertTrue(truncated instanceof TruncatedDataException || truncated instanceof CorruptDataException,
                truncated.toString());
        assertThrows(IOException.class, () -> codec.decompress(Buffer.wrap(cut), data.length, pool));
        // not this format at all
        byte[] garbage = random(5000);
        IOException refused = assertThrows(IOException.class, () -> codec.decompress(Buffer.wrap(garbage), pool));
        assertTrue(refused instanceof CorruptDataException || refused instanceof TruncatedDataException,
                refused.toString());
        assertEquals("negative decompressedSize: decompressedSize=-1", assertThrows(IllegalArgumentException.class,
                () -> codec.decompress(Buffer.wrap(packed), -1, pool)).getMessage());
    }

    @Test
    void aClosedInputIsRefused() {
        Buffer closed = Buffer.wrap(new byte[10]);
        closed.close();
        assertThrows(IllegalStateException.class, () -> Codec.of("zstd").compress(closed, pool));
        assertThrows(IllegalStateException.class, () -> Codec.of("zstd").decompress(closed, pool));
    }

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
