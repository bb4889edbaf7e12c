package org.quiver.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.Arrays;

import org.quiver.memory.spi.Allocator;

/**
 * The accounting of one pool link, kept per thread so that allocating threads never write to a shared cache
 * line: each thread adds its allocations to, and subtracts its frees from, its own cell with plain stores, and
 * a read sums the cells. One shared counter for bytes outstanding would make two allocating threads slower
 * than one (measured: 0.35x to 0.53x of one thread's throughput, against 1.95x for the raw allocator).
 *
 * <p>What a read sees:
 * <ul>
 * <li>Bytes outstanding, bytes ever allocated and the number of allocations are exact whenever no allocation
 * or free is in flight: every count of a thread that ended, or that the reader synchronised with (a join, a
 * lock, a queue), is in the sum. A buffer allocated in one thread and freed in another is exact too: plus in
 * the first cell, minus in the second.</li>
 * <li>The peak is exact when one thread allocates at a time. A thread looks at the sum only when its own cell
 * reaches a level at which the sum could pass the peak; so under allocation from several threads at once the
 * peak can trail a maximum that no single thread's growth revealed. (Arrow C++'s peak is not synchronised
 * either.)</li>
 * </ul>
 * Cells of threads that ended are folded into a base, so many short-lived (or virtual) threads leave nothing
 * behind.
 */
final class Counters {

    private static final VarHandle BYTES;
    private static final VarHandle TOTAL;
    private static final VarHandle COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES = l.findVarHandle(Counts.class, "bytes", long.class);
            TOTAL = l.findVarHandle(Counts.class, "total", long.class);
            COUNT = l.findVarHandle(Counts.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** A cache line of padding before a cell's counts (superclass fields are laid out first). */
    @SuppressWarnings("unused")
    abstract static class PadBefore {
        long p1, p2, p3, p4, p5, p6, p7, p8;
    }

    /** One thread's counts. Only its thread writes them; readers use opaque reads. */
    abstract static class Counts extends PadBefore {
        final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());
        /** This thread's allocations minus its frees: negative when it frees what others allocated. */
        long bytes;
        long total;
        long count;
        /** The peak is looked at again when {@link #bytes} passes this (owner only). */
        long checkAt;
        /** This thread's freed small blocks, for a backend's counters in a platform thread; else null. */
        ThreadCache cache;

        boolean ownerEnded() {
            Thread t = owner.get();
            return t == null || !t.isAlive();
        }
    }

    /**
     * One thread's counts, padded by a cache line on each side: the garbage collector copies the long-lived
     * cells of different threads next to each other, and two threads writing one cache line would be as slow
     * as a shared counter (measured: a fork with two threads at 1.1x one thread's throughput, another at 2.0x).
     */
    @SuppressWarnings("unused")
    static final class Cell extends Counts {
        long q1, q2, q3, q4, q5, q6, q7, q8;
    }

    private final ThreadLocal<Cell> local = ThreadLocal.withInitial(this::newCell);
    /** Copy on write; guarded by this for writes. */
    private volatile Cell[] cells = new Cell[0];
    /** Counts of threads that ended; guarded by this. */
    private long baseBytes;
    private long baseTotal;
    private long baseCount;
    /** Guarded by this for writes. */
    private volatile long peak;
    /** Where the blocks of thread caches go back, for a backend's counters; null for other links' counters. */
    private Allocator cachesFreeTo;
    /** Set once, when a retiring backend closes its caches: cells made afterwards get none. Guarded by this. */
    private boolean cachesClosed;

    /** Gives each platform thread's cell a cache of freed small blocks (a backend's counters). */
    synchronized void keepFreedBlocks(Allocator allocator) {
        if (ThreadCache.LIMIT > 0) {
            cachesFreeTo = allocator;
        }
    }

    private synchronized Cell newCell() {
        if (cells.length >= 64 && Integer.bitCount(cells.length) == 1) {
            fold(); // now and then, so that thread churn without reads cannot grow the array without bound
        }
        Cell c = new Cell();
        // Virtual threads can be millions: they get no cache (their frees and allocations go native).
        if (cachesFreeTo != null && !cachesClosed && !Thread.currentThread().isVirtual()) {
            c.cache = new ThreadCache();
        }
        Cell[] next = Arrays.copyOf(cells, cells.length + 1);
        next[next.length - 1] = c;
        cells = next;
        return c;
    }

    /**
     * Counts {@code size} bytes as outstanding in the current thread's cell, before the memory is obtained (a
     * backend reserves first, see {@link BackendPool}). {@link #commit} or {@link #freed} must follow.
     */
    Cell reserve(long size) {
        Cell c = local.get();
        BYTES.setOpaque(c, c.bytes + size);
        return c;
    }

