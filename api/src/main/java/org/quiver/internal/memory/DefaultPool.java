package org.quiver.internal.memory;

/**
 * The facade behind {@code MemoryPool.defaultPool()}: a volatile delegate that follows the best-ranked backend
 * (or the override). Each buffer remembers the delegate that served it, so it is freed there even after the
 * default moved on.
 *
 * <p>{@link #BENEATH} is the default beneath a pool installed as the default that wraps the default pool (see
 * {@link ForwardingPool}): the backend chosen by name, property or ranking, without the installed pool. It
 * remembers its delegate in a field of its own, since a buffer may pass through both.
 */
final class DefaultPool extends AbstractMemoryPool {

    static final DefaultPool INSTANCE = new DefaultPool(false);
    static final DefaultPool BENEATH = new DefaultPool(true);

    private final boolean beneath;

    private DefaultPool(boolean beneath) {
        this.beneath = beneath;
    }

    private AbstractMemoryPool current() {
        return beneath ? Backends.defaultBeneath() : Backends.currentDefault();
    }

    private AbstractMemoryPool via(PoolBuffer buffer) {
        return beneath ? buffer.viaBeneath : buffer.viaDefault;
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        AbstractMemoryPool delegate = current();
        while (true) {
            if (beneath) {
                buffer.viaBeneath = delegate;
            } else {
                buffer.viaDefault = delegate;
            }
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
        via(buffer).reallocateIn(buffer, newCapacity);
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        via(buffer).freeFrom(buffer);
    }

    @Override
    boolean dependsOn(AbstractMemoryPool pool) {
        return this == pool || beneath && current().dependsOn(pool);
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
        return (beneath ? "DefaultPool[beneath the installed pool: " : "DefaultPool[") + current() + "]";
    }
}
