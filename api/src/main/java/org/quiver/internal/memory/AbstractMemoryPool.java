package org.quiver.internal.memory;

import java.util.Map;

import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.internal.kit.Checks;

/**
 * A link in a pool chain (logging, proxy or capped over ... over a backend). {@link #allocate} checks the
 * arguments once, then the buffer travels down the chain: each link accounts for it and passes it to its
 * parent, and the backend at the end asks its allocator. Frees and reallocations walk the same chain.
 *
 * <p>Each link counts in per-thread cells ({@link Counters}): no allocating thread writes to a cache line another
 * one writes, so threads scale. A capped pool adds one atomic counter for its limit.
 */
public abstract class AbstractMemoryPool implements MemoryPool {

    /** Bytes outstanding, ever allocated, allocations, and the peak. */
    final Counters counters = new Counters();

    @Override
    public final ResizableBuffer allocate(long size, long alignment) {
        Checks.checkSize(size);
        Checks.checkAlignment(alignment);
        PoolBuffer buffer = new PoolBuffer(this, alignment);
        if (DebugPool.ON) {
            buffer.debugSite = new Throwable("allocated here");
        }
        if (size != 0) {
            allocateInto(buffer, padded(size, "size", this));
            buffer.guardBlock();
        }
        buffer.setSize(size);
        Leaks.track(buffer);
        if (Telemetry.JFR && Telemetry.recorder) {
            Telemetry.sample(this, size, alignment);
        }
        return buffer;
    }

    @Override
    public final ResizableBuffer reallocate(Buffer buffer, long newSize) {
        java.util.Objects.requireNonNull(buffer, "buffer");
        if (!(buffer instanceof PoolBuffer pb)) {
            throw new IllegalArgumentException("only a pool buffer can be reallocated, not "
                    + (buffer instanceof SliceBuffer ? "a slice" : "wrapped memory") + ": " + buffer);
        }
        return pb.resize(newSize, true);
    }

    // ---- the chain ------------------------------------------------------------------------------------------

    /** Gives {@code buffer} {@code capacity} bytes of fresh memory, accounting at every link. */
    abstract void allocateInto(PoolBuffer buffer, long capacity);

    /** Moves {@code buffer}'s memory to {@code newCapacity} bytes, accounting at every link. */
    abstract void reallocateIn(PoolBuffer buffer, long newCapacity);

    /** Frees {@code buffer}'s memory, accounting at every link. */
    abstract void freeFrom(PoolBuffer buffer);

    // ---- accounting -----------------------------------------------------------------------------------------

    final void didAllocate(long size) {
        counters.allocated(size);
    }

    final void didFree(long size) {
        counters.freed(size);
    }

    final void didReallocate(long oldSize, long newSize) {
        if (newSize > oldSize) {
            didAllocate(newSize - oldSize);
        } else {
            didFree(oldSize - newSize);
        }
    }

    @Override
    public long bytesAllocated() {
        return counters.bytes();
    }

    @Override
    public long peakBytesAllocated() {
        return counters.peak();
    }

    @Override
    public long cumulativeBytesAllocated() {
        return counters.total();
    }

    @Override
    public long numAllocations() {
        return counters.count();
    }

    @Override
    public long bytesCached() {
        return backend().cachedBytes();
    }

    @Override
    public void printStats(Appendable out) throws java.io.IOException {
        java.util.Objects.requireNonNull(out, "out");
        out.append(backend().allocator.statistics());
    }

    /** The backend at the end of the chain (for the default pool: of its current delegate). */
    abstract BackendPool backend();

    @Override
    public Map<String, String> backendOptions() {
        return backend().allocator.options();
    }

    @Override
    public void setBackendOption(String name, String value) {
        java.util.Objects.requireNonNull(name, "name");
        java.util.Objects.requireNonNull(value, "value");
        backend().allocator.setOption(name, value);
    }

    /** Whether this pool is, or sits on, {@code pool}. */
    boolean dependsOn(AbstractMemoryPool pool) {
        return this == pool;
    }

    static AbstractMemoryPool chainable(MemoryPool pool) {
        if (pool instanceof AbstractMemoryPool p) {
            return p;
        }
        throw new IllegalArgumentException("not a Quiver pool: " + (pool == null ? "null" : pool.getClass().getName()));
    }

    /**
     * Rounds a size up to the 64-byte padding (with the debug pool on, after room for its guard).
     *
     * @param operand how the caller calls the size, for the message ({@code size}, {@code capacity}...)
     * @param pool    the pool, named in the message (asked for its name only then)
     * @throws org.quiver.memory.OutOfMemoryException when the padded size overflows
     */
    static long padded(long size, String operand, MemoryPool pool) {
        long need = DebugPool.ON && size != 0 ? size + DebugPool.GUARD : size; // the debug pool's guard after it
        long p = (need + 63) & ~63L;
        if (p < size || need < size) {
            throw new org.quiver.memory.OutOfMemoryException(operand + " too large to pad to 64 bytes: " + operand
                    + "=" + size + " pool=" + nameOf(pool));
        }
        return p;
    }

    /**
     * A pool's backend name for a message or a {@code toString()}, which must not fail: a chain over the default
     * pool has no backend name while no backend is available.
     */
    static String nameOf(MemoryPool pool) {
        try {
            return pool.backendName();
        } catch (IllegalStateException noBackend) {
            return "(no backend available)";
        }
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[backend=" + nameOf(this) + ", bytesAllocated=" + bytesAllocated()
                + ", peakBytesAllocated=" + peakBytesAllocated() + "]";
    }
}
