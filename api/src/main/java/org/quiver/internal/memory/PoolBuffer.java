package org.quiver.internal.memory;

import java.lang.foreign.MemorySegment;

import org.quiver.memory.MemoryCorruptionException;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.internal.kit.Checks;

/**
 * A buffer of pool memory: the root of its slices. It remembers the pool chain that allocated it, so that it
 * is freed (and grown) by the very allocator that allocated it, whatever the default pool has become since.
 */
public final class PoolBuffer extends AbstractBuffer implements ResizableBuffer {

    /** The outermost pool: frees and reallocations start here and walk down the chain. */
    final AbstractMemoryPool owner;
    /** What {@link DefaultPool} chose for this buffer, when the chain goes through it. */
    AbstractMemoryPool viaDefault;
    /** What {@link DefaultPool#BENEATH} chose, when the chain goes through it too. */
    AbstractMemoryPool viaBeneath;
    /** The backend whose allocator holds the memory. */
    BackendPool backend;
    /** The backend's counting cell of the allocating thread, so that a free in that thread needs no look-up. */
    Counters.Cell cell;
    long address;
    long capacity;
    final long alignment;
    Leaks.Tracker leak;
    /** Where it was allocated, when a consumer pool records it (paranoid level). */
    ConsumerPool.Site site;
    /** The guard of the current block, or null when the block is unguarded (or there is none). */
    Guard guard;
    /** Where it was allocated, with the debug pool on ({@link DebugPool}); null otherwise. */
    Throwable debugSite;

    PoolBuffer(AbstractMemoryPool owner, long alignment) {
        super(MemorySegment.NULL, true);
        this.owner = owner;
        this.alignment = alignment;
        this.address = NativeMemory.zeroSizeArea(alignment);
    }

    /** Guards the current block if the close-safety level asks for it; called after each (re)allocation. */
    void guardBlock() {
        guard = guarded() ? new Guard() : null;
    }

    private boolean guarded() {
        return backend != null && backend.guards(capacity, alignment);
    }

    /**
     * Points the data at {@code size} bytes of the current memory and zeroes the padding after them (with the debug
     * pool on, fills it with the guard's pattern instead).
     */
    void setSize(long size) {
        segment = guard == null ? NativeMemory.at(address, size) : guard.segment(address, size);
        if (DebugPool.ON) {
            DebugPool.arm(address, size, capacity);
        } else if (capacity > size) {
            NativeMemory.at(address + size, capacity - size).fill((byte) 0);
        }
    }

    @Override
    AbstractBuffer root() {
        return this;
    }

    @Override
    boolean guardedMemory() {
        return guard != null;
    }

    @Override
    void free() {
        if (DebugPool.ON) {
            MemoryCorruptionException found = capacity == 0 ? null : DebugPool.check(this, "freed");
            freeMemory();
            if (found != null) {
                throw found; // after the memory went back: the accounting stays exact
            }
            return;
        }
        freeMemory();
    }

    private void freeMemory() {
        if (capacity != 0) {
            Guard g = guard;
            if (g == null) {
                owner.freeFrom(this);
            } else {
                g.closeThen(() -> owner.freeFrom(this));
            }
        }
        if (leak != null) {
            leak.released();
        }
    }

    @Override
    public long capacity() {
        return capacity;
    }

    @Override
    public long alignment() {
        return alignment;
    }

    @Override
    public MemoryPool pool() {
        return owner;
    }

    @Override
    public ResizableBuffer resize(long newSize, boolean shrinkToFit) {
        Checks.checkSize(newSize);
        live();
        checkExclusive("resize");
        if (DebugPool.ON) {
            return debugged("resized", () -> resizeTo(newSize, shrinkToFit));
        }
        resizeTo(newSize, shrinkToFit);
        return this;
    }

    private void resizeTo(long newSize, boolean shrinkToFit) {
        long newCapacity = AbstractMemoryPool.padded(newSize, "newSize", owner);
        if (newSize > (DebugPool.ON ? DebugPool.usable(capacity) : capacity)
                || (shrinkToFit && newCapacity < capacity)) {
            reallocateTo(newCapacity);
        }
        setSize(newSize);
    }

    /**
     * With the debug pool on: checks the guard before a change (a corruption found traps before anything changes,
     * with the guard set again), takes it away for the change, and sets it again after, also when the change fails.
     */
    private ResizableBuffer debugged(String when, Runnable change) {
        MemoryCorruptionException found = DebugPool.check(this, when);
        if (found != null) {
            DebugPool.arm(address, segment.byteSize(), capacity);
            throw found;
        }
        DebugPool.disarm(address, segment.byteSize(), capacity);
        try {
            change.run();
        } catch (RuntimeException | Error e) {
            DebugPool.arm(address, segment.byteSize(), capacity);
            throw e;
        }
        return this;
    }

    @Override
    public ResizableBuffer reserve(long minimumCapacity) {
        Checks.checkSize(minimumCapacity);
        live();
        checkExclusive("reserve");
        if (DebugPool.ON) {
            if (minimumCapacity > DebugPool.usable(capacity)) {
                debugged("resized", () -> reserveTo(minimumCapacity));
            }
        } else if (minimumCapacity > capacity) {
            reserveTo(minimumCapacity);
        }
        return this;
    }

    private void reserveTo(long minimumCapacity) {
        long size = segment.byteSize();
        reallocateTo(AbstractMemoryPool.padded(minimumCapacity, "capacity", owner));
        setSize(size);
    }

    private void reallocateTo(long newCapacity) {
        long size = segment.byteSize();
        Guard old = guard;
        if (old != null) {
            // Every segment of the old block (this buffer's, a view's, a racing reader's) fails from here on, so
            // that moving or freeing the block cannot crash a thread that still holds one.
            if (!old.tryClose()) {
                throw new IllegalStateException("cannot resize a buffer while a native call (a file read or write,"
                        + " for example) is using its memory (size=" + size + " capacity=" + capacity + ")");
            }
        }
        try {
            if (capacity == 0) {
                owner.allocateInto(this, newCapacity);
            } else if (newCapacity == 0) {
                owner.freeFrom(this);
                address = NativeMemory.zeroSizeArea(alignment);
                capacity = 0;
            } else {
                owner.reallocateIn(this, newCapacity);
            }
        } finally {
            // Moved or not (a failed reallocation keeps the old block), the block gets a fresh guard and the
            // data segment points at it again.
            if (old != null || guarded()) {
                guardBlock();
                segment = guard == null ? NativeMemory.at(address, Math.min(size, capacity))
                        : guard.segment(address, Math.min(size, capacity));
            }
        }
        if (leak != null) {
            leak.update(this);
        } else if (capacity != 0) {
            Leaks.track(this); // allocated empty (untracked: no memory), it has memory to leak from now on
        }
        if ((address & (alignment - 1)) != 0) {
            // The backend kept the data in the only block it could get (see BackendPool.realignMoved).
            setSize(Math.min(size(), capacity));
            throw backend.misaligned("reallocate", address, capacity, alignment);
        }
    }

    private void checkExclusive(String operation) {
        int refs = references();
        if (refs != 1) {
            throw new IllegalStateException("cannot " + operation + " a buffer while " + (refs - 1)
                    + " slice(s) or view(s) of it are open (size=" + size() + " capacity=" + capacity + ")");
        }
    }

    @Override
    public String toString() {
        return "PoolBuffer[size=" + size() + ", capacity=" + capacity + ", pool="
                + (backend != null ? backend.backendName() : AbstractMemoryPool.nameOf(owner))
                + (isClosed() ? ", closed" : "") + "]";
    }
}
