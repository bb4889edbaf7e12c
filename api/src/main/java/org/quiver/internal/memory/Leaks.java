package org.quiver.internal.memory;

import java.lang.ref.Cleaner;
import java.util.List;
import java.util.Locale;
import java.util.StringJoiner;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

import org.quiver.memory.LeakDetection;
import org.quiver.memory.LeakReport;

/**
 * Leak detection: a {@link Cleaner} watches tracked pool buffers; one that becomes unreachable before its
 * memory was released is a leak. Off costs one volatile read per allocation; sampled adds a random draw.
 */
public final class Leaks {

    private static final System.Logger LOG = System.getLogger("org.quiver.memory");
    private static final int SAMPLING = Math.max(1, Integer.getInteger("quiver.leak.sampling", 128));
    private static final CopyOnWriteArrayList<Consumer<LeakReport>> LISTENERS = new CopyOnWriteArrayList<>();
    private static final AtomicLong FOUND = new AtomicLong();
    private static volatile LeakDetection.Level level = initialLevel();

    private Leaks() {
    }

    private static LeakDetection.Level initialLevel() {
        String p = System.getProperty("quiver.leak.detection", "sampled").trim().toUpperCase(Locale.ROOT);
        try {
            return LeakDetection.Level.valueOf(p);
        } catch (IllegalArgumentException e) {
            LOG.log(System.Logger.Level.WARNING, "unknown quiver.leak.detection '" + p
                    + "' (use off, sampled or paranoid); using sampled");
            return LeakDetection.Level.SAMPLED;
        }
    }

    private static final class CleanerHolder {
        static final Cleaner CLEANER = Cleaner.create();
    }

    /**
     * The API's one cleaner thread, shared with what else must free pool memory once its holder is unreachable
     * (the kept result of a closed {@code BufferOutput}), so that no second thread is started for it.
     */
    public static Cleaner cleaner() {
        return CleanerHolder.CLEANER;
    }

    public static LeakDetection.Level level() {
        return level;
    }

    public static void setLevel(LeakDetection.Level newLevel) {
        level = java.util.Objects.requireNonNull(newLevel, "level");
    }

    public static LeakDetection.Registration addListener(Consumer<LeakReport> listener) {
        java.util.Objects.requireNonNull(listener, "listener");
        // A holder of its own, so that closing removes this registration only (the same listener may be added
        // twice) and a second close removes nothing.
        Consumer<LeakReport> registered = listener::accept;
        LISTENERS.add(registered);
        return () -> LISTENERS.remove(registered);
    }

    public static long leaksFound() {
        return FOUND.get();
    }

    /**
     * A consumer (an OSGi bundle) went away with live buffers: say so, naming the backend of each, with the sites
     * when they are known. Never throws: it runs while a framework stops a bundle.
     */
    static void consumerLeak(String owner, long bytes, List<ConsumerPool.Share> shares,
            List<ConsumerPool.Site> sites) {
        FOUND.incrementAndGet();
        Throwable where = null;
        if (!sites.isEmpty()) {
            where = new Throwable(sites.size() + " allocation site(s) of the live buffers of " + owner, null, true,
                    false) {
                private static final long serialVersionUID = 1L;
            };
            for (ConsumerPool.Site s : sites) {
                where.addSuppressed(s.where);
            }
        }
        long buffers = 0;
        StringBuilder from = new StringBuilder();
        StringJoiner names = new StringJoiner(", ");
        for (ConsumerPool.Share s : shares) {
            long n = s.buffers.get();
            buffers += n;
            names.add(s.backend.backendName());
            from.append(from.isEmpty() ? "" : " and ").append(n).append(" from pool '")
                    .append(s.backend.backendName()).append('\'');
        }
        String message = "LEAK: " + owner + " went away with " + buffers + " live buffer(s) (" + from + "), "
                + bytes + " bytes; they stay valid and are freed when closed"
                + (where == null ? " (set -Dquiver.leak.detection=paranoid to see where they were allocated)" : "");
        try {
            LOG.log(System.Logger.Level.WARNING, message, where);
        } catch (RuntimeException | LinkageError e) {
            // A logging back end that is itself stopping must not lose the report for the listeners.
        }
        Telemetry.leak(owner, names.toString(), buffers, bytes, where);
        notifyListeners(new ConsumerLeak(owner, names.toString(), bytes, buffers, where));
    }

