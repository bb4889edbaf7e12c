package org.quiver.internal.jfr;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import jdk.jfr.AnnotationElement;
import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Event;
import jdk.jfr.EventFactory;
import jdk.jfr.EventType;
import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;
import jdk.jfr.ValueDescriptor;

/**
 * Quiver's Flight Recorder events, made with {@link EventFactory}, not as subclasses of {@link Event}: Flight
 * Recorder instruments a subclass to call its own internal classes ({@code jdk.jfr.internal.event.EventWriter}),
 * which an OSGi bundle's class loader cannot see unless the framework delegates that package to the boot loader
 * (Felix does not: the first event in the distribution failed with {@code NoClassDefFoundError}, measured). An
 * event made by the factory lives in Flight Recorder's own loader, and works in any framework, on the module
 * path and on the class path alike.
 *
 * <p>Nothing here is made before Flight Recorder is initialized ({@link #whenRecorderInitialized}): defining the
 * first event starts its machinery, about 90 ms (measured, JDK 25) that a program that never records should not
 * pay. Each method builds its event only when a recording wants it.
 */
public final class QuiverEvents {

    /** One allocation in this many (a power of two) is offered to the sample's rate limit. */
    static final int PRESAMPLE = 64;

    /** Allocation samples a second at most, when the sample event is on: {@code -Dquiver.jfr.allocationSamples}. */
    static final int SAMPLES_PER_SECOND = Math.max(1, Integer.getInteger("quiver.jfr.allocationSamples", 100));

    private static volatile Events events;

    /** The events, made once Flight Recorder runs. */
    private record Events(Kind defaultSwitched, Kind backendRetired, Kind backendClosed, Kind leak,
            Kind limitExceeded, Kind allocationRefused, Kind poolStatistics, Kind childPoolStatistics,
            Kind allocationSample) {
    }

    /**
     * One event: its factory and its type, kept, because {@link EventFactory#getEventType()} looks the type up by
     * class at every call (it made a 64-byte allocation 4.4 times slower under a recording, measured).
     */
    private record Kind(EventFactory factory, EventType type) {
        Kind(EventFactory factory) {
            this(factory, factory.getEventType());
        }
    }

    private QuiverEvents() {
    }

    /**
     * Runs {@code then} once Flight Recorder is initialized (at once if it is already): when the first recording
     * is created, by {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the API.
     */
    public static void whenRecorderInitialized(Runnable then) {
        FlightRecorder.addListener(new FlightRecorderListener() {
            @Override
            public void recorderInitialized(FlightRecorder recorder) {
                then.run();
            }
        });
    }

