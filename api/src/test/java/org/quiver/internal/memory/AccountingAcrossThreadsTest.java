package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The counters are kept per thread (so that threads scale) and summed on reading: they must stay exact for
 * buffers that cross threads, for threads that end, and for the peak when threads take turns.
 */
class AccountingAcrossThreadsTest {

    /** A fresh link with its own counters over the shared backend pool. */
    private final MemoryPool pool = MemoryPool.proxy(MemoryPool.pool("libc"));

    @Test
    void buffersAllocatedInOneThreadAndFreedInAnotherAreCountedExactly() throws Exception {
        int n = 20_000;
        BlockingQueue<ResizableBuffer> queue = new ArrayBlockingQueue<>(64);
        AtomicReference<Throwable> failure = new AtomicReference<>();
        Thread producer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    queue.put(pool.allocate(1 + i % 200));
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        Thread consumer = Thread.ofPlatform().start(() -> {
            try {
                for (int i = 0; i < n; i++) {
                    queue.take().close();
                }
            } catch (Throwable e) {
                failure.compareAndSet(null, e);
            }
        });
        producer.join();
        consumer.join();
        assertEquals(null, failure.get());
        long expectedBytes = 0;
        for (int i = 0; i < n; i++) {
            expectedBytes += padded(1 + i % 200);
        }
        assertEquals(0, pool.bytesAllocated());
        assertEquals(n, pool.numAllocations());
        assertEquals(expectedBytes, pool.cumulativeBytesAllocated());
        // At most the queue's 64 buffers, plus the one the producer holds while the queue is full, plus the one
        // the consumer just took and has not closed yet.
        long max = pool.peakBytesAllocated();
        assertEquals(true, max >= padded(200) && max <= 66 * padded(200), "peak " + max);
    }

    @Test
    void thePeakIsExactWhenThreadsTakeTurns() throws Exception {
        ResizableBuffer a = onOtherThread(() -> pool.allocate(1000));
        ResizableBuffer b = onOtherThread(() -> pool.allocate(500));
        long first = padded(1000) + padded(500);
        assertEquals(first, pool.bytesAllocated());
        assertEquals(first, pool.peakBytesAllocated());
        onOtherThread(() -> {
            a.close();
            return null;
        });
        try (ResizableBuffer c = pool.allocate(900)) {
            assertEquals(padded(500) + padded(900), pool.bytesAllocated());
            assertEquals(first, pool.peakBytesAllocated());
            try (ResizableBuffer d = pool.allocate(200)) {
                long second = padded(500) + padded(900) + padded(200);
                assertEquals(second, pool.bytesAllocated());
                assertEquals(second, pool.peakBytesAllocated());
            }
        }
        b.close();
        assertEquals(0, pool.bytesAllocated());
        assertEquals(padded(500) + padded(900) + padded(200), pool.peakBytesAllocated());
        assertEquals(4, pool.numAllocations());
    }

    @Test
    void manyShortLivedThreadsLeaveExactTotals() throws Exception {
        int threads = 2_000;
        List<Thread> all = new ArrayList<>();
        for (int i = 0; i < threads; i++) {
            all.add(Thread.ofVirtual().start(() -> {
                try (ResizableBuffer b = pool.allocate(64)) {
                    b.setLong(0, 1);
                }
            }));
        }
        for (Thread t : all) {
            t.join();
        }
        assertEquals(0, pool.bytesAllocated());
        assertEquals(threads, pool.numAllocations());
        assertEquals(threads * 64L, pool.cumulativeBytesAllocated());
    }

    @Test
    void growthInOneThreadAndFreeInAnotherBalance() throws Exception {
        ResizableBuffer b = pool.allocate(100);
        onOtherThread(() -> b.resize(10_000));
        assertEquals(padded(10_000), pool.bytesAllocated());
        onOtherThread(() -> {
            b.close();
            return null;
        });
        assertEquals(0, pool.bytesAllocated());
        assertEquals(padded(10_000), pool.peakBytesAllocated());
    }

    private static long padded(long size) {
        return (size + 63) & ~63L;
    }

    private interface Task<T> {
        T run() throws Exception;
    }

    private static <T> T onOtherThread(Task<T> task) throws Exception {
        AtomicReference<T> result = new AtomicReference<>();
        AtomicReference<Exception> failure = new AtomicReference<>();
        Thread t = Thread.ofPlatform().start(() -> {
            try {
                result.set(task.run());
            } catch (Exception e) {
                failure.set(e);
            }
        });
        t.join();
        if (failure.get() != null) {
            throw failure.get();
        }
        return result.get();
    }
}