    private static void notifyListeners(LeakReport report) {
        for (Consumer<LeakReport> l : LISTENERS) {
            try {
                l.accept(report);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "leak listener failed", e);
            }
        }
    }

    private record ConsumerLeak(String owner, String backendName, long capacity, long buffers,
            Throwable allocationSite) implements LeakReport {
        @Override
        public void release() {
            throw new UnsupportedOperationException("the live buffers of " + owner + " may still be used elsewhere; "
                    + "they are freed when closed");
        }
    }

    static void track(PoolBuffer buffer) {
        LeakDetection.Level l = level;
        if (l == LeakDetection.Level.OFF || buffer.capacity == 0) {
            return;
        }
        if (l == LeakDetection.Level.SAMPLED && ThreadLocalRandom.current().nextInt(SAMPLING) != 0) {
            return;
        }
        Tracker t = new Tracker(buffer, l == LeakDetection.Level.PARANOID ? new Throwable("allocation site") : null);
        buffer.leak = t;
        t.cleanable = CleanerHolder.CLEANER.register(buffer, t);
    }

    /**
     * What is needed to report, and if asked free, a leaked buffer: a copy of its chain and memory, kept up to
     * date by resizes. Holds no reference to the buffer itself, or it would never become unreachable.
     */
    static final class Tracker implements Runnable, LeakReport {
        private final AbstractMemoryPool owner;
        private volatile AbstractMemoryPool viaDefault;
        private volatile AbstractMemoryPool viaBeneath;
        private volatile BackendPool backend;
        private final long alignment;
        private final Throwable site;
        private volatile long address;
        private volatile long capacity;
        private volatile Guard guard;
        private volatile boolean released;
        private Cleaner.Cleanable cleanable;

        Tracker(PoolBuffer b, Throwable site) {
            this.owner = b.owner;
            this.viaDefault = b.viaDefault;
            this.viaBeneath = b.viaBeneath;
            this.backend = b.backend;
            this.alignment = b.alignment;
            this.address = b.address;
            this.capacity = b.capacity;
            this.guard = b.guard;
            this.site = site;
        }

        /** The buffer's memory after a resize (which allocates anew after a resize to 0, maybe elsewhere). */
        void update(PoolBuffer b) {
            address = b.address;
            capacity = b.capacity;
            guard = b.guard;
            viaDefault = b.viaDefault;
            viaBeneath = b.viaBeneath;
            backend = b.backend;
        }

        /** The memory went back normally: stop watching. */
        void released() {
            released = true;
            Cleaner.Cleanable c = cleanable;
            if (c != null) {
                c.clean();
            }
        }

        @Override
        public void run() {
            if (released) {
                return;
            }
            FOUND.incrementAndGet();
            String message = "LEAK: a buffer of " + capacity + " bytes from pool '" + backendName()
                    + "' was garbage collected without being closed"
                    + (site == null ? " (set -Dquiver.leak.detection=paranoid to see where it was allocated)" : "");
            LOG.log(System.Logger.Level.WARNING, message, site);
            Telemetry.leak(null, backendName(), 1, capacity, site);
            notifyListeners(this);
        }

        @Override
        public String backendName() {
            return backend == null ? owner.backendName() : backend.backendName();
        }

        @Override
        public long capacity() {
            return capacity;
        }

        @Override
        public Throwable allocationSite() {
            return site;
        }

        @Override
        public synchronized void release() {
            if (released || capacity == 0) {
                return;
            }
            released = true;
            PoolBuffer shell = new PoolBuffer(owner, alignment);
            shell.viaDefault = viaDefault;
            shell.viaBeneath = viaBeneath;
            shell.backend = backend;
            shell.address = address;
            shell.capacity = capacity;
            shell.guard = guard; // so that the backend frees the memory after the guard's grace
            // A view of a leaked guarded block may still be reachable: it fails from here on, instead of
            // touching freed memory.
            Guard g = guard;
            if (g == null) {
                owner.freeFrom(shell);
            } else {
                g.closeThen(() -> owner.freeFrom(shell));
            }
        }
    }
}