    /**
     * Defines the events and registers the periodic statistics: {@code pools} commits one {@link #poolStatistics}
     * per backend and {@code views} one {@link #childPoolStatistics} per open child pool or bundle view, at each
     * event's period.
     */
    public static void define(Runnable pools, Runnable views) {
        Events e = new Events(
                event("DefaultPoolSwitched", "Default Pool Switched",
                        "The backend that serves the default memory pool changed", false, null, true,
                        text("from", "From", "The backend that served before, or null when none did"),
                        text("to", "To", "The backend that serves now, or null when none can"),
                        text("reason", "Reason", "What changed, and why this backend serves now")),
                event("BackendRetired", "Backend Retired",
                        "An allocator backend was unregistered; it allocates nothing more and closes after its last"
                                + " free", false, null, true,
                        text("backend", "Backend", null),
                        bytes("bytesOutstanding", "Bytes Outstanding", "Bytes of its blocks still live")),
                event("BackendClosed", "Backend Closed",
                        "A retired allocator backend freed its last block and was closed", false, null, true,
                        text("backend", "Backend", null)),
                event("Leak", "Memory Leak", "A buffer was garbage collected without being closed, or a bundle or"
                        + " child pool went away with live buffers", false, null, true,
                        text("owner", "Owner", "The bundle or child pool, or null for a collected buffer"),
                        text("backend", "Backend", "The backend the memory came from (several, comma-separated)"),
                        number("buffers", "Buffers", null),
                        bytes("bytes", "Bytes", null),
                        text("allocationSite", "Allocation Site",
                                "Where the buffers were allocated (leak detection paranoid), or null")),
                event("LimitExceeded", "Memory Limit Exceeded",
                        "An allocation or growth was refused because it would exceed a pool's limit", true, null,
                        true,
                        text("pool", "Pool", "The bundle, child pool or capped pool whose limit it is"),
                        bytes("requested", "Requested", null),
                        bytes("allocated", "Allocated", "Bytes the pool held when it refused"),
                        bytes("limit", "Limit", null)),
                event("AllocationRefused", "Allocation Refused",
                        "The allocator backend refused an allocation or reallocation", true, null, true,
                        text("backend", "Backend", null),
                        bytes("size", "Size", null),
                        bytes("alignment", "Alignment", null),
                        text("reason", "Reason", null)),
                event("PoolStatistics", "Memory Pool Statistics", "The counters of each allocator backend", false,
                        "10 s", true,
                        text("backend", "Backend", null),
                        flag("isDefault", "Default", "Whether it serves the default pool"),
                        bytes("bytesAllocated", "Bytes Allocated", null),
                        bytes("peakBytesAllocated", "Peak Bytes Allocated", null),
                        bytes("cumulativeBytesAllocated", "Cumulative Bytes Allocated", null),
                        number("allocations", "Allocations", null),
                        bytes("bytesCached", "Bytes Cached", "Freed blocks kept in the threads' caches")),
                event("ChildPoolStatistics", "Child Pool Statistics",
                        "The usage of each open child pool and of each bundle's view of the default pool", false,
                        "10 s", true,
                        text("name", "Name", "The child pool, or the bundle ('bundle com.acme.reader [12]')"),
                        bytes("bytesAllocated", "Bytes Allocated", null),
                        bytes("peakBytesAllocated", "Peak Bytes Allocated", null),
                        number("liveBuffers", "Live Buffers", null),
                        bytes("limit", "Limit", "Its limit in bytes, or -1 for none")),
                event("AllocationSample", "Allocation Sample", "A sample of memory pool allocations, with where they"
                        + " were made: one in " + PRESAMPLE + " on average, at most " + SAMPLES_PER_SECOND
                        + " a second (-Dquiver.jfr.allocationSamples)", true, null, false,
                        text("backend", "Backend", null),
                        bytes("size", "Size", "The bytes asked for (before the 64-byte padding)"),
                        bytes("alignment", "Alignment", null)));
        events = e;
        FlightRecorder.addPeriodicEvent(e.poolStatistics.factory.newEvent().getClass(), pools);
        FlightRecorder.addPeriodicEvent(e.childPoolStatistics.factory.newEvent().getClass(), views);
    }

    private static Kind event(String name, String label, String description, boolean stackTrace,
            String period, boolean enabled, ValueDescriptor... fields) {
        List<AnnotationElement> a = new ArrayList<>(List.of(new AnnotationElement(Name.class, "org.quiver." + name),
                new AnnotationElement(Label.class, label), new AnnotationElement(Description.class, description),
                new AnnotationElement(Category.class, new String[] {"Quiver", "Memory"}),
                new AnnotationElement(StackTrace.class, stackTrace), new AnnotationElement(Enabled.class, enabled)));
        if (period != null) {
            a.add(new AnnotationElement(Period.class, period));
        }
        return new Kind(EventFactory.create(a, List.of(fields)));
    }

    private static ValueDescriptor text(String name, String label, String description) {
        return field(String.class, name, label, description, false);
    }

    private static ValueDescriptor number(String name, String label, String description) {
        return field(long.class, name, label, description, false);
    }

    private static ValueDescriptor bytes(String name, String label, String description) {
        return field(long.class, name, label, description, true);
    }

