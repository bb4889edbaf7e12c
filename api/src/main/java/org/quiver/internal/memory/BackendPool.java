package org.quiver.internal.memory;

import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.OutOfMemoryException;
import org.quiver.memory.spi.Allocator;

/**
 * The end of every pool chain: the accounting of one allocator backend.
 */
final class BackendPool extends AbstractMemoryPool {

    /** Bytes outstanding in every backend pool: {@code MemoryPool.totalAllocatedBytes()}. */
    static final AtomicLong TOTAL_ALLOCATED = new AtomicLong();

    final Allocator allocator;
    private final String name;

    BackendPool(Allocator allocator) {
        this.allocator = allocator;
        this.name = allocator.name();
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        long address = allocator.allocate(capacity, buffer.alignment);
        if (address == 0) {
            throw new OutOfMemoryException("allocator '" + name + "' could not allocate: size=" + capacity
                    + " alignment=" + buffer.alignment);
        }
        buffer.address = address;
        buffer.capacity = capacity;
        buffer.backend = this;
        didAllocate(capacity);
        TOTAL_ALLOCATED.getAndAdd(capacity);
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long address = allocator.reallocate(buffer.address, old, newCapacity, buffer.alignment);
        if (address == 0) {
            throw new OutOfMemoryException("allocator '" + name + "' could not reallocate: oldSize=" + old
                    + " newSize=" + newCapacity + " alignment=" + buffer.alignment);
        }
        buffer.address = address;
        buffer.capacity = newCapacity;
        didReallocate(old, newCapacity);
        TOTAL_ALLOCATED.getAndAdd(newCapacity - old);
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        allocator.free(buffer.address, capacity, buffer.alignment);
        didFree(capacity);
        TOTAL_ALLOCATED.getAndAdd(-capacity);
    }

    @Override
    public String backendName() {
        return name;
    }

    @Override
    public void releaseUnused() {
        allocator.releaseUnused();
    }
}
