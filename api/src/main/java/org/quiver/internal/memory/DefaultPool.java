package org.quiver.internal.memory;

/**
 * The facade behind {@code MemoryPool.defaultPool()}: a volatile delegate that follows the best-ranked backend
 * (or the override). Each buffer remembers the delegate that served it, so it is freed there even after the
 * default moved on.
 */
final class DefaultPool extends AbstractMemoryPool {

    static final DefaultPool INSTANCE = new DefaultPool();

    private DefaultPool() {
    }

    private static AbstractMemoryPool current() {
        return Backends.currentDefault();
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        AbstractMemoryPool delegate = current();
        while (true) {
            buffer.viaDefault = delegate;
            try {
                delegate.allocateInto(buffer, capacity);
                return;
            } catch (RetiredBackendException e) {
                // The backend was unregistered between reading the delegate and allocating: the new one serves.
                AbstractMemoryPool next = current();
                if (next == delegate) {
                    throw e;
                }
                delegate = next;
            }
        }
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        buffer.viaDefault.reallocateIn(buffer, newCapacity);
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        buffer.viaDefault.freeFrom(buffer);
    }

    @Override
    BackendPool backend() {
        return current().backend();
    }

    @Override
    public String backendName() {
        return current().backendName();
    }

    @Override
    public long bytesAllocated() {
        return current().bytesAllocated();
    }

    @Override
    public long peakBytesAllocated() {
        return current().peakBytesAllocated();
    }

    @Override
    public long cumulativeBytesAllocated() {
        return current().cumulativeBytesAllocated();
    }

    @Override
    public long numAllocations() {
        return current().numAllocations();
    }

    @Override
    public void releaseUnused() {
        current().releaseUnused();
    }

    @Override
    public String toString() {
        return "DefaultPool[" + current() + "]";
    }
}
