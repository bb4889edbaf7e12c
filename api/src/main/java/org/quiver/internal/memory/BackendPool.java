package org.quiver.internal.memory;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.WeakHashMap;

import org.quiver.memory.OutOfMemoryException;
import org.quiver.memory.spi.Allocator;

/**
 * The end of every pool chain: the accounting of one allocator backend.
 */
final class BackendPool extends AbstractMemoryPool {

    /**
     * Every backend pool that may still hold memory, registered or not, for {@link #totalAllocated()}. Weak: a
     * pool nobody references (unregistered, no live buffer) holds nothing. Summing on read keeps a shared
     * counter, and its cache-line contention between threads, off the allocation path.
     */
    private static final Map<BackendPool, Boolean> ALL = Collections.synchronizedMap(new WeakHashMap<>());

    final Allocator allocator;
    private final String name;
    /** Set when the allocator is unregistered: no new blocks; it is closed once the last block is freed. */
    private volatile boolean retired;

    BackendPool(Allocator allocator) {
        this.allocator = allocator;
        this.name = allocator.name();
        ALL.put(this, Boolean.TRUE);
    }

    /** Bytes outstanding across every backend pool. */
    static long totalAllocated() {
        List<BackendPool> pools;
        synchronized (ALL) {
            pools = new ArrayList<>(ALL.keySet());
        }
        long sum = 0;
        for (BackendPool p : pools) {
            sum += p.bytesAllocated();
        }
        return sum;
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        // Reserve first: a retired allocator is closed only when nothing is reserved, so it cannot be closed
        // under an allocation that got past this check.
        if (retired || !tryReserveUnlessSealed(capacity)) {
            throw new RetiredBackendException(name, capacity);
        }
        long address;
        try {
            address = allocator.allocate(capacity, buffer.alignment);
        } catch (RuntimeException | Error e) {
            freed(capacity);
            throw e;
        }
        if (address == 0) {
            freed(capacity);
            throw new OutOfMemoryException("allocator '" + name + "' could not allocate: size=" + capacity
                    + " alignment=" + buffer.alignment);
        }
        buffer.address = address;
        buffer.capacity = capacity;
        buffer.backend = this;
        didAllocateReserved(capacity);
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
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        allocator.free(buffer.address, capacity, buffer.alignment);
        freed(capacity);
    }

    private void freed(long capacity) {
        if (didFree(capacity) == 0 && retired) {
            closeIfDrained();
        }
    }

    /**
     * Takes the allocator out of service: new allocations are refused (the default pool retries with its new
     * delegate) while the live blocks stay valid; the allocator is closed when the last one is freed.
     */
    void retire() {
        retired = true;
        closeIfDrained();
    }

    /** Whether the allocator was closed: retired and every block freed. */
    boolean drained() {
        return sealed();
    }

    private void closeIfDrained() {
        if (sealIfEmpty()) {
            try {
                allocator.close();
            } catch (RuntimeException | LinkageError e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING,
                        "allocator '" + name + "' failed to close", e);
            }
            Backends.drained(this);
        }
    }

    @Override
    BackendPool backend() {
        return this;
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
