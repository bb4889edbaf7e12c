package org.quiver.internal.memory;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.ChildPool;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryPool;

/**
 * One consumer's view of a pool (in OSGi: the view one bundle gets of the {@code MemoryPool} service). Its
 * counters are that consumer's share; an optional limit caps it; and when the consumer goes away with live
 * buffers, the leak is reported with its name (and, at the paranoid level, where each buffer was allocated).
 */
public final class ConsumerPool extends CappedPool implements ChildPool {

    /** Open views, for the shell. */
    private static final Set<ConsumerPool> OPEN = ConcurrentHashMap.newKeySet();
    /** The last view's id: ids are given in opening order and never reused. */
    private static final AtomicLong IDS = new AtomicLong();

    /** Where a live buffer was allocated (paranoid level only). Holds no reference to the buffer. */
    static final class Site {
        final Throwable where;
        volatile long capacity;

        Site(Throwable where, long capacity) {
            this.where = where;
            this.capacity = capacity;
        }
    }

    /**
     * The buffers this consumer holds from one backend: a leak report names each buffer's real backend, and must
     * not ask the default pool (which may have no backend left when the consumer goes away). Buffers only, not
     * bytes: one atomic per allocation and free, as the single live counter before it (measured: a view's
     * allocate + close of 64 B costs 52 ns with one counter, 62 ns with a second one for bytes).
     */
    static final class Share {
        final BackendPool backend;
        final AtomicLong buffers = new AtomicLong();

        Share(BackendPool backend) {
            this.backend = backend;
        }
    }

    private final MemoryPool parent;
    private final String owner;
    /** The name a child pool was given; {@code null} for a bundle's view (named by its owner). */
    private final String name;
    private final Set<Site> sites = ConcurrentHashMap.newKeySet();
    private final long id = IDS.incrementAndGet();
    /** One per backend this consumer allocated from; a copy-on-write array, as there are one to three. */
    private volatile Share[] shares = new Share[0];
    private volatile boolean closed;

    private ConsumerPool(MemoryPool parent, String owner, String name, long limit) {
        super(parent, limit);
        this.parent = parent;
        this.owner = owner;
        this.name = name;
    }

    /**
     * Opens a view for a consumer, named in reports by its owner as it is (the platform's per-bundle views).
     *
     * @param parent the pool it allocates from (the default pool)
     * @param owner  how reports name it ({@code "bundle com.acme.reader [12]"})
     * @param limit  a limit in bytes, {@link Long#MAX_VALUE} for none
     */
    public static ConsumerPool open(MemoryPool parent, String owner, long limit) {
        Objects.requireNonNull(owner, "owner");
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: limit=" + limit + " (Long.MAX_VALUE for none)");
        }
        ConsumerPool p = new ConsumerPool(parent, owner, null, limit);
        OPEN.add(p);
        Telemetry.viewOpened(p);
        return p;
    }

    /**
     * A named child of {@code parent} ({@link MemoryPool#newChild(String, long)}): a view named {@code child pool
     * 'name'} in reports, listed with the other views, and refusing allocations once closed.
     */
    public static ConsumerPool child(MemoryPool parent, String name, long limit) {
        Objects.requireNonNull(name, "name");
        if (name.isBlank()) {
            throw new IllegalArgumentException("a child pool needs a name: name='" + name + "'");
        }
        if (limit < 0) {
            throw new IllegalArgumentException("negative limit: limit=" + limit + " (Long.MAX_VALUE for none)");
        }
        ConsumerPool p = new ConsumerPool(parent, "child pool '" + name + "'", name, limit);
        OPEN.add(p);
        Telemetry.viewOpened(p);
        return p;
    }

    /** Open views, by owner. */
    public static List<ConsumerPool> open() {
        List<ConsumerPool> out = new ArrayList<>(OPEN);
        out.sort(Comparator.comparing(ConsumerPool::owner));
        return out;
    }

    public String owner() {
        return owner;
    }

    /** A number no other view of this runtime has, in opening order. */
    public long id() {
        return id;
    }

    /** Whether it is a named child pool ({@link MemoryPool#newChild}), not a consumer's view. */
    public boolean isChild() {
        return name != null;
    }

    @Override
    public String name() {
        return name != null ? name : owner;
    }

    @Override
    public MemoryPool parent() {
        return parent;
    }

    @Override
    public void setLimit(long limit) {
        super.setLimit(limit);
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    /** Buffers allocated through this view and not yet freed. */
    public long liveBuffers() {
        long n = 0;
        for (Share s : shares) {
            n += s.buffers.get();
        }
        return n;
    }

    private Share share(BackendPool backend) {
        for (Share s : shares) {
            if (s.backend == backend) {
                return s;
            }
        }
        synchronized (this) {
            Share[] current = shares;
            for (Share s : current) {
                if (s.backend == backend) {
                    return s;
                }
            }
            Share s = new Share(backend);
            Share[] next = Arrays.copyOf(current, current.length + 1);
            next[current.length] = s;
            shares = next;
            return s;
        }
    }

    @Override
    String limitOwner() {
        return owner;
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        if (closed && name != null) { // a bundle's view serves its leftover threads; a closed child serves no one
            throw new IllegalStateException("closed: " + owner + " allocates nothing more");
        }
        super.allocateInto(buffer, capacity);
        share(buffer.backend).buffers.getAndIncrement();
        if (Leaks.level() == LeakDetection.Level.PARANOID) {
            Site s = new Site(new Throwable("allocated by " + owner), capacity);
            buffer.site = s;
            sites.add(s);
        }
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        super.reallocateIn(buffer, newCapacity);
        if (buffer.site != null) {
            buffer.site.capacity = newCapacity;
        }
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        BackendPool backend = buffer.backend;
        super.freeFrom(buffer);
        share(backend).buffers.getAndDecrement();
        Site s = buffer.site;
        if (s != null) {
            sites.remove(s);
        }
    }

    /**
     * The consumer went away (its bundle stopped). Live buffers stay valid (they may have been handed to
     * someone else) and are freed when closed; they are reported as a leak of this consumer, naming the backend
     * each came from. Idempotent, and never fails: it runs while a framework stops a bundle, when the allocator
     * bundles may be gone already.
     */
    public void close() {
        if (closed) {
            return;
        }
        closed = true;
        if (!OPEN.remove(this)) {
            return; // closed by another thread at the same moment: one report is enough
        }
        Telemetry.viewClosed(this);
        List<Share> held = new ArrayList<>();
        for (Share s : shares) {
            if (s.buffers.get() != 0) {
                held.add(s);
            }
        }
        if (!held.isEmpty()) {
            Leaks.consumerLeak(owner, bytesAllocated(), held, List.copyOf(sites));
        }
    }

    @Override
    public String toString() {
        long max = limit();
        StringBuilder backends = new StringBuilder();
        for (Share s : shares) {
            backends.append(backends.isEmpty() ? "" : ", ").append(s.backend.backendName()).append('=')
                    .append(s.buffers.get());
        }
        return "ConsumerPool[" + owner + ", bytesAllocated=" + bytesAllocated() + ", liveBuffers=" + liveBuffers()
                + (backends.isEmpty() ? "" : ", live buffers by backend {" + backends + "}")
                + (max == Long.MAX_VALUE ? "" : ", limit=" + max) + (closed ? ", closed" : "") + "]";
    }
}
