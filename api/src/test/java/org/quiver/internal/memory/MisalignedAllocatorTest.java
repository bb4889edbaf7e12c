package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * A pool never hands out a misaligned buffer, whatever its allocator returns (mimalloc 2.0.9 returned
 * (256, 256) at address % 256 = 128): a misaligned allocation is refused naming the allocator, a misaligned
 * reallocation is moved to an aligned block, and nothing leaks or is lost either way.
 */
class MisalignedAllocatorTest {

    /** libc's aligned_alloc, returning blocks 32 bytes past an aligned address while {@link #skews} is positive. */
    static final class SkewingAllocator extends LibcAllocator {
        /** How many of the next blocks come back misaligned (-1: all of them). */
        final AtomicInteger skews = new AtomicInteger();
        /** Returned address to the address libc gave. */
        final Map<Long, Long> blocks = new ConcurrentHashMap<>();

        SkewingAllocator() {
            super("skewing");
        }

        @Override
        public long allocate(long size, long alignment) {
            long a = Math.max(alignment, 64);
            long base = LibcAllocator.libcAllocate(size + a, a);
            int s = skews.getAndUpdate(n -> n > 0 ? n - 1 : n);
            long address = s != 0 ? base + 32 : base;
            blocks.put(address, base);
            return address;
        }

        @Override
        public void free(long address, long size, long alignment) {
            Long base = blocks.remove(address);
            if (base == null) {
                throw new AssertionError("freed a block it never returned: 0x" + Long.toHexString(address));
            }
            LibcAllocator.libcFree(base);
        }
    }

    private final SkewingAllocator allocator = new SkewingAllocator();
    private Allocators.Registration registration;
    private MemoryPool pool;

    @BeforeEach
    void register() {
        registration = Allocators.register(allocator, -1000);
        pool = MemoryPool.pool("skewing");
    }

    @AfterEach
    void nothingLeft() {
        registration.close();
        assertEquals(Map.of(), allocator.blocks, "blocks left with the allocator");
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void aMisalignedAllocationIsRefusedNamingTheAllocator_andChangesNothing() {
        allocator.skews.set(1);
        long count = pool.numAllocations();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> pool.allocate(256, 256));
        assertTrue(e.getMessage().contains("allocator 'skewing' returned a misaligned block from allocate")
                && e.getMessage().contains("alignment=256") && e.getMessage().contains("size=256"), e.getMessage());
        assertEquals(0, pool.bytesAllocated());
        assertEquals(count, pool.numAllocations(), "a refused allocation is not counted");
        try (ResizableBuffer b = pool.allocate(256, 256)) {
            assertEquals(0, b.address() % 256);
        }
    }

    @Test
    void aMisalignedReallocationMovesToAnAlignedBlock_keepingTheData() {
        try (ResizableBuffer b = pool.allocate(100, 128)) {
            b.setLong(0, 0x1122334455667788L);
            b.setByte(99, (byte) 7);
            allocator.skews.set(1);
            b.resize(10_000);
            assertEquals(0, b.address() % 128, "address=0x" + Long.toHexString(b.address()));
            assertEquals(0x1122334455667788L, b.getLong(0));
            assertEquals(7, b.getByte(99));
            assertEquals(10_048, pool.bytesAllocated());
        }
    }

    @Test
    void whenNoAlignedBlockCanBeHad_aResizeFailsNamingTheAllocator_andKeepsTheData() {
        try (ResizableBuffer b = pool.allocate(100, 128)) {
            b.setLong(0, 42);
            allocator.skews.set(-1);
            IllegalStateException e = assertThrows(IllegalStateException.class, () -> b.resize(5000));
            assertTrue(e.getMessage().contains("allocator 'skewing' returned a misaligned block from reallocate"),
                    e.getMessage());
            assertEquals(42, b.getLong(0), "the data is kept");
            assertEquals(b.capacity(), pool.bytesAllocated(), "the accounting follows the block kept");
            allocator.skews.set(0);
        }
    }
}
