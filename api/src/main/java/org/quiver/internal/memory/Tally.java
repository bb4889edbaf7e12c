package org.quiver.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * Counters that only grow (bytes ever allocated, number of allocations), kept per thread: each thread adds to
 * its own cell with plain stores, and a read sums the cells. No atomic instruction on the allocation path, and
 * no cache line shared between allocating threads. A read sees every count of a thread that finished or that
 * the reader synchronised with (a join, a lock); counts made at the same moment by running threads may show a
 * moment later. Cells of threads that ended are folded into a base, so many short-lived (or virtual) threads
 * leave nothing behind.
 */
final class Tally {

    private static final VarHandle BYTES;
    private static final VarHandle COUNT;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            BYTES = l.findVarHandle(Cell.class, "bytes", long.class);
            COUNT = l.findVarHandle(Cell.class, "count", long.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final class Cell {
        final WeakReference<Thread> owner = new WeakReference<>(Thread.currentThread());
        long bytes;
        long count;

        boolean ownerEnded() {
            Thread t = owner.get();
            return t == null || !t.isAlive();
        }
    }

    private final ThreadLocal<Cell> local = ThreadLocal.withInitial(this::newCell);
    /** Guarded by this. */
    private final List<Cell> cells = new ArrayList<>();
    /** Counts of threads that ended; guarded by this. */
    private long baseBytes;
    private long baseCount;

    private synchronized Cell newCell() {
        if (cells.size() >= 64 && Integer.bitCount(cells.size()) == 1) {
            fold(); // now and then, so that thread churn without reads cannot grow the list without bound
        }
        Cell c = new Cell();
        cells.add(c);
        return c;
    }

    /** One allocation of {@code size} bytes by the current thread. */
    void add(long size) {
        Cell c = local.get();
        BYTES.setOpaque(c, c.bytes + size);
        COUNT.setOpaque(c, c.count + 1);
    }

    synchronized long bytes() {
        fold();
        return baseBytes + sum(BYTES);
    }

    synchronized long count() {
        fold();
        return baseCount + sum(COUNT);
    }

    private long sum(VarHandle counter) {
        long sum = 0;
        for (Cell c : cells) {
            sum += (long) counter.getOpaque(c);
        }
        return sum;
    }

    /** Moves the cells of ended threads into the base. Their last stores happen-before Thread.isAlive() false. */
    private void fold() {
        for (Iterator<Cell> it = cells.iterator(); it.hasNext();) {
            Cell c = it.next();
            if (c.ownerEnded()) {
                baseBytes += (long) BYTES.getOpaque(c);
                baseCount += (long) COUNT.getOpaque(c);
                it.remove();
            }
        }
    }
}
