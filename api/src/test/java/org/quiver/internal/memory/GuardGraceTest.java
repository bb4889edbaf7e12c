package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * A guarded block is counted as freed when it closes, and its memory goes back to the allocator a grace later,
 * on the reaper thread (JDK-8364167: a thread inside an access when the guard closed may make one more); an
 * unguarded block goes back at once, on the closing thread. A retired allocator closes only after every graced
 * free. The test allocator does not say what it unmaps, so its blocks are guarded from 1 MiB.
 */
class GuardGraceTest {

    /** Records which thread freed, and whether a free came after close. */
    static final class Recording extends LibcAllocator {
        final Queue<String> events = new ConcurrentLinkedQueue<>();

        Recording(String name) {
            super(name);
        }

        @Override
        public void free(long address, long size, long alignment) {
            events.add("free " + size + " on " + Thread.currentThread().getName());
            super.free(address, size, alignment);
        }

        @Override
        public void close() {
            events.add("close");
            super.close();
        }
    }

    private CloseSafety level;

    @BeforeEach
    void defaultLevel() {
        level = CloseSafety.level();
        CloseSafety.setLevel(CloseSafety.LARGE);
    }

    @AfterEach
    void restore() {
        CloseSafety.setLevel(level);
    }

    @Test
    void aGuardedBlockIsCountedFreeAtCloseAndFreedAfterItsGrace() throws InterruptedException {
        Recording allocator = new Recording("grace");
        try (Allocators.Registration r = Allocators.register(allocator, 1)) {
            MemoryPool pool = MemoryPool.pool("grace");
            ResizableBuffer small = pool.allocate(64 << 10); // above what the thread caches keep
            assertFalse(CloseSafety.isGuarded(small));
            small.close();
            assertEquals("free " + (64 << 10) + " on " + Thread.currentThread().getName(), allocator.events.poll(),
                    "an unguarded block goes back at once, on the closing thread");

            ResizableBuffer large = pool.allocate(1 << 20);
            assertTrue(CloseSafety.isGuarded(large), "an allocator that does not say is guarded from 1 MiB");
            large.close();
            assertEquals(0, pool.bytesAllocated(), "counted as freed at the close");
            await(() -> !allocator.events.isEmpty());
            assertEquals("free " + (1 << 20) + " on quiver-guard-reaper", allocator.events.poll());
            assertEquals(0, allocator.outstanding.get());
        }
    }

    @Test
    void aRetiredAllocatorClosesOnlyAfterItsGracedFrees() throws InterruptedException {
        Recording allocator = new Recording("grace-retiree");
        Allocators.Registration r = Allocators.register(allocator, 1);
        MemoryPool pool = MemoryPool.pool("grace-retiree");
        ResizableBuffer large = pool.allocate(4 << 20);
        r.close();
        large.close();
        await(() -> allocator.closes.get() == 1);
        assertEquals("free " + (4 << 20) + " on quiver-guard-reaper", allocator.events.poll());
        assertEquals("close", allocator.events.poll());
        assertEquals(0, allocator.callsAfterClose.get());
    }

    private static void await(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (!condition.getAsBoolean() && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertTrue(condition.getAsBoolean(), "not within 10 s");
    }
}
