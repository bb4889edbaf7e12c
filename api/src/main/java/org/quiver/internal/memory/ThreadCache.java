package org.quiver.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.Allocator;

/**
 * One platform thread's freed small blocks of one backend, kept to serve that thread's next allocations of the
 * same size without a native call: Netty's and jemalloc's thread caches, on the Java side.
 *
 * <p>Only blocks of at most {@value #LARGEST_BLOCK} bytes allocated at the default alignment are kept: a kept block
 * is handed out again with the size and alignment it was allocated with, so the allocator later frees (or
 * reallocates) it exactly as it would have without the cache. At most {@value #DEPTH} blocks per size (capacities
 * are multiples of 64, so 64 sizes) and {@link #LIMIT} bytes in all per thread and backend.
 *
 * <p>A kept block is not outstanding: the pool counts it freed when it goes in and allocated when it comes out,
 * and reports the bytes kept apart ({@link MemoryPool#bytesCached()}). {@link BackendPool#releaseUnused()} and
 * retirement empty every thread's cache, idle and ended threads' included, from their own thread: the owner and
 * those drainers take turns through a small lock ({@link #state}). The owner only ever tries it once, with one
 * compare-and-set (which also stands for the fence the allocation path needs for retirement), and takes the
 * native path when a drainer holds it; a drainer waits for the owner's few instructions to end. A retired
 * backend's caches are closed for good, so that no block enters one after the allocator could be closed.
 */
final class ThreadCache {

    /** The largest block kept. */
    static final long LARGEST_BLOCK = 4096;
    /** Blocks kept per size. */
    static final int DEPTH = 8;
    /** Bytes kept per thread and backend at most: {@code -Dquiver.memory.threadCache}, 0 for none. */
    static final long LIMIT = limit();

    private static final int SIZES = (int) (LARGEST_BLOCK / MemoryPool.DEFAULT_ALIGNMENT);
    private static final int FREE = 0;
    private static final int OWNER = 1;
    private static final int DRAINING = 2;
    private static final int CLOSED = 3;

    private static final VarHandle STATE;
    private static final VarHandle BYTES;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            STATE = l.findVarHandle(ThreadCache.class, "state", int.class);
            BYTES = l.findVarHandle(ThreadCache.class, "bytes", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** Who holds the blocks: {@link #FREE}, the {@link #OWNER} thread, a drainer, or nobody ever again. */
    @SuppressWarnings("unused")
    private int state;
    /** Bytes kept; written by whoever holds the state, read opaquely by the statistics. */
    private long bytes;
    /** Size {@code i} (capacity {@code 64 * (i + 1)}) keeps its blocks at {@code i * DEPTH} onwards. */
    private final long[] blocks = new long[SIZES * DEPTH];
    private final byte[] counts = new byte[SIZES];

    private static long limit() {
        String value = System.getProperty("quiver.memory.threadCache");
        long bytes = 64 * 1024;
        if (value != null && !value.isBlank()) {
            try {
                bytes = Long.parseLong(value.trim());
            } catch (NumberFormatException e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING, "quiver.memory.threadCache="
                        + value + " is not a number of bytes; keeping " + bytes + " bytes per thread");
            }
        }
        return Math.max(0, bytes);
    }

    /** Whether a block of this capacity and alignment may be kept. */
    static boolean fits(long capacity, long alignment) {
        return capacity <= LARGEST_BLOCK && alignment == MemoryPool.DEFAULT_ALIGNMENT;
    }

    /** The owner takes the cache; false (the owner then goes native) while a drainer holds it or it is closed. */
    boolean tryLock() {
        return STATE.compareAndSet(this, FREE, OWNER);
    }

    /** The owner gives the cache back; what it did is visible to the next drainer. */
    void unlock() {
        STATE.setRelease(this, FREE);
    }

    /** A kept block of {@code capacity} bytes, or 0. The owner holds the cache. */
    long take(long capacity) {
        int size = (int) (capacity >>> 6) - 1;
        int n = counts[size];
        if (n == 0) {
            return 0;
        }
        counts[size] = (byte) --n;
        BYTES.setOpaque(this, bytes - capacity);
        return blocks[size * DEPTH + n];
    }

    /** Keeps a freed block; false when its size or the cache is full. The owner holds the cache. */
    boolean keep(long address, long capacity) {
        int size = (int) (capacity >>> 6) - 1;
        int n = counts[size];
        long b = bytes + capacity;
        if (n == DEPTH || b > LIMIT) {
            return false;
        }
        blocks[size * DEPTH + n] = address;
        counts[size] = (byte) (n + 1);
        BYTES.setOpaque(this, b);
        return true;
    }

    /** Bytes kept, as last published. */
    long bytes() {
        return (long) BYTES.getOpaque(this);
    }

    /**
     * Frees every kept block to {@code allocator}, waiting for the owner to let go of the cache, and closes the
     * cache for good if asked. Nothing happens to a closed cache.
     */
    void drain(Allocator allocator, boolean close) {
        int spins = 0;
        while (!STATE.compareAndSet(this, FREE, DRAINING)) {
            if ((int) STATE.getVolatile(this) == CLOSED) {
                return;
            }
            // The owner holds it for a few instructions, but may have been descheduled inside them.
            if (++spins < 100) {
                Thread.onSpinWait();
            } else {
                Thread.yield();
            }
        }
        freeAll(allocator, close);
    }

    /**
     * For a cache whose thread ended: frees and closes it unless a drainer holds it right now; false then (the
     * caller keeps the cache in view, so that the drainer's frees finish before anyone closes the allocator).
     */
    boolean closeIfIdle(Allocator allocator) {
        int s = (int) STATE.getVolatile(this);
        if (s == CLOSED) {
            return true;
        }
        if (!STATE.compareAndSet(this, FREE, DRAINING)) {
            return false;
        }
        freeAll(allocator, true);
        return true;
    }

    private void freeAll(Allocator allocator, boolean close) {
        try {
            for (int size = 0; size < SIZES; size++) {
                long capacity = (size + 1L) * MemoryPool.DEFAULT_ALIGNMENT;
                for (int n = counts[size]; n > 0; n--) {
                    long address = blocks[size * DEPTH + n - 1];
                    counts[size] = (byte) (n - 1);
                    BYTES.setOpaque(this, bytes - capacity);
                    allocator.free(address, capacity, MemoryPool.DEFAULT_ALIGNMENT);
                }
            }
        } finally {
            STATE.setRelease(this, close ? CLOSED : FREE);
        }
    }
}