    private static ValueDescriptor flag(String name, String label, String description) {
        return field(boolean.class, name, label, description, false);
    }

    private static ValueDescriptor field(Class<?> type, String name, String label, String description,
            boolean dataAmount) {
        List<AnnotationElement> a = new ArrayList<>(List.of(new AnnotationElement(Label.class, label)));
        if (description != null) {
            a.add(new AnnotationElement(Description.class, description));
        }
        if (dataAmount) {
            a.add(new AnnotationElement(DataAmount.class, DataAmount.BYTES));
        }
        return new ValueDescriptor(type, name, a);
    }

    /** Commits {@code values} to the event {@code which} picks, once the events are defined. */
    private static void commit(java.util.function.Function<Events, Kind> which, Object... values) {
        Events e = events;
        if (e != null) {
            commit(which.apply(e), values);
        }
    }

    /** Commits {@code values} (in the fields' order) if a recording wants this event now. */
    private static void commit(Kind kind, Object... values) {
        if (!kind.type.isEnabled()) {
            return;
        }
        Event e = kind.factory.newEvent();
        if (e.shouldCommit()) {
            for (int i = 0; i < values.length; i++) {
                e.set(i, values[i]);
            }
            e.commit();
        }
    }

    public static void defaultSwitched(String from, String to, String reason) {
        commit(Events::defaultSwitched, from, to, reason);
    }

    public static void backendRetired(String backend, long bytesOutstanding) {
        commit(Events::backendRetired, backend, bytesOutstanding);
    }

    public static void backendClosed(String backend) {
        commit(Events::backendClosed, backend);
    }

    public static void leak(String owner, String backend, long buffers, long bytes, String allocationSite) {
        commit(Events::leak, owner, backend, buffers, bytes, allocationSite);
    }

    public static void limitExceeded(String pool, long requested, long allocated, long limit) {
        commit(Events::limitExceeded, pool, requested, allocated, limit);
    }

    public static void allocationRefused(String backend, long size, long alignment, String reason) {
        commit(Events::allocationRefused, backend, size, alignment, reason);
    }

    public static void poolStatistics(String backend, boolean isDefault, long bytes, long peak, long cumulative,
            long allocations, long cached) {
        commit(Events::poolStatistics, backend, isDefault, bytes, peak, cumulative, allocations, cached);
    }

    public static void childPoolStatistics(String name, long bytes, long peak, long liveBuffers, long limit) {
        commit(Events::childPoolStatistics, name, bytes, peak, liveBuffers, limit);
    }

    /** The current one-second window of the sample's rate limit, and the samples taken in it. */
    private static final AtomicLong WINDOW = new AtomicLong();
    private static final AtomicInteger TAKEN = new AtomicInteger();

    /**
     * The allocation path's sample. With the event off it costs the check of its setting. With it on, one
     * allocation in {@value #PRESAMPLE} on average (a {@link ThreadLocalRandom} draw) goes on to the rate limit
     * of {@link #SAMPLES_PER_SECOND} a second, and only a taken sample builds its event and asks the backend's name.
     */
    public static void allocationSample(org.quiver.memory.MemoryPool pool, long size, long alignment) {
        Events e = events;
        if (e == null || !e.allocationSample.type.isEnabled()
                || (ThreadLocalRandom.current().nextInt() & (PRESAMPLE - 1)) != 0 || !withinRate()) {
            return;
        }
        commit(e.allocationSample, pool.backendName(), size, alignment);
    }

    /** Whether another sample fits this second's budget (approximate under races, never far over). */
    private static boolean withinRate() {
        long second = System.nanoTime() / 1_000_000_000L;
        long window = WINDOW.get();
        if (window != second && WINDOW.compareAndSet(window, second)) {
            TAKEN.set(0);
        }
        return TAKEN.incrementAndGet() <= SAMPLES_PER_SECOND;
    }
}
