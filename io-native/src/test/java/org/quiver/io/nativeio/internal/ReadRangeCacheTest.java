package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.OSFile;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.ReadRangeCache;
import org.quiver.io.ReadRangeCache.Options;
import org.quiver.io.ReadRangeCache.Range;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** Arrow's {@code ReadRangeCache} (pyarrow's {@code CacheOptions}): small ranges read as a few large ones. */
class ReadRangeCacheTest extends OsFileTestBase {

    private static final Options SMALL = new Options(100, 1000, false);

    private static Range r(long offset, long length) {
        return new Range(offset, length);
    }

    @Test
    void neighboursMergeWithinTheLimits() {
        // holes of up to 100 bytes join; a merged read stops before 1000 bytes; overlaps always join
        assertEquals(List.of(r(0, 300)), ReadRangeCache.coalesce(List.of(r(0, 100), r(200, 100)), SMALL));
        assertEquals(List.of(r(0, 100), r(201, 100)), ReadRangeCache.coalesce(List.of(r(201, 100), r(0, 100)), SMALL),
                "a hole of 101 splits; the order given does not matter");
        assertEquals(List.of(r(0, 900), r(950, 100)),
                ReadRangeCache.coalesce(List.of(r(0, 400), r(450, 450), r(950, 100)), SMALL), "at most 1000 bytes");
        assertEquals(List.of(r(0, 5000), r(5050, 10)), ReadRangeCache.coalesce(List.of(r(0, 5000), r(5050, 10)),
                SMALL), "a range longer than the limit is read whole, alone");
        assertEquals(List.of(r(10, 90)), ReadRangeCache.coalesce(List.of(r(10, 50), r(40, 60), r(50, 10), r(70, 0)),
                SMALL), "overlaps join; empty ranges go");
        assertEquals(List.of(), ReadRangeCache.coalesce(List.of(), SMALL));
        Options network = Options.fromNetworkMetrics(10, 100_000_000);
        assertEquals(1_000_000, network.holeSizeLimit(), "10 ms at 100 MB/s");
        assertEquals(9_000_000, network.rangeSizeLimit(), "90% of the time transferring");
        Options slow = Options.fromNetworkMetrics(1000, 1_000_000_000);
        assertEquals(64L << 20, slow.rangeSizeLimit(), "at most 64 MiB");
        assertEquals((64L << 20) - 1, slow.holeSizeLimit(), "a hole below the read size");
        assertEquals(1L << 20, Options.fromNetworkMetrics(0, 1_000_000).rangeSizeLimit(), "at least 1 MiB");
        assertEquals("rangeSizeLimit must be larger than holeSizeLimit: rangeSizeLimit=10 holeSizeLimit=10",
                assertThrows(IllegalArgumentException.class, () -> new Options(10, 10, false)).getMessage());
        assertEquals("negative range: offset=-1 length=5",
                assertThrows(IllegalArgumentException.class, () -> r(-1, 5)).getMessage());
    }

    /** A Parquet-like pattern: 500 column chunks of 1 to 3 KiB with small gaps, served from a few reads. */
    @Test
    void manyRangesAreServedFromAFewReads() throws IOException {
        byte[] data = random(2 << 20);
        Path file = Files.write(dir.resolve("data.bin"), data);
        List<Range> ranges = new ArrayList<>();
        Random random = new Random(5);
        for (long at = 0; ranges.size() < 500; ) {
            long length = 1024 + random.nextInt(2048);
            ranges.add(r(at, length));
            at += length + random.nextInt(1024);
        }
        Collections.shuffle(ranges, random);
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        List<Buffer> kept = new ArrayList<>();
        try (OSFile f = OSFile.open(file, FileMode.READ)) {
            ReadRangeCache cache = ReadRangeCache.of(f, Options.DEFAULT);
            cache.cache(ranges);
            List<Range> merged = cache.mergedRanges();
            assertEquals(1, merged.size(), "gaps under 8 KiB, under 32 MiB in all: one read: " + merged);
            for (Range range : ranges) {
                try (Buffer b = cache.read(range.offset(), range.length())) {
                    assertArrayEquals(Arrays.copyOfRange(data, (int) range.offset(), (int) range.end()),
                            b.toByteArray(), range.toString());
                }
            }
            kept.add(cache.read(ranges.getFirst().offset(), ranges.getFirst().length()));
            cache.close();
            cache.close();
            assertEquals("closed", assertThrows(IllegalStateException.class, () -> cache.read(0, 1)).getMessage());
            Range first = ranges.getFirst();
            assertArrayEquals(Arrays.copyOfRange(data, (int) first.offset(), (int) first.end()),
                    kept.getFirst().toByteArray(), "a slice outlives the cache");
            assertTrue(pool.bytesAllocated() > before, "held by the slice");
        } finally {
            kept.forEach(Buffer::close);
        }
        assertEquals(before, pool.bytesAllocated(), "the merged read goes back with its last slice");
    }

