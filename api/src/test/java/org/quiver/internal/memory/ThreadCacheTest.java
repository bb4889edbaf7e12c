package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * Each platform thread keeps its freed small blocks for its next allocations of the same size. A kept block is not
 * outstanding, is reported apart, goes back to the allocator that allocated it, and every thread's cache (busy,
 * idle or ended) is emptied by {@code releaseUnused()} and by retirement, before the allocator closes.
 */
class ThreadCacheTest {

    /** libc under a name of its own, refusing a free of a block it did not hand out (or already took back). */
    static final class TrackingAllocator extends LibcAllocator {
        final Set<Long> live = ConcurrentHashMap.newKeySet();
        final AtomicReference<String> misuse = new AtomicReference<>();

        TrackingAllocator(String name) {
            super(name);
        }

        @Override
        public long allocate(long size, long alignment) {
            long a = super.allocate(size, alignment);
            if (a != 0) {
                live.add(a);
            }
            return a;
        }

        @Override
        public void free(long address, long size, long alignment) {
            if (!live.remove(address)) {
                misuse.compareAndSet(null, "free of a block not live: 0x" + Long.toHexString(address) + " size=" + size);
                return;
            }
            super.free(address, size, alignment);
        }
    }

    private final TrackingAllocator allocator = new TrackingAllocator("thread-cache-test");
    private final Allocators.Registration registration = Allocators.register(allocator, 1);
    private final MemoryPool pool = MemoryPool.pool(allocator.name);

    @AfterEach
    void unregister() {
        registration.close();
        assertNull(allocator.misuse.get());
        assertEquals(0, allocator.callsAfterClose.get(), "no call after close");
    }

    @Test
    void theStatsCommandShowsTheKeptBytes() {
        pool.allocate(100).close();
        String stats = PoolReport.stats();
        String row = stats.lines().filter(l -> l.startsWith(allocator.name + " ")).findFirst().orElseThrow(
                () -> new AssertionError("no row for " + allocator.name + ":\n" + stats));
        assertTrue(stats.lines().findFirst().orElseThrow().endsWith("BYTES_CACHED"), stats);
        assertTrue(row.endsWith(" 128"), row);
        pool.releaseUnused();
        assertTrue(PoolReport.stats().lines().anyMatch(l -> l.startsWith(allocator.name + " ") && l.endsWith(" 0")));
    }

    @Test
    void aFreedSmallBlockIsKeptApart_andServesTheNextAllocationOfItsSize() {
        pool.allocate(100).close();
        assertEquals(0, pool.bytesAllocated(), "a kept block is not outstanding");
        assertEquals(128, pool.bytesCached());
        assertEquals(128, allocator.outstanding.get(), "the allocator still holds it");
        try (ResizableBuffer again = pool.allocate(128)) {
            assertEquals(1, allocator.allocations.get(), "served from the cache");
            assertEquals(128, pool.bytesAllocated());
            assertEquals(0, pool.bytesCached());
            assertEquals(2, pool.numAllocations());
            assertEquals(256, pool.cumulativeBytesAllocated());
        }
        pool.allocate(5000).close(); // too large to keep
        pool.allocate(64, 128).close(); // not the default alignment
        assertEquals(128, pool.bytesCached());
        assertEquals(128, allocator.outstanding.get());
        pool.releaseUnused();
        assertEquals(0, pool.bytesCached());
        assertEquals(0, allocator.outstanding.get());
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void releaseUnusedEmptiesTheCachesOfIdleAndEndedThreads() throws Exception {
        CountDownLatch cached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        Thread idle = Thread.ofPlatform().start(() -> {
            pool.allocate(4096).close();
            cached.countDown();
            awaitQuietly(resume);
            pool.allocate(4096).close(); // its cache still works after being emptied
        });
        Thread ended = Thread.ofPlatform().start(() -> pool.allocate(640).close());
        cached.await();
        ended.join();
        assertEquals(4096 + 640, allocator.outstanding.get(), "both blocks kept");
        pool.releaseUnused();
        assertEquals(0, allocator.outstanding.get(), "released from the idle and the ended thread");
        resume.countDown();
        idle.join();
        assertEquals(4096, allocator.outstanding.get(), "kept again after the release");
        assertEquals(0, pool.bytesAllocated());
        assertEquals(3, pool.numAllocations());
    }

    @Test
    void anEndedThreadsBlocksGoBackWhenTheCountersAreRead() throws Exception {
        Thread.ofPlatform().start(() -> pool.allocate(256).close()).join();
        assertEquals(256, allocator.outstanding.get());
        assertEquals(0, pool.bytesCached(), "reading folds the ended thread's cell and frees its cache");
        assertEquals(0, allocator.outstanding.get());
    }

    @Test
    void retirementFreesEveryCachedBlockAndClosesTheAllocatorAfterTheLastLiveBuffer() throws Exception {
        CountDownLatch cached = new CountDownLatch(1);
        CountDownLatch resume = new CountDownLatch(1);
        AtomicReference<ResizableBuffer> handedOver = new AtomicReference<>();
        Thread idle = Thread.ofPlatform().start(() -> {
            pool.allocate(64).close();
            handedOver.set(pool.allocate(1000));
            cached.countDown();
            awaitQuietly(resume);
        });
        cached.await();
        pool.allocate(2048).close();
        ResizableBuffer live = pool.allocate(300);
        live.setLong(0, 42);
        registration.close();
        assertEquals(0, pool.bytesCached());
        assertEquals(320 + 1024, allocator.outstanding.get(), "only the live buffers' blocks are left");
        assertEquals(0, allocator.closes.get(), "closed with live buffers");
        long freesBefore = allocator.frees.get();
        live.close(); // after retirement a freed block goes back to the allocator, not into a cache
        assertEquals(freesBefore + 1, allocator.frees.get());
        assertEquals(0, allocator.closes.get());
        resume.countDown();
        idle.join();
        handedOver.get().close(); // freed by another thread than the one that allocated it
        assertEquals(1, allocator.closes.get(), "closed after the last buffer");
        assertEquals(0, allocator.outstanding.get());
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void releaseUnusedRacingWithAllocatingThreadsLosesNothingAndCountsExactly() throws Exception {
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long seed = t;
            threads.add(Thread.ofPlatform().start(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<ResizableBuffer> held = new ArrayList<>();
                try {
                    while (!stop.get()) {
                        ResizableBuffer b = pool.allocate(random.nextInt(8, 4097));
                        b.setLong(0, b.capacity());
                        held.add(b);
                        if (held.size() > 8) {
                            ResizableBuffer old = held.remove(random.nextInt(held.size()));
                            if (old.getLong(0) != old.capacity()) {
                                throw new AssertionError("bytes lost: " + old);
                            }
                            old.close();
                        }
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    held.forEach(ResizableBuffer::close);
                }
            }));
        }
        for (int i = 0; i < 300 && failure.get() == null; i++) {
            pool.releaseUnused();
            Thread.sleep(0, 100_000);
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        assertNull(allocator.misuse.get());
        assertEquals(0, pool.bytesAllocated());
        assertEquals(allocator.outstanding.get(), pool.bytesCached(), "what the allocator holds is what is kept");
        pool.releaseUnused();
        assertEquals(0, pool.bytesCached());
        assertEquals(0, allocator.outstanding.get());
        assertEquals(0, allocator.live.size());
        assertTrue(pool.numAllocations() > allocator.allocations.get(), "the caches served");
    }

    private static void awaitQuietly(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
