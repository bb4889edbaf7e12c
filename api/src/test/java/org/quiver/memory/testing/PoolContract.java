package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicReference;

import org.quiver.internal.memory.DebugPool;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The contract every {@link MemoryPool} meets. A backend module runs it by extending this class and returning
 * its pool; the teardown asserts that nothing is left allocated, in the pool and across all pools.
 */
public abstract class PoolContract {

    /** The pool under test (a fresh wrapper or a shared backend pool). */
    protected abstract MemoryPool pool();

    protected MemoryPool pool;
    private long startBytes;
    private long startTotal;

    @BeforeEach
    void rememberAccounting() {
        pool = pool();
        startBytes = pool.bytesAllocated();
        startTotal = MemoryPool.bytesAllocatedInAllPools();
    }

    @AfterEach
    void nothingOutstanding() {
        assertEquals(startBytes, pool.bytesAllocated(), "bytes left allocated in " + pool);
        assertEquals(startTotal, MemoryPool.bytesAllocatedInAllPools(), "bytes left allocated across pools");
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 7, 63, 64, 65, 100, 4095, 4096, 65_537, 1 << 20, (1 << 20) + 1, 3 << 20})
    void allocatesPaddedAlignedZeroedPaddingAndCounts(long size) {
        long bytes = pool.bytesAllocated();
        long total = pool.cumulativeBytesAllocated();
        long count = pool.numAllocations();
        try (ResizableBuffer b = pool.allocate(size)) {
            assertEquals(size, b.size());
            assertEquals(capacityFor(size), b.capacity());
            assertEquals(0, b.address() % 64, "64-byte alignment");
            assertTrue(b.isMutable());
            assertTrue(b.isCpu());
            assertEquals(bytes + b.capacity(), pool.bytesAllocated());
            assertEquals(total + b.capacity(), pool.cumulativeBytesAllocated());
            assertEquals(count + 1, pool.numAllocations());
            assertTrue(pool.peakBytesAllocated() >= pool.bytesAllocated());
            // padding is zero: view the whole capacity through the unchecked segment of a fresh copy of
            // the address range (the buffer itself only exposes size bytes)
            try (Buffer whole = Buffer.wrap(java.lang.foreign.MemorySegment.ofAddress(b.address())
                    .reinterpret(b.capacity()))) {
                for (long i = size; i < b.capacity(); i++) {
                    assertEquals(paddingByte(), whole.getByte(i), "padding byte " + i);
                }
            }
            // every byte is writable and reads back
            b.fill((byte) 0x5A);
            assertEquals(0x5A, b.getByte(0));
            assertEquals(0x5A, b.getByte(size - 1));
        }
        assertEquals(bytes, pool.bytesAllocated());
    }

    @ParameterizedTest
    @ValueSource(longs = {1, 2, 8, 16, 64, 128, 4096, 65536, 1 << 21})
    void honoursAlignment(long alignment) {
        for (long size : new long[] {1, 100, 5000, 2 << 20}) {
            try (ResizableBuffer b = pool.allocate(size, alignment)) {
                assertEquals(0, b.address() % alignment, "size=" + size + " alignment=" + alignment);
                assertEquals(alignment, b.alignment());
                b.setByte(size - 1, (byte) 1);
            }
        }
    }

    /**
     * Every alignment a pool accepts, from 1 to 2^30, on allocation and on every kind of reallocation (grow,
     * shrink, in place and moving): a buffer's address is always a multiple of its alignment, whatever the
     * backend's own allocator returns (mimalloc 2.0.9 returned (256, 256) at address % 256 = 128).
     */
    @Test
    void everyAlignmentFromOneToTwoToTheThirtyOnAllocateAndReallocate() {
        for (int lg = 0; lg <= 30; lg++) {
            long alignment = 1L << lg;
            // Each size a multiple of 64 up to 2 KiB (the powers of two among them caught mimalloc), sizes
            // around the alignment, and a few large ones; fewer for the huge alignments, which cost a mapping.
            List<Long> sizes = new ArrayList<>();
            for (long s = 64; s <= (lg <= 12 ? 2048 : 256); s += 64) {
                sizes.add(s);
            }
            for (long s : new long[] {0, 1, alignment / 2, alignment, alignment + 1, 2 * alignment, 100_000}) {
                if (s >= 0 && s <= (4 << 20)) {
                    sizes.add(s);
                }
            }
            for (long size : sizes) {
                try (ResizableBuffer b = pool.allocate(size, alignment)) {
                    assertAligned(b, "allocate size=" + size);
                    if (size > 0) {
                        b.setByte(0, (byte) 0x5A);
                        b.setByte(size - 1, (byte) 0xA5);
                    }
                }
            }
            // A reallocation chain through the sizes that misaligned in the stress (280-550 KiB among them),
            // shrinking to fit so that every step reallocates; the first byte must survive every move.
            long[] chain = lg <= 20
                    ? new long[] {64, 256, 512, 1024, 832, 2048, 4096, 64, 300 << 10, 550 << 10, 280 << 10, 1024,
                        256, 3 << 20, 64, 0, 64}
                    : new long[] {64, 4096, 1 << 20, 64, 0, 64};
            try (ResizableBuffer b = pool.allocate(1, alignment)) {
                b.setByte(0, (byte) lg);
                for (long size : chain) {
                    b.resize(size, true);
                    assertAligned(b, "resize to " + size);
                    if (size == 0) {
                        b.resize(1, true);
                        b.setByte(0, (byte) lg); // the data went with the memory
                        continue;
                    }
                    assertEquals((byte) lg, b.getByte(0), "data kept on resize to " + size + " alignment="
                            + alignment);
                    b.setByte(size - 1, (byte) 1);
                }
            }
        }
    }

    /** Random allocations, reallocations and frees over the alignments 1 to 2^20, each checked. */
    @Test
    void randomOperationsKeepEveryAlignment() {
        java.util.Random random = new java.util.Random(13);
        ResizableBuffer[] live = new ResizableBuffer[32];
        try {
            for (int i = 0; i < 20_000; i++) {
                int k = random.nextInt(live.length);
                long size = random.nextInt(10) == 0 ? 0 : 1 + random.nextInt(1 << random.nextInt(16));
                if (live[k] == null) {
                    live[k] = pool.allocate(size, 1L << random.nextInt(21));
                    assertAligned(live[k], "allocate size=" + size);
                } else if (random.nextBoolean()) {
                    live[k].resize(size, random.nextBoolean());
                    assertAligned(live[k], "resize to " + size);
                } else {
                    live[k].close();
                    live[k] = null;
                }
            }
        } finally {
            for (ResizableBuffer b : live) {
                if (b != null) {
                    b.close();
                }
            }
        }
    }

    private static void assertAligned(ResizableBuffer b, String what) {
        long alignment = b.alignment();
        assertEquals(0, b.address() % alignment, () -> what + ": address=0x" + Long.toHexString(b.address())
                + " alignment=" + alignment + " capacity=" + b.capacity());
    }

    @Test
    void zeroSizeAllocationIsValidAndFree() {
        long bytes = pool.bytesAllocated();
        try (ResizableBuffer b = pool.allocate(0)) {
            assertEquals(0, b.size());
            assertEquals(0, b.capacity());
            assertEquals(bytes, pool.bytesAllocated());
            assertEquals(0, b.toByteArray().length);
            b.resize(10);
            b.setByte(9, (byte) 9);
            assertEquals(9, b.getByte(9));
        }
    }

    @Test
    void peakTracksTheHighWaterMark() {
        long before = pool.peakBytesAllocated();
        long base = pool.bytesAllocated();
        try (Buffer a = pool.allocate(1 << 16); Buffer b = pool.allocate(1 << 16)) {
            assertTrue(pool.peakBytesAllocated() >= base + (2 << 16));
        }
        assertTrue(pool.peakBytesAllocated() >= Math.max(before, base + (2 << 16)));
        assertEquals(base, pool.bytesAllocated());
    }

    @ParameterizedTest
    @ValueSource(longs = {10, 1000, 100_000, 2 << 20})
    void reallocateGrowsAndShrinksKeepingData(long start) {
        try (ResizableBuffer b = pool.allocate(start)) {
            byte[] pattern = new byte[(int) start];
            ThreadLocalRandom.current().nextBytes(pattern);
            b.put(0, pattern, 0, pattern.length);
            long[] sizes = {start * 2 + 1, start * 16, start / 2 + 1, 8 << 20, start};
            long valid = start;
            for (long n : sizes) {
                ResizableBuffer r = pool.reallocate(b, n);
                assertEquals(b, r);
                assertEquals(n, b.size());
                assertEquals(0, b.address() % 64);
                valid = Math.min(valid, n);
                byte[] back = new byte[(int) valid];
                b.get(0, back, 0, back.length);
                for (int i = 0; i < back.length; i++) {
                    if (back[i] != pattern[i]) {
                        throw new AssertionError("byte " + i + " changed after resize to " + n);
                    }
                }
                if (n >= start) {
                    b.put(0, pattern, 0, pattern.length);
                    valid = start;
                }
            }
            assertEquals(startBytesPlus(b.capacity()), pool.bytesAllocated());
        }
    }

    private long startBytesPlus(long capacity) {
        return startBytes + capacity;
    }

    @Test
    void resizeKeepsCapacityUnlessShrinkToFit() {
        try (ResizableBuffer b = pool.allocate(1000)) {
            b.resize(100, false);
            assertEquals(100, b.size());
            assertEquals(1024, b.capacity());
            b.resize(100, true);
            assertEquals(128, b.capacity());
            b.reserve(5000);
            assertEquals(100, b.size());
            assertEquals(5056, b.capacity());
            b.resize(5000, false);
            assertEquals(5056, b.capacity());
        }
    }

    @Test
    void newPaddingIsZeroedAfterResize() {
        try (ResizableBuffer b = pool.allocate(64)) {
            b.fill((byte) -1);
            b.resize(10, false);
            b.resize(64, false);
            for (int i = 10; i < 64; i++) {
                assertEquals(0, b.getByte(i), "byte " + i + " of old data must read as zero padding");
            }
        }
    }

    @Test
    void largeBlocksGrowByDoubling() {
        try (ResizableBuffer b = pool.allocate(1 << 20)) {
            b.setLong(0, 0x0123456789ABCDEFL);
            b.setLong((1 << 20) - 8, 1 << 20);
            for (long n = 2 << 20; n <= 64 << 20; n *= 2) {
                b.resize(n);
                b.setLong(n - 8, n);
                assertEquals(0x0123456789ABCDEFL, b.getLong(0));
                assertEquals(n / 2, b.getLong(n / 2 - 8), "last word of the previous size kept");
            }
        }
    }

    /**
     * Large blocks cross the pools' mmap thresholds (1 MiB for the system pool, 8 MiB for jemalloc and mimalloc)
     * upward and downward, at alignments that are mapped (up to a page) and one that is not, keeping every byte
     * both sizes hold, their alignment and exact accounting.
     */
    @Test
    void largeBlocksCrossTheMmapThresholdBothWaysKeepingTheirBytes() {
        for (long alignment : new long[] {64, 4096, 16384}) {
            long bytes = pool.bytesAllocated();
            try (ResizableBuffer b = pool.allocate(4 << 20, alignment)) {
                stamp(b, 0, 4 << 20);
                for (long n : new long[] {16 << 20, 40 << 20}) {
                    b.resize(n);
                    assertEquals(0, b.address() % alignment, "alignment " + alignment + " at " + n);
                    checkStamp(b, 4 << 20);
                    assertEquals(bytes + b.capacity(), pool.bytesAllocated());
                }
                b.resize(2 << 20, true);
                assertEquals(0, b.address() % alignment, "alignment " + alignment + " after shrinking");
                checkStamp(b, 2 << 20);
                assertEquals(bytes + b.capacity(), pool.bytesAllocated());
            }
            assertEquals(bytes, pool.bytesAllocated());
        }
    }

    /** Writes each 4 KiB page's index into its first long, over {@code [from, to)}. */
    private static void stamp(ResizableBuffer b, long from, long to) {
        for (long at = from; at < to; at += 4096) {
            b.setLong(at, at ^ 0x5A5A5A5A5A5A5A5AL);
        }
    }

    private static void checkStamp(ResizableBuffer b, long upTo) {
        for (long at = 0; at < upTo; at += 4096) {
            if (b.getLong(at) != (at ^ 0x5A5A5A5A5A5A5A5AL)) {
                throw new AssertionError("byte " + at + " lost: " + Long.toHexString(b.getLong(at)));
            }
        }
    }

    @Test
    void releaseUnusedKeepsLiveBuffers() {
        try (ResizableBuffer b = pool.allocate(4096)) {
            b.setInt(0, 7);
            pool.releaseUnused();
            assertEquals(7, b.getInt(0));
        }
        pool.releaseUnused();
    }

    @Test
    void backendNameAndStatisticsAgree() {
        assertNotNull(pool.backendName());
        assertFalse(pool.backendName().isBlank());
        var s = pool.statistics();
        assertEquals(pool.backendName(), s.backendName());
        assertTrue(s.peakBytesAllocated() >= s.bytesAllocated());
    }

    /** Hostile: many tiny allocations, written and checked one byte at a time, freed in shuffled order. */
    @Test
    void manyTinyBuffersOneByteAtATime() {
        List<ResizableBuffer> live = new ArrayList<>();
        try {
            for (int i = 0; i < 2000; i++) {
                ResizableBuffer b = pool.allocate(1 + i % 7);
                for (long j = 0; j < b.size(); j++) {
                    b.setByte(j, (byte) (i + j));
                }
                live.add(b);
            }
            java.util.Collections.shuffle(live, new java.util.Random(42));
            for (ResizableBuffer b : live) {
                byte first = b.getByte(0);
                for (long j = 1; j < b.size(); j++) {
                    assertEquals((byte) (first + j), b.getByte(j));
                }
            }
        } finally {
            live.forEach(Buffer::close);
        }
    }

    /** Hostile: a buffer grown one byte at a time (the worst case for reallocation). */
    @Test
    void growOneByteAtATime() {
        try (ResizableBuffer b = pool.allocate(0)) {
            for (int i = 0; i < 3000; i++) {
                b.resize(i + 1);
                b.setByte(i, (byte) i);
            }
            for (int i = 0; i < 3000; i++) {
                assertEquals((byte) i, b.getByte(i));
            }
        }
    }

    @Test
    void concurrentAllocationsKeepExactAccounting() throws Exception {
        int threads = 4;
        CountDownLatch start = new CountDownLatch(1);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < threads; t++) {
            int id = t;
            Thread w = new Thread(() -> {
                try {
                    start.await();
                    ThreadLocalRandom r = ThreadLocalRandom.current();
                    for (int i = 0; i < 5000; i++) {
                        try (ResizableBuffer b = pool.allocate(r.nextInt(1, 9000))) {
                            b.setByte(0, (byte) id);
                            if (i % 10 == 0) {
                                b.resize(b.size() * 3);
                            }
                            if (b.getByte(0) != (byte) id) {
                                throw new AssertionError("cross-talk between threads");
                            }
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            });
            w.start();
            workers.add(w);
        }
        start.countDown();
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
    }

    @Test
    void bufferRemembersItsPool() {
        try (ResizableBuffer b = pool.allocate(8)) {
            assertEquals(pool.backendName(), b.pool().backendName());
            byte[] data = {1, 2, 3, 4, 5, 6, 7, 8};
            b.put(0, data, 0, 8);
            assertArrayEquals(data, b.toByteArray());
        }
    }

    /**
     * The capacity a pool gives {@code size} bytes: padded to 64, after the debug pool's guard when it is on
     * ({@code QUIVER_DEBUG_MEMORY_POOL}: the contracts also run so, to prove it reports no false corruption).
     */
    public static long capacityFor(long size) {
        long need = size != 0 && DebugPool.MODE != DebugPool.Mode.NONE ? size + DebugPool.GUARD : size;
        return (need + 63) / 64 * 64;
    }

    /** The most bytes a buffer of {@code capacity} holds without growing: less the debug pool's guard when it is on. */
    public static long usable(long capacity) {
        return DebugPool.MODE != DebugPool.Mode.NONE ? capacity - DebugPool.GUARD : capacity;
    }

    /** What padding holds: zeros, or the debug pool's guard pattern when it is on. */
    public static byte paddingByte() {
        return DebugPool.MODE != DebugPool.Mode.NONE ? DebugPool.PATTERN : 0;
    }
}
