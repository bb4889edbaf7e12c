package org.quiver.internal.memory;

import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Consumer;

import org.quiver.internal.hooks.MemoryEvents;
import org.quiver.internal.jfr.QuiverEvents;
import org.quiver.memory.MemoryBackend;

/**
 * Where the runtime says what happened: to JDK Flight Recorder (the {@code org.quiver.*} events) and to the
 * platform's observers (its JMX notifications). Every call but {@link #sample} is off the allocation path: a
 * switch, a retirement, a leak, a refusal. On the allocation path the cost is a constant test and a plain load
 * until a recording exists, then the sample event's enabled check.
 */
public final class Telemetry {

    private static final System.Logger LOG = System.getLogger("org.quiver.memory");

    /**
     * Whether {@code jdk.jfr} can be loaded here: the API only {@code requires static} it (a runtime image may leave
     * it out) and imports it optionally in OSGi. A constant, so that the JIT drops every JFR call without it.
     */
    static final boolean JFR = jfrPresent();

    private static final CopyOnWriteArrayList<Registered> OBSERVERS = new CopyOnWriteArrayList<>();

    /** One registration, by identity: the same observer added twice is removed once per action. */
    private static final class Registered {
        final MemoryEvents observer;

        Registered(MemoryEvents observer) {
            this.observer = observer;
        }
    }

    /**
     * Whether Flight Recorder was initialized and Quiver's events are defined (see {@link QuiverEvents}). Set once,
     * never cleared; a plain load on the allocation path.
     */
    static volatile boolean recorder;

    static {
        if (JFR) {
            try {
                QuiverEvents.whenRecorderInitialized(Telemetry::recorderInitialized);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "Quiver's Flight Recorder events are off: " + e);
            }
        }
    }

    private static void recorderInitialized() {
        try {
            QuiverEvents.define(Telemetry::poolStatistics, Telemetry::childPoolStatistics);
        } catch (RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Quiver's Flight Recorder events are off: " + e);
        }
        recorder = true;
    }

    private Telemetry() {
    }

    private static boolean jfrPresent() {
        try {
            Class.forName("jdk.jfr.Event", false, Telemetry.class.getClassLoader());
            return true;
        } catch (ClassNotFoundException | LinkageError e) {
            return false;
        }
    }

    /** Adds an observer; the returned action removes it. */
    public static Runnable observe(MemoryEvents observer) {
        java.util.Objects.requireNonNull(observer, "observer");
        Registered registered = new Registered(observer); // removing it removes this registration only
        OBSERVERS.add(registered);
        return () -> OBSERVERS.remove(registered);
    }

    private static void tell(Consumer<MemoryEvents> what) {
        for (Registered r : OBSERVERS) {
            try {
                what.accept(r.observer);
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "a memory event observer failed", e);
            }
        }
    }

    /** A change of the default pool, found under the registry's lock and told after it. */
    record Switch(String from, String to, String reason) {
    }

    static void switched(Switch s) {
        if (s == null) {
            return;
        }
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.defaultSwitched(s.from, s.to, s.reason));
        }
        tell(o -> o.defaultSwitched(s.from, s.to, s.reason));
    }

    static void backendsChanged() {
        tell(MemoryEvents::backendsChanged);
    }

    static void retired(String backend, long bytesOutstanding) {
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.backendRetired(backend, bytesOutstanding));
        }
        tell(o -> o.backendRetired(backend, bytesOutstanding));
    }

    static void closed(String backend) {
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.backendClosed(backend));
        }
        tell(o -> o.backendClosed(backend));
    }

    /** Called at every {@code newChild} and its close: nothing is built while no one observes. */
    static void viewOpened(ConsumerPool view) {
        if (!OBSERVERS.isEmpty()) {
            tell(o -> o.viewOpened(view, view.id()));
        }
    }

    static void viewClosed(ConsumerPool view) {
        if (!OBSERVERS.isEmpty()) {
            tell(o -> o.viewClosed(view, view.id()));
        }
    }

    /** A leak (the listeners of {@code LeakDetection} hear it separately). */
    static void leak(String owner, String backend, long buffers, long bytes, Throwable site) {
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.leak(owner, backend, buffers, bytes, site == null ? null : siteText(site)));
        }
    }

    /** The allocation site as {@code jfr print} shows it best: the frames, one per line, then any suppressed. */
    private static String siteText(Throwable site) {
        StringBuilder sb = new StringBuilder();
        append(sb, site);
        for (Throwable s : site.getSuppressed()) {
            sb.append("--- ").append(s.getMessage()).append('\n');
            append(sb, s);
        }
        return sb.toString();
    }

    private static void append(StringBuilder sb, Throwable t) {
        StackTraceElement[] frames = t.getStackTrace();
        for (int i = 0; i < Math.min(frames.length, 32); i++) {
            sb.append("at ").append(frames[i]).append('\n');
        }
    }

    static void limitExceeded(String pool, long requested, long allocated, long limit) {
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.limitExceeded(pool, requested, allocated, limit));
        }
    }

    static void refused(String backend, long size, long alignment, String reason) {
        if (JFR && recorder) {
            jfr(() -> QuiverEvents.allocationRefused(backend, size, alignment, reason));
        }
    }

    /** The allocation path: a sampled event with its stack trace, when a recording enabled it. */
    static void sample(AbstractMemoryPool pool, long size, long alignment) {
        try {
            QuiverEvents.allocationSample(pool, size, alignment); // the caller tested JFR && recorder
        } catch (RuntimeException | LinkageError e) {
            jfrFailed(e);
        }
    }

    /**
     * Runs one Flight Recorder call: whatever fails there (a runtime that lacks part of JFR, a framework that hides
     * it) is logged once and turns the events off; it never fails the pool operation that told it.
     */
    private static void jfr(Runnable call) {
        try {
            call.run();
        } catch (RuntimeException | LinkageError e) {
            jfrFailed(e);
        }
    }

    private static void jfrFailed(Throwable e) {
        if (recorder) {
            recorder = false;
            LOG.log(System.Logger.Level.WARNING, "Quiver's Flight Recorder events are off: " + e, e);
        }
    }

    private static void poolStatistics() {
        for (MemoryBackend b : Backends.supportedBackends()) {
            if (!b.available()) {
                continue;
            }
            try {
                AbstractMemoryPool p = (AbstractMemoryPool) Backends.pool(b.name());
                QuiverEvents.poolStatistics(b.name(), b.isDefault(), p.bytesAllocated(), p.peakBytesAllocated(),
                        p.cumulativeBytesAllocated(), p.numAllocations(), p.bytesCached());
            } catch (IllegalArgumentException goneMeanwhile) {
                // unregistered between the list and the look-up
            }
        }
    }

    private static void childPoolStatistics() {
        for (ConsumerPool v : ConsumerPool.open()) {
            long limit = v.limit();
            QuiverEvents.childPoolStatistics(v.owner(), v.bytesAllocated(), v.peakBytesAllocated(), v.liveBuffers(),
                    limit == Long.MAX_VALUE ? -1 : limit);
        }
    }
}
