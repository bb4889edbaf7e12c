package org.quiver.internal.memory;

import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;

/**
 * A proxy whose outstanding bytes never exceed a limit. The limit is reserved atomically before the parent is
 * asked, so concurrent allocations can never overshoot it, and a refused or failed allocation changes nothing.
 */
public final class CappedPool extends ProxyPool {

    private final long limit;

    public CappedPool(MemoryPool parent, long limit) {
        super(parent);
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: limit=" + limit);
        }
        this.limit = limit;
    }

    /** The limit in bytes. */
    public long limit() {
        return limit;
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        if (!tryReserve(capacity, limit)) {
            throw new MemoryLimitExceededException(capacity, bytesAllocated(), limit);
        }
        try {
            parent.allocateInto(buffer, capacity);
        } catch (RuntimeException | Error e) {
            didFree(capacity);
            throw e;
        }
        didAllocateReserved(capacity);
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long growth = newCapacity - old;
        if (growth <= 0) {
            parent.reallocateIn(buffer, newCapacity);
            didFree(-growth);
            return;
        }
        if (!tryReserve(growth, limit)) {
            throw new MemoryLimitExceededException(growth, bytesAllocated(), limit);
        }
        try {
            parent.reallocateIn(buffer, newCapacity);
        } catch (RuntimeException | Error e) {
            didFree(growth);
            throw e;
        }
        didAllocateReserved(growth);
    }

    @Override
    public String toString() {
        return "CappedPool[backend=" + backendName() + ", bytesAllocated=" + bytesAllocated() + ", limit=" + limit
                + "]";
    }
}
