package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.OutOfMemoryException;
import org.quiver.memory.ResizableBuffer;

/**
 * Misuse of a pool and its buffers: each case gets its specific exception, a message that names the operands,
 * and leaves the accounting exactly as it was.
 */
public abstract class MisuseCatalog {

    protected abstract MemoryPool pool();

    private MemoryPool pool;
    private long[] before;

    private long[] accounting() {
        return new long[] {pool.bytesAllocated(), pool.cumulativeBytesAllocated(), pool.numAllocations(),
                MemoryPool.bytesAllocatedInAllPools()};
    }

    @BeforeEach
    void remember() {
        pool = pool();
        before = accounting();
    }

    @AfterEach
    void accountingUnchanged() {
        long[] after = accounting();
        assertEquals(before[0], after[0], "bytesAllocated");
        assertEquals(before[3], after[3], "bytesAllocatedInAllPools");
    }

    private <T extends Throwable> T fails(Class<T> type, String mustMention, Executable action) {
        long[] start = accounting();
        T e = assertThrows(type, action);
        assertTrue(e.getMessage() != null && e.getMessage().contains(mustMention),
                "message should mention '" + mustMention + "': " + e.getMessage());
        long[] end = accounting();
        assertEquals(start[0], end[0], "bytesAllocated changed by a failed call");
        assertEquals(start[1], end[1], "cumulativeBytesAllocated changed by a failed call");
        assertEquals(start[2], end[2], "numAllocations changed by a failed call");
        assertEquals(start[3], end[3], "bytesAllocatedInAllPools changed by a failed call");
        return e;
    }

    @ParameterizedTest
    @ValueSource(longs = {-1, -64, Long.MIN_VALUE})
    void negativeSize(long size) {
        fails(IllegalArgumentException.class, "size=" + size, () -> pool.allocate(size));
    }

    @ParameterizedTest
    @ValueSource(longs = {0, -8, 3, 48, 100, 1L << 31, Long.MIN_VALUE})
    void badAlignment(long alignment) {
        fails(IllegalArgumentException.class, "alignment=" + alignment, () -> pool.allocate(64, alignment));
    }

    @ParameterizedTest
    @ValueSource(longs = {Long.MAX_VALUE, Long.MAX_VALUE - 63, 1L << 60, 1L << 50})
    void hugeSize(long size) {
        fails(OutOfMemoryException.class, "size=", () -> pool.allocate(size));
    }

    @Test
    void hugeGrowthLeavesTheBufferIntact() {
        try (ResizableBuffer b = pool.allocate(100)) {
            b.setLong(0, 1234);
            fails(OutOfMemoryException.class, String.valueOf(PoolContract.capacityFor(1L << 50)),
                    () -> b.resize(1L << 50));
            fails(OutOfMemoryException.class, "9223372036854775807", () -> b.reserve(Long.MAX_VALUE));
            assertEquals(100, b.size());
            assertEquals(1234, b.getLong(0));
            fails(IllegalArgumentException.class, "size=-1", () -> b.resize(-1));
            fails(IllegalArgumentException.class, "size=-5", () -> b.reserve(-5));
        }
    }

    @Test
    void outOfRangeSlices() {
        try (ResizableBuffer b = pool.allocate(10)) {
            fails(IndexOutOfBoundsException.class, "offset=5 length=6 size=10", () -> b.slice(5, 6));
            fails(IndexOutOfBoundsException.class, "offset=-1", () -> b.slice(-1, 1));
            fails(IndexOutOfBoundsException.class, "length=-1", () -> b.mutableSlice(0, -1));
            fails(IndexOutOfBoundsException.class, "offset=11", () -> b.slice(11));
            fails(IndexOutOfBoundsException.class, "offset=2 length=9 size=10",
                    () -> b.copy(2, 9, pool));
            fails(IndexOutOfBoundsException.class, "index=10", () -> b.getByte(10));
            fails(IndexOutOfBoundsException.class, "offset=0 length=11 size=10",
                    () -> b.get(0, new byte[11], 0, 11));
        }
    }

    @Test
    void useAfterClose() {
        ResizableBuffer b = pool.allocate(10);
        b.close();
        fails(IllegalStateException.class, "closed", () -> b.getByte(0));
        fails(IllegalStateException.class, "closed", () -> b.setByte(0, (byte) 1));
        fails(IllegalStateException.class, "closed", () -> b.resize(20));
        fails(IllegalStateException.class, "closed", () -> b.reserve(200));
        fails(IllegalStateException.class, "closed", b::address);
        fails(IllegalStateException.class, "closed", () -> b.slice(0, 1));
        fails(IllegalStateException.class, "closed", () -> pool.reallocate(b, 30));
    }

