package org.quiver.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;

/**
 * A proxy whose outstanding bytes never exceed a limit. The limit is reserved atomically before the parent is
 * asked, so concurrent allocations can never overshoot it, and a refused or failed allocation changes nothing.
 */
public class CappedPool extends ProxyPool {

    private static final VarHandle RESERVED;

    static {
        try {
            RESERVED = MethodHandles.lookup().findVarHandle(CappedPool.class, "reserved", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private volatile long limit;
    /** Bytes outstanding, as one atomic counter: the limit is a decision across threads. */
    private volatile long reserved;

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

    /** Changes the limit; bytes already allocated stay, even above it, and only new requests are refused. */
    void setLimit(long newLimit) {
        if (newLimit < 0) {
            throw new IllegalArgumentException("negative limit: limit=" + newLimit);
        }
        limit = newLimit;
    }

    /** Who the limit belongs to, for the error message; {@code null} for a plain capped pool. */
    String limitOwner() {
        return null;
    }

    /** Reserves {@code size} bytes under {@code limit} atomically; false if that would exceed it. */
    private boolean tryReserve(long size, long limit) {
        long b;
        do {
            b = reserved;
            if (b + size > limit || b + size < 0) {
                return false;
            }
        } while (!RESERVED.weakCompareAndSet(this, b, b + size));
        return true;
    }

    private void unreserve(long size) {
        RESERVED.getAndAdd(this, -size);
    }

    @Override
    public long bytesAllocated() {
        return reserved;
    }

    private MemoryLimitExceededException exceeded(long requested, long limit) {
        long allocated = bytesAllocated();
        String owner = limitOwner();
        Telemetry.limitExceeded(owner != null ? owner : "capped pool over '" + nameOf(this) + "'", requested,
                allocated, limit);
        return new MemoryLimitExceededException(owner, requested, allocated, limit);
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        long max = limit;
        if (!tryReserve(capacity, max)) {
            throw exceeded(capacity, max);
        }
        try {
            parentToAllocate().allocateInto(buffer, capacity);
        } catch (RuntimeException | Error e) {
            unreserve(capacity);
            throw e;
        }
        didAllocate(capacity);
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long growth = newCapacity - old;
        if (growth <= 0) {
            parentLink().reallocateIn(buffer, newCapacity);
            unreserve(-growth);
            didFree(-growth);
            return;
        }
        long max = limit;
        if (!tryReserve(growth, max)) {
            throw exceeded(growth, max);
        }
        try {
            parentLink().reallocateIn(buffer, newCapacity);
        } catch (RuntimeException | Error e) {
            unreserve(growth);
            throw e;
        }
        didAllocate(growth);
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        super.freeFrom(buffer);
        unreserve(capacity);
    }

    @Override
    public String toString() {
        return "CappedPool[backend=" + nameOf(this) + ", bytesAllocated=" + bytesAllocated() + ", limit=" + limit
                + "]";
    }
}