    @Test
    void badRangesAreRefusedWithTheirOperands() throws IOException {
        Path file = Files.write(dir.resolve("small.bin"), random(1000));
        try (OSFile f = OSFile.open(file, FileMode.READ); ReadRangeCache cache = ReadRangeCache.of(f, SMALL)) {
            EOFException past = assertThrows(EOFException.class, () -> cache.cache(List.of(r(0, 10), r(990, 11))));
            assertTrue(past.getMessage().endsWith("range beyond the end of the file: offset=990 length=11 size=1000"),
                    past.getMessage());
            assertEquals(List.of(), cache.mergedRanges(), "nothing cached from a refused call");
            cache.cache(List.of(r(0, 10), r(500, 10)));
            IllegalArgumentException missing = assertThrows(IllegalArgumentException.class, () -> cache.read(5, 10));
            assertEquals("range not cached: offset=5 length=10 (cache it first; cached: [Range[offset=0, length=10],"
                    + " Range[offset=500, length=10]])", missing.getMessage());
            assertThrows(IllegalArgumentException.class, () -> cache.read(0, 11), "past a cached range");
            assertThrows(IllegalArgumentException.class, () -> cache.read(-1, 1));
            try (Buffer empty = cache.read(7000, 0)) {
                assertEquals(0, empty.size());
            }
            assertEquals("ranges", assertThrows(NullPointerException.class, () -> cache.cache(null)).getMessage());
        }
    }

    /** On a memory map the merged read is the map itself, and a range a slice of it: no byte is copied. */
    @Test
    void mapsAreServedWithoutACopy() throws IOException {
        Path file = Files.write(dir.resolve("mapped.bin"), random(100_000));
        try (MemoryMappedFile map = MemoryMappedFile.open(file, FileMode.READ);
                Buffer whole = map.readBufferAt(0, 100_000);
                ReadRangeCache cache = ReadRangeCache.of(map, Options.DEFAULT)) {
            cache.cache(List.of(r(100, 50), r(4000, 20)));
            try (Buffer b = cache.read(4000, 20)) {
                assertEquals(whole.asSegment().address() + 4000, b.asSegment().address());
            }
        }
    }

    /** Lazy: a merged read starts only when a request needs it, and only that one. */
    @Test
    void aLazyCacheReadsOnDemand() throws IOException {
        Path file = Files.write(dir.resolve("lazy.bin"), random(50_000));
        MemoryPool pool = MemoryPool.proxy(MemoryPool.defaultPool());
        try (OSFile f = OSFile.open(file, FileMode.READ);
                ReadRangeCache cache = ReadRangeCache.of(f, new Options(100, 1000, true), pool)) {
            cache.cache(List.of(r(0, 500), r(10_000, 500), r(20_000, 500)));
            assertEquals(0, pool.numAllocations(), "nothing read yet");
            cache.read(10_100, 10).close();
            assertEquals(1, pool.numAllocations(), "only the range asked for");
            cache.read(10_000, 500).close();
            assertEquals(1, pool.numAllocations(), "read once");
        }
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void threadsReadAtOnce() throws Exception {
        byte[] data = random(1 << 20);
        Path file = Files.write(dir.resolve("shared.bin"), data);
        List<Range> ranges = new ArrayList<>();
        for (long at = 0; at + 3000 <= data.length; at += 20_000) {
            ranges.add(r(at, 3000));
        }
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (RandomAccessInput f = OSFile.open(file, FileMode.READ);
                ReadRangeCache cache = ReadRangeCache.of(f, new Options(4096, 100_000, false))) {
            cache.cache(ranges);
            List<Future<?>> done = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                done.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    for (int i = 0; i < 500; i++) {
                        Range range = ranges.get(random.nextInt(ranges.size()));
                        try (Buffer b = cache.read(range.offset() + 100, 200)) {
                            assertArrayEquals(Arrays.copyOfRange(data, (int) range.offset() + 100,
                                    (int) range.offset() + 300), b.toByteArray());
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> d : done) {
                d.get();
            }
        } finally {
            pool.shutdownNow();
        }
    }

    /** A read that fails (here the file closed under the cache) is reported for the range, naming the file. */
    @Test
    void aFailedReadIsReportedWithTheRange() throws IOException {
        Path file = Files.write(dir.resolve("closed.bin"), random(10_000));
        OSFile f = OSFile.open(file, FileMode.READ);
        try (ReadRangeCache cache = ReadRangeCache.of(f, new Options(100, 1000, true))) {
            cache.cache(List.of(r(0, 100)));
            f.close();
            IOException e = assertThrows(IOException.class, () -> cache.read(0, 100));
            assertTrue(e.getMessage().startsWith("the read of Range[offset=0, length=100] of OSFile[path=" + file),
                    e.getMessage());
            assertTrue(e.getCause() instanceof IllegalStateException, String.valueOf(e.getCause()));
        }
    }
}
