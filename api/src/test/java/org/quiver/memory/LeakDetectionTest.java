package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** A buffer dropped without close is reported, with its allocation site at the paranoid level. */
class LeakDetectionTest {

    private final LeakDetection.Level level = LeakDetection.level();

    @AfterEach
    void restore() {
        LeakDetection.setLevel(level);
    }

    private static void leak(MemoryPool pool, long size) {
        Buffer b = pool.allocate(size);
        b.setByte(0, (byte) 1);
        // dropped on purpose
    }

    private static LeakReport awaitLeak(LinkedBlockingQueue<LeakReport> reports) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            System.gc();
            LeakReport r = reports.poll(100, TimeUnit.MILLISECONDS);
            if (r != null) {
                return r;
            }
        }
        return null;
    }

    @Test
    void paranoidReportsTheSiteAndTheListenerMayFree() throws Exception {
        MemoryPool backend = MemoryPool.pool("libc");
        long before = backend.bytesAllocated();
        long found = LeakDetection.leaksFound();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        LinkedBlockingQueue<LeakReport> reports = new LinkedBlockingQueue<>();
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            leak(backend, 777);
            LeakReport r = awaitLeak(reports);
            assertNotNull(r, "leak reported");
            assertEquals("libc", r.backendName());
            assertEquals(832, r.capacity());
            assertNotNull(r.allocationSite());
            boolean mentionsTest = false;
            for (StackTraceElement e : r.allocationSite().getStackTrace()) {
                mentionsTest |= e.getMethodName().equals("leak");
            }
            assertTrue(mentionsTest, "the site names the allocating method");
            assertEquals(before + 832, backend.bytesAllocated(), "a leak is not freed behind the user's back");
            r.release();
            r.release();
            assertEquals(before, backend.bytesAllocated());
            assertTrue(LeakDetection.leaksFound() > found);
        }
    }

    /**
     * A buffer allocated empty holds no memory, so it is not watched; grown later, it is, from the growth (it was
     * missed before), and a report frees it along the path its memory came by (the default pool's delegate).
     */
    @Test
    void aBufferGrownFromEmptyIsWatchedAndFreedWhereItsMemoryCameFrom() throws Exception {
        MemoryPool backend = MemoryPool.pool("libc");
        long before = backend.bytesAllocated();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        LinkedBlockingQueue<LeakReport> reports = new LinkedBlockingQueue<>();
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            growFromEmptyAndDrop(MemoryPool.defaultPool());
            LeakReport r = awaitLeak(reports);
            assertNotNull(r, "leak reported");
            assertEquals(1024, r.capacity());
            assertEquals(before + 1024, backend.bytesAllocated());
            r.release();
            assertEquals(before, backend.bytesAllocated(), "freed through the default pool's delegate");
        }
    }

    private static void growFromEmptyAndDrop(MemoryPool pool) {
        ResizableBuffer b = pool.allocate(0);
        b.resize(1000, true);
        b.setByte(0, (byte) 1);
        // dropped on purpose
    }

    @Test
    void closedBuffersAreNeverReported() throws Exception {
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        LinkedBlockingQueue<LeakReport> reports = new LinkedBlockingQueue<>();
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            for (int i = 0; i < 100; i++) {
                try (Buffer b = MemoryPool.defaultPool().allocate(100); Buffer s = b.slice(0, 10)) {
                    s.getByte(0);
                }
            }
            for (int i = 0; i < 5; i++) {
                System.gc();
                Thread.sleep(50);
            }
            assertNull(reports.poll(), "no false positives");
        }
    }

    @Test
    void offTracksNothing() throws Exception {
        LeakDetection.setLevel(LeakDetection.Level.OFF);
        LinkedBlockingQueue<LeakReport> reports = new LinkedBlockingQueue<>();
        MemoryPool proxy = MemoryPool.proxy(MemoryPool.pool("libc"));
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            Buffer kept = proxy.allocate(64);
            for (int i = 0; i < 3; i++) {
                System.gc();
                Thread.sleep(30);
            }
            assertNull(reports.poll());
            kept.close();
        }
        assertEquals(0, proxy.bytesAllocated());
    }
}
