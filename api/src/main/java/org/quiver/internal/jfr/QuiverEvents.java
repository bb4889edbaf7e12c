package org.quiver.internal.jfr;

import java.util.concurrent.ThreadLocalRandom;

import jdk.jfr.FlightRecorder;
import jdk.jfr.FlightRecorderListener;

/**
 * Commits Quiver's events. Each method builds its event only when a recording wants it, so that with the event
 * disabled a call costs the check of the event's setting. Called only when {@code jdk.jfr} is present and Flight
 * Recorder was initialized; see {@code Telemetry}.
 */
public final class QuiverEvents {

    /** One allocation in this many (a power of two) is offered to the sample event's throttle. */
    static final int PRESAMPLE = 64;

    private QuiverEvents() {
    }

    /**
     * Runs {@code then} once Flight Recorder is initialized (at once if it is already): when the first recording
     * is created, by {@code -XX:StartFlightRecording}, {@code jcmd JFR.start} or the API. Until then no event class
     * is loaded: loading the first one starts JFR's own machinery, about 90 ms (measured, JDK 25) that a program
     * that never records should not pay.
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
     * Registers the periodic statistics: {@code pools} commits one {@link #poolStatistics} per backend and
     * {@code views} one {@link #childPoolStatistics} per open child pool or bundle view, at each event's period.
     */
    public static void registerPeriodic(Runnable pools, Runnable views) {
        FlightRecorder.addPeriodicEvent(PoolStatisticsEvent.class, pools);
        FlightRecorder.addPeriodicEvent(ChildPoolStatisticsEvent.class, views);
    }

    public static void defaultSwitched(String from, String to, String reason) {
        DefaultPoolSwitchedEvent e = new DefaultPoolSwitchedEvent();
        if (e.shouldCommit()) {
            e.from = from;
            e.to = to;
            e.reason = reason;
            e.commit();
        }
    }

    public static void backendRetired(String backend, long bytesOutstanding) {
        BackendRetiredEvent e = new BackendRetiredEvent();
        if (e.shouldCommit()) {
            e.backend = backend;
            e.bytesOutstanding = bytesOutstanding;
            e.commit();
        }
    }

    public static void backendClosed(String backend) {
        BackendClosedEvent e = new BackendClosedEvent();
        if (e.shouldCommit()) {
            e.backend = backend;
            e.commit();
        }
    }

    public static void leak(String owner, String backend, long buffers, long bytes, String allocationSite) {
        LeakEvent e = new LeakEvent();
        if (e.shouldCommit()) {
            e.owner = owner;
            e.backend = backend;
            e.buffers = buffers;
            e.bytes = bytes;
            e.allocationSite = allocationSite;
            e.commit();
        }
    }

    public static void limitExceeded(String pool, long requested, long allocated, long limit) {
        LimitExceededEvent e = new LimitExceededEvent();
        if (e.shouldCommit()) {
            e.pool = pool;
            e.requested = requested;
            e.allocated = allocated;
            e.limit = limit;
            e.commit();
        }
    }

    public static void allocationRefused(String backend, long size, long alignment, String reason) {
        AllocationRefusedEvent e = new AllocationRefusedEvent();
        if (e.shouldCommit()) {
            e.backend = backend;
            e.size = size;
            e.alignment = alignment;
            e.reason = reason;
            e.commit();
        }
    }

    public static void poolStatistics(String backend, boolean isDefault, long bytes, long peak, long cumulative,
            long allocations, long cached) {
        PoolStatisticsEvent e = new PoolStatisticsEvent();
        e.backend = backend;
        e.isDefault = isDefault;
        e.bytesAllocated = bytes;
        e.peakBytesAllocated = peak;
        e.cumulativeBytesAllocated = cumulative;
        e.allocations = allocations;
        e.bytesCached = cached;
        e.commit();
    }

    public static void childPoolStatistics(String name, long bytes, long peak, long liveBuffers, long limit) {
        ChildPoolStatisticsEvent e = new ChildPoolStatisticsEvent();
        e.name = name;
        e.bytesAllocated = bytes;
        e.peakBytesAllocated = peak;
        e.liveBuffers = liveBuffers;
        e.limit = limit;
        e.commit();
    }

    /**
     * The allocation path's sample. When the event is on, one allocation in {@value #PRESAMPLE} on average goes on
     * to the throttle ({@code shouldCommit}), whose own cost, paid on every allocation, halved the throughput of a
     * 64-byte allocation (32 to 16 per microsecond, measured); the event is built, and the backend's name asked,
     * only when it is taken.
     */
    public static void allocationSample(org.quiver.memory.MemoryPool pool, long size, long alignment) {
        AllocationSampleEvent e = new AllocationSampleEvent();
        if (e.isEnabled() && (ThreadLocalRandom.current().nextInt() & (PRESAMPLE - 1)) == 0 && e.shouldCommit()) {
            e.backend = pool.backendName();
            e.size = size;
            e.alignment = alignment;
            e.commit();
        }
    }
}
