package org.quiver.internal.memory;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.VarHandle;
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
    /** The allocator's {@code unmapsFreedBlocksFrom()}, read once: blocks it may unmap are guarded at LARGE. */
    private final long unmapsFrom;
    /** Set when the allocator is unregistered: no new blocks; it is closed once the last block is freed. */
    private volatile boolean retired;
    /** Set once, when retired and drained: the allocator was closed. Guarded by this for writes. */
    private volatile boolean closed;
    /** Set once retire() has emptied and closed every thread's cache: only then may the allocator close. */
    private volatile boolean cachesClosed;
    /** Guarded blocks counted as freed whose memory waits for its grace: the allocator may close only after. */
    private volatile int pendingFrees;
    private static final java.lang.invoke.VarHandle PENDING;

    static {
        try {
            PENDING = java.lang.invoke.MethodHandles.lookup().findVarHandle(BackendPool.class, "pendingFrees",
                    int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    BackendPool(Allocator allocator) {
        this.allocator = allocator;
        this.name = allocator.name();
        this.unmapsFrom = Guards.unmapsFrom(allocator.unmapsFreedBlocksFrom());
        counters.keepFreedBlocks(allocator);
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

    /** Whether a block of this backend's is guarded now (see {@link Guards}). */
    boolean guards(long capacity, long alignment) {
        return Guards.guards(capacity, alignment, unmapsFrom);
    }

    /** The smallest block (rounded to its alignment, plus the alignment) the allocator may unmap once freed. */
    long unmapsFrom() {
        return unmapsFrom;
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        if (retired) {
            throw new RetiredBackendException(name, capacity);
        }
        Counters.Cell cell = counters.cell();
        ThreadCache cache = cell.cache;
        if (cache != null && ThreadCache.fits(capacity, buffer.alignment) && cache.tryLock()) {
            // The cache's compare-and-set orders this like the fence below: a retirement empties and closes the
            // cache after this (and then sees the bytes counted here), or before it (and the lock fails).
            long address;
            try {
                address = cache.take(capacity);
                if (address != 0) {
                    counters.reserve(cell, capacity);
                    counters.commit(cell, capacity);
                }
            } finally {
                cache.unlock();
            }
            if (address != 0) {
                buffer.address = address;
                buffer.capacity = capacity;
                buffer.backend = this;
                buffer.cell = cell;
                return;
            }
        }
        // Count the bytes first, then look at the flag again after a full fence; retire() sets the flag, then
        // sums. Either this thread sees the flag, or retire()'s sum sees these bytes: the allocator is never
        // closed under an allocation that got past here. The fence is the only ordering on this path; it costs
        // what an uncontended atomic does, and writes no shared cache line.
        counters.reserve(cell, capacity);
        VarHandle.fullFence();
        if (retired) {
            freed(capacity);
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
            Telemetry.refused(name, capacity, buffer.alignment, "out of memory");
            throw new OutOfMemoryException("allocator '" + name + "' could not allocate: size=" + capacity
                    + " alignment=" + buffer.alignment);
        }
        if ((address & (buffer.alignment - 1)) != 0) {
            refuseMisaligned(address, capacity, buffer.alignment);
        }
        buffer.address = address;
        buffer.capacity = capacity;
        buffer.backend = this;
        buffer.cell = cell;
        counters.commit(cell, capacity);
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long address = allocator.reallocate(buffer.address, old, newCapacity, buffer.alignment);
        if (address == 0) {
            Telemetry.refused(name, newCapacity, buffer.alignment, "out of memory (reallocation from " + old
                    + " bytes)");
            throw new OutOfMemoryException("allocator '" + name + "' could not reallocate: oldSize=" + old
                    + " newSize=" + newCapacity + " alignment=" + buffer.alignment);
        }
        if ((address & (buffer.alignment - 1)) != 0) {
            address = realignMoved(address, old, newCapacity, buffer.alignment);
        }
        buffer.address = address;
        buffer.capacity = newCapacity;
        didReallocate(old, newCapacity);
    }

    // A pool never hands out a misaligned buffer, whatever the allocator returns (mimalloc 2.0.9 did, for
    // alignments 256 to 1024): the check is one test of the low bits on the allocation path.

    private void refuseMisaligned(long address, long capacity, long alignment) {
        allocator.free(address, capacity, alignment);
        freed(capacity);
        Telemetry.refused(name, capacity, alignment, "misaligned block at 0x" + Long.toHexString(address));
        throw misaligned("allocate", address, capacity, alignment);
    }

    /**
     * A reallocation moved the data to a misaligned block, and the old block is gone: copy it into a fresh
     * aligned one. If none can be had, the misaligned block is kept, so that nothing is lost and every link of
     * the chain accounts for it, and {@link PoolBuffer} fails the resize naming the allocator.
     */
    private long realignMoved(long moved, long oldCapacity, long newCapacity, long alignment) {
        long fresh = allocator.allocate(newCapacity, alignment);
        if (fresh != 0 && (fresh & (alignment - 1)) == 0) {
            long keep = Math.min(oldCapacity, newCapacity);
            MemorySegment.copy(NativeMemory.at(moved, keep), 0, NativeMemory.at(fresh, keep), 0, keep);
            allocator.free(moved, newCapacity, alignment);
            return fresh;
        }
        if (fresh != 0) {
            allocator.free(fresh, newCapacity, alignment);
        }
        return moved;
    }

    IllegalStateException misaligned(String operation, long address, long size, long alignment) {
        return new IllegalStateException("allocator '" + name + "' returned a misaligned block from " + operation
                + ": address=0x" + Long.toHexString(address) + " size=" + size + " alignment=" + alignment
                + " (address % alignment = " + (address & (alignment - 1)) + ")");
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        Counters.Cell cell = counters.cell(buffer.cell);
        ThreadCache cache = cell.cache;
        if (cache != null && ThreadCache.fits(capacity, buffer.alignment) && cache.tryLock()) {
            // Kept for this thread's next allocation of the size. No look at the retired flag is needed: a
            // retirement closes this cache after this (and frees the block) or before it (and the lock fails).
            boolean kept;
            try {
                kept = cache.keep(buffer.address, capacity);
                if (kept) {
                    counters.freedIn(cell, capacity);
                }
            } finally {
                cache.unlock();
            }
            if (kept) {
                return;
            }
        }
        if (buffer.guard != null) {
            // Counted as freed now; the memory goes back after the guard's grace (see Guards.GRACE_MILLIS).
            freeAfterGrace(buffer.address, capacity, buffer.alignment);
        } else {
            allocator.free(buffer.address, capacity, buffer.alignment);
        }
        counters.freedIn(cell, capacity);
        // No fence here, to keep frees cheap: a free that races with retire() may miss the flag while retire()'s
        // sum misses the free. retire() then looks again a little later (see recheck).
        if (retired) {
            closeIfDrained();
        }
    }

    private void freeAfterGrace(long address, long capacity, long alignment) {
        PENDING.getAndAdd(this, 1);
        Guards.afterGrace(() -> {
            try {
                allocator.free(address, capacity, alignment);
            } finally {
                PENDING.getAndAdd(this, -1); // a volatile write: the close below sees it
                if (retired) {
                    closeIfDrained();
                }
            }
        });
    }

    /** Gives back what allocateInto counted before it failed. */
    private void freed(long capacity) {
        didFree(capacity);
        if (retired) {
            closeIfDrained();
        }
    }

    /**
     * Takes the allocator out of service: new allocations are refused (the default pool retries with its new
     * delegate) while the live blocks stay valid; the allocator is closed when the last one is freed.
     */
    void retire() {
        retired = true; // a volatile store: the fence before the sum
        // Every thread's kept blocks go back now, and no cache keeps any from here on; the allocator may close
        // only after that, even if a free brings the count to zero meanwhile.
        counters.drainCaches(true);
        cachesClosed = true;
        closeIfDrained();
        if (!closed) {
            Thread.ofVirtual().name("quiver-retire-" + name).start(this::recheck);
        }
    }

    /**
     * Frees do not fence (see freeFrom): one that ran at the very moment of retire() may have read the flag
     * before it was set while its own count was not yet visible to retire()'s sum. Its count becomes visible
     * within nanoseconds; looking again after 1, 10, 100 and 1,000 ms closes the allocator if that free was the
     * last. Every later free sees the flag itself.
     */
    private void recheck() {
        for (long wait = 1; wait <= 1000 && !closed; wait *= 10) {
            try {
                Thread.sleep(wait);
            } catch (InterruptedException e) {
                return;
            }
            closeIfDrained();
        }
    }

    /** Whether the allocator was closed: retired and every block freed. */
    boolean drained() {
        return closed;
    }

    private void closeIfDrained() {
        synchronized (this) {
            if (closed || !cachesClosed || counters.bytes() != 0 || pendingFrees != 0) {
                return;
            }
            closed = true;
            try {
                allocator.close();
            } catch (RuntimeException | LinkageError e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING,
                        "allocator '" + name + "' failed to close", e);
            }
        }
        Backends.drained(this);
        Telemetry.closed(name);
    }

    @Override
    BackendPool backend() {
        return this;
    }

    @Override
    public String backendName() {
        return name;
    }

    /** Bytes kept in the threads' caches of freed blocks. */
    long cachedBytes() {
        return counters.cachedBytes();
    }

    /** Empties every thread's cache of freed blocks, then asks the allocator to return what it keeps. */
    @Override
    public void releaseUnused() {
        counters.drainCaches(false);
        synchronized (this) { // not after close()
            if (!closed) {
                allocator.releaseUnused();
            }
        }
    }
}
