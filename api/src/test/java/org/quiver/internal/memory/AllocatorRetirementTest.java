package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * An unregistered allocator retires: it allocates no more, its live buffers stay valid and are freed by it, and
 * it is closed exactly once, after the last one, never while an allocation can still reach it.
 */
class AllocatorRetirementTest {

    @Test
    void aRetiredAllocatorKeepsItsBuffers_refusesNewOnes_andClosesAfterTheLast() {
        LibcAllocator retiree = new LibcAllocator("retiree");
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        Allocators.Registration registration = Allocators.register(retiree, 1000);
        MemoryPool pool = MemoryPool.pool("retiree");
        List<ResizableBuffer> live = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            ResizableBuffer b = MemoryPool.defaultPool().allocate(100);
            b.setLong(0, i);
            live.add(b);
        }
        assertEquals("retiree", live.get(0).pool().backendName());
        registration.close();
        assertEquals("libc", MemoryPool.defaultPool().backendName());
        IllegalStateException refused = assertThrows(IllegalStateException.class, () -> pool.allocate(64));
        assertTrue(refused.getMessage().contains("'retiree' was unregistered") && refused.getMessage().contains("size=64"),
                refused.getMessage());
        assertEquals(0, retiree.closes.get(), "closed with live buffers");
        live.get(1).resize(100_000); // grows through its own, retired, allocator
        assertEquals(1, live.get(1).getLong(0));
        live.get(0).close();
        live.get(1).close();
        assertEquals(0, retiree.closes.get());
        assertEquals(2L, live.get(2).getLong(0));
        live.get(2).close();
        assertEquals(1, retiree.closes.get(), "closed after the last buffer");
        assertEquals(0, retiree.outstanding.get());
        assertEquals(0, pool.bytesAllocated());
        assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
        assertThrows(IllegalStateException.class, () -> pool.allocate(64));
        assertEquals(0, retiree.callsAfterClose.get());
    }

    @Test
    void anEmptyAllocatorClosesAtOnce() {
        LibcAllocator idle = new LibcAllocator("idle");
        Allocators.register(idle, 5).close();
        assertEquals(1, idle.closes.get());
    }

    @Test
    void allocationsRacingWithRetirementNeverFailAndNeverReachAClosedAllocator() throws Exception {
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong operations = new AtomicLong();
        List<Thread> threads = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            long seed = t;
            Thread thread = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                List<ResizableBuffer> held = new ArrayList<>();
                try {
                    while (!stop.get()) {
                        ResizableBuffer b = MemoryPool.defaultPool().allocate(random.nextInt(1, 5000));
                        b.setByte(0, (byte) 7);
                        held.add(b);
                        if (held.size() > 16) {
                            ResizableBuffer old = held.remove(random.nextInt(held.size()));
                            if (old.getByte(0) != 7) {
                                throw new AssertionError("bytes lost: " + old);
                            }
                            old.close();
                        }
                        operations.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    held.forEach(ResizableBuffer::close);
                }
            });
            threads.add(thread);
            thread.start();
        }
        List<LibcAllocator> allocators = new ArrayList<>();
        for (int i = 0; i < 200 && failure.get() == null; i++) {
            LibcAllocator a = new LibcAllocator("churn");
            allocators.add(a);
            Allocators.Registration r = Allocators.register(a, 500);
            long seen = operations.get();
            while (operations.get() < seen + 20 && failure.get() == null) {
                Thread.onSpinWait();
            }
            r.close();
        }
        stop.set(true);
        for (Thread t : threads) {
            t.join();
        }
        assertNull(failure.get(), () -> "failed: " + failure.get());
        for (LibcAllocator a : allocators) {
            assertEquals(1, a.closes.get(), "every retired allocator closes exactly once");
            assertEquals(0, a.callsAfterClose.get(), "no call after close");
            assertEquals(0, a.outstanding.get());
        }
        assertTrue(allocators.stream().mapToLong(a -> a.allocations.get()).sum() > 0, "the churned allocators served");
        assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
    }
}
