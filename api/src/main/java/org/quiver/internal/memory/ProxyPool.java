package org.quiver.internal.memory;

/**
 * Separate accounting over another pool: pyarrow's {@code proxy_memory_pool}.
 */
public class ProxyPool extends ForwardingPool {

    public ProxyPool(org.quiver.memory.MemoryPool parent) {
        super(parent);
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        parentToAllocate().allocateInto(buffer, capacity);
        didAllocate(capacity);
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        parentLink().reallocateIn(buffer, newCapacity);
        didReallocate(old, newCapacity);
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        parentLink().freeFrom(buffer);
        didFree(capacity);
    }
}