    @Test
    void doubleCloseIsHarmless() {
        long bytes = pool.bytesAllocated();
        ResizableBuffer b = pool.allocate(1000);
        Buffer s = b.slice(0, 10);
        b.close();
        b.close();
        b.close();
        assertTrue(pool.bytesAllocated() > bytes, "the slice still holds the memory");
        s.close();
        s.close();
        assertEquals(bytes, pool.bytesAllocated(), "freed exactly once");
    }

    @Test
    void writesToReadOnlyBuffers() {
        try (ResizableBuffer b = pool.allocate(16); Buffer ro = b.slice(0, 16)) {
            fails(UnsupportedOperationException.class, "read-only", () -> ro.setByte(0, (byte) 1));
            fails(UnsupportedOperationException.class, "read-only", () -> ro.setLong(8, 1));
            fails(UnsupportedOperationException.class, "read-only", () -> ro.put(0, new byte[1], 0, 1));
            fails(UnsupportedOperationException.class, "read-only", () -> ro.fill((byte) 1));
            fails(UnsupportedOperationException.class, "read-only", () -> ro.mutableSlice(0, 1));
            assertThrows(java.nio.ReadOnlyBufferException.class, () -> ro.asByteBuffer().put((byte) 1));
            // the JDK refuses writes to a read-only segment with IllegalArgumentException
            assertThrows(IllegalArgumentException.class,
                    () -> ro.asSegment().set(java.lang.foreign.ValueLayout.JAVA_BYTE, 0, (byte) 1));
        }
        try (Buffer ro = Buffer.wrap(ByteBuffer.allocate(4).asReadOnlyBuffer())) {
            fails(UnsupportedOperationException.class, "read-only", () -> ro.setInt(0, 1));
        }
    }

    @Test
    void reallocatingASliceOrForeignMemory() {
        try (ResizableBuffer b = pool.allocate(64); Buffer s = b.slice(0, 32)) {
            fails(IllegalArgumentException.class, "slice", () -> pool.reallocate(s, 128));
            fails(IllegalStateException.class, "1 slice(s)", () -> b.resize(1000));
            fails(IllegalStateException.class, "1 slice(s)", () -> pool.reallocate(b, 1000));
        }
        try (Buffer w = Buffer.wrap(new byte[8])) {
            fails(IllegalArgumentException.class, "wrapped", () -> pool.reallocate(w, 16));
        }
    }

    @Test
    void cappedPoolRefusesAndChangesNothing() {
        MemoryPool capped = MemoryPool.capped(pool, 1024);
        try (ResizableBuffer a = capped.allocate(1000)) {
            long cappedBytes = capped.bytesAllocated();
            MemoryLimitExceededException e = fails(MemoryLimitExceededException.class, "limit=1024",
                    () -> capped.allocate(100));
            assertEquals(128, e.requested());
            assertEquals(1024, e.limit());
            assertEquals(cappedBytes, capped.bytesAllocated());
            fails(MemoryLimitExceededException.class, "limit=1024", () -> a.resize(1100));
            assertEquals(1000, a.size());
            a.resize(PoolContract.usable(1024)); // grows within its 1024 bytes: nothing more to reserve
            assertEquals(1024, capped.bytesAllocated());
        }
        assertEquals(0, capped.bytesAllocated());
        fails(IllegalArgumentException.class, "limit=-1", () -> MemoryPool.capped(pool, -1));
    }

    @Test
    void unknownBackendNamesListTheKnownOnes() {
        IllegalArgumentException e = fails(IllegalArgumentException.class, "no-such-pool",
                () -> MemoryPool.pool("no-such-pool"));
        assertTrue(e.getMessage().contains("system") && e.getMessage().contains("jemalloc")
                && e.getMessage().contains("mimalloc"), e.getMessage());
        fails(IllegalArgumentException.class, "known backends", () -> MemoryPool.setDefault("nope"));
    }

    @Test
    void wrapRejectsBadRanges() {
        fails(IndexOutOfBoundsException.class, "offset=3 length=8 size=10",
                () -> Buffer.wrap(new byte[10], 3, 8));
    }
}