    /** The current thread's cell. */
    Cell cell() {
        return local.get();
    }

    /** The current thread's cell: {@code hint} when the current thread owns it (no thread-local look-up). */
    Cell cell(Cell hint) {
        return hint != null && hint.owner.get() == Thread.currentThread() ? hint : local.get();
    }

    /** Like {@link #reserve(long)}, in the current thread's cell {@code c}. */
    void reserve(Cell c, long size) {
        BYTES.setOpaque(c, c.bytes + size);
    }

    /** {@code size} bytes freed by the current thread, whose cell is {@code c}. */
    void freedIn(Cell c, long size) {
        BYTES.setOpaque(c, c.bytes - size);
    }

    /** The reserved allocation succeeded: the counters that only grow, and the peak. */
    void commit(Cell c, long size) {
        TOTAL.setOpaque(c, c.total + size);
        COUNT.setOpaque(c, c.count + 1);
        long b = c.bytes;
        if (b > c.checkAt) {
            raisePeak(c, b);
        }
    }

    /** One allocation (or growth) of {@code size} bytes by the current thread. */
    void allocated(long size) {
        commit(reserve(size), size);
    }

    /** {@code size} bytes freed (or shrunk, or a reservation given back) by the current thread. */
    void freed(long size) {
        Cell c = local.get();
        BYTES.setOpaque(c, c.bytes - size);
    }

    /**
     * {@code size} bytes freed by the current thread, which may be the owner of {@code hint} (the cell that
     * counted the allocation): then no thread-local look-up is needed.
     */
    void freed(Cell hint, long size) {
        freedIn(cell(hint), size);
    }

    /** Bytes kept in the threads' caches. */
    synchronized long cachedBytes() {
        fold();
        long sum = 0;
        for (Cell c : cells) {
            if (c.cache != null) {
                sum += c.cache.bytes();
            }
        }
        return sum;
    }

    /**
     * Frees what every thread's cache keeps, idle and ended threads' included, and closes the caches for good
     * when {@code close} (a retiring backend; cells made from now on get none). Waits for each owner to let go
     * of its cache, so it must not be called holding this lock or a cache (nor does it take this lock while
     * waiting: an owner may need it for the peak).
     */
    void drainCaches(boolean close) {
        Cell[] all;
        Allocator allocator;
        synchronized (this) {
            if (close) {
                cachesClosed = true;
            }
            all = cells;
            allocator = cachesFreeTo;
        }
        if (allocator == null) {
            return;
        }
        for (Cell c : all) {
            if (c.cache != null) {
                c.cache.drain(allocator, close);
            }
        }
    }

    /**
     * The thread's cell passed the level at which the sum could pass the peak: sum, raise the peak, and set the
     * next level to where this cell would have to grow for the sum to pass the peak again.
     */
    private synchronized void raisePeak(Cell c, long cellBytes) {
        long sum = sumBytes();
        long p = peak;
        if (sum > p) {
            peak = sum;
            p = sum;
        }
        c.checkAt = cellBytes + (p - sum);
    }

    private long sumBytes() {
        return sum(baseBytes, BYTES);
    }

    /** {@code base} plus one counter of every live cell. Guarded by this. */
    private long sum(long base, VarHandle counter) {
        long sum = base;
        for (Cell c : cells) {
            sum += (long) counter.getOpaque(c);
        }
        return sum;
    }

    /** Bytes outstanding. */
    synchronized long bytes() {
        fold();
        return sumBytes();
    }

    /** The peak of {@link #bytes()}. */
    long peak() {
        return peak;
    }

    /** Bytes ever allocated. */
    synchronized long total() {
        fold();
        return sum(baseTotal, TOTAL);
    }

    /** Allocations ever made. */
    synchronized long count() {
        fold();
        return sum(baseCount, COUNT);
    }

    /** Moves the cells of ended threads into the base. Their last stores happen-before Thread.isAlive() false. */
    private void fold() {
        Cell[] all = cells;
        int kept = 0;
        Cell[] keep = new Cell[all.length];
        for (Cell c : all) {
            // An ended thread's kept blocks go back to the allocator before its cell is dropped; if a drainer
            // holds the cache right now, the cell stays in view until the next fold, so that a retirement waits
            // for that drainer's frees.
            if (c.ownerEnded() && (c.cache == null || c.cache.closeIfIdle(cachesFreeTo))) {
                baseBytes += (long) BYTES.getOpaque(c);
                baseTotal += (long) TOTAL.getOpaque(c);
                baseCount += (long) COUNT.getOpaque(c);
            } else {
                keep[kept++] = c;
            }
        }
        if (kept != all.length) {
            cells = Arrays.copyOf(keep, kept);
        }
    }
}
