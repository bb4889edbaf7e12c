package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.Predicate;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;
import jdk.jfr.consumer.RecordedEvent;
import jdk.jfr.consumer.RecordedFrame;
import jdk.jfr.consumer.RecordingFile;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.memory.Buffer;
import org.quiver.memory.ChildPool;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.OutOfMemoryException;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.ChildJvm;
import org.quiver.memory.testing.LibcAllocator;

/**
 * Every {@code org.quiver.*} Flight Recorder event, caused for real in a real recording and read back from its
 * file with {@link RecordingFile}, field by field against what the pools say.
 */
class FlightRecorderEventsTest {

    @TempDir
    Path dir;

    /** An allocator that refuses every block (a process out of memory). */
    static final class RefusingAllocator extends LibcAllocator {
        RefusingAllocator() {
            super("jfr-refusing");
        }

        @Override
        public long allocate(long size, long alignment) {
            return 0;
        }
    }

    private List<RecordedEvent> record(Configuration settings, boolean everything, Runnable work) throws Exception {
        Path file = dir.resolve("quiver-" + System.nanoTime() + ".jfr");
        try (Recording r = settings == null ? new Recording() : new Recording(settings)) {
            if (everything) {
                for (String e : List.of("DefaultPoolSwitched", "BackendRetired", "BackendClosed", "Leak",
                        "LimitExceeded", "AllocationRefused", "AllocationSample")) {
                    r.enable("org.quiver." + e);
                }
                r.enable("org.quiver.PoolStatistics").withPeriod(Duration.ofMillis(20));
                r.enable("org.quiver.ChildPoolStatistics").withPeriod(Duration.ofMillis(20));
            }
            r.start();
            work.run();
            r.stop();
            r.dump(file);
        }
        return RecordingFile.readAllEvents(file).stream()
                .filter(e -> e.getEventType().getName().startsWith("org.quiver.")).toList();
    }

    private static List<RecordedEvent> named(List<RecordedEvent> events, String name,
            Predicate<RecordedEvent> which) {
        return events.stream().filter(e -> e.getEventType().getName().equals("org.quiver." + name)).filter(which)
                .toList();
    }

    private static RecordedEvent one(List<RecordedEvent> events, String name, Predicate<RecordedEvent> which) {
        List<RecordedEvent> found = named(events, name, which);
        assertEquals(1, found.size(), () -> "org.quiver." + name + ": " + found + " among " + events);
        return found.get(0);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Test
    void switchRetireAndCloseAreRecordedWithTheirReasons() throws Exception {
        LibcAllocator extra = new LibcAllocator("jfr-extra");
        ResizableBuffer[] held = new ResizableBuffer[1];
        List<RecordedEvent> events = record(null, true, () -> {
            Allocators.Registration registration = Allocators.register(extra, 5000);
            held[0] = MemoryPool.defaultPool().allocate(4096);
            registration.close();
            held[0].close();
        });
        RecordedEvent to = one(events, "DefaultPoolSwitched", e -> "jfr-extra".equals(e.getString("to")));
        assertEquals("libc", to.getString("from"));
        assertTrue(to.getString("reason").startsWith("backend 'jfr-extra' registered ("), to.getString("reason"));
        assertTrue(to.getString("reason").contains("ranking 5000"), to.getString("reason"));
        assertTrue(to.getString("reason").endsWith("'jfr-extra' is the best-ranked available backend"),
                to.getString("reason"));
        RecordedEvent back = one(events, "DefaultPoolSwitched", e -> "jfr-extra".equals(e.getString("from")));
        assertEquals("libc", back.getString("to"));
        assertTrue(back.getString("reason").startsWith("backend 'jfr-extra' unregistered; "), back.getString("reason"));
        RecordedEvent retired = one(events, "BackendRetired", e -> true);
        assertEquals("jfr-extra", retired.getString("backend"));
        assertEquals(4096, retired.getLong("bytesOutstanding"));
        RecordedEvent closed = one(events, "BackendClosed", e -> true);
        assertEquals("jfr-extra", closed.getString("backend"));
        assertTrue(closed.getStartTime().compareTo(retired.getStartTime()) >= 0, "closed before retired");
        assertEquals(1, extra.closes.get());
    }

    @Test
    void aSwitchAtRunTimeSaysSo() throws Exception {
        LibcAllocator other = new LibcAllocator("jfr-other");
        try (Allocators.Registration registration = Allocators.register(other, -5)) {
            List<RecordedEvent> events = record(null, true, () -> {
                MemoryPool.setDefault("jfr-other");
                MemoryPool.setDefault((String) null);
            });
            RecordedEvent set = one(events, "DefaultPoolSwitched", e -> "jfr-other".equals(e.getString("to")));
            assertEquals("libc", set.getString("from"));
            assertEquals("'jfr-other' set at run time", set.getString("reason"), "said once");
            RecordedEvent cleared = one(events, "DefaultPoolSwitched", e -> "libc".equals(e.getString("to")));
            assertTrue(cleared.getString("reason").startsWith("the name set at run time was cleared; "),
                    cleared.getString("reason"));
        } finally {
            MemoryPool.setDefault((String) null);
        }
    }

    @Test
    void limitsRefusalsAndLeaksAreRecorded() throws Exception {
        RefusingAllocator refusing = new RefusingAllocator();
        LeakDetection.Level before = LeakDetection.level();
        // The leaked buffers, freed at the end: garbage with a tracker would report a leak in a later test.
        List<ResizableBuffer> held = new java.util.ArrayList<>();
        List<RecordedEvent> events;
        try (Allocators.Registration registration = Allocators.register(refusing, -10)) {
            LeakDetection.setLevel(LeakDetection.Level.PARANOID);
            events = record(null, true, () -> {
                try (ChildPool child = MemoryPool.defaultPool().newChild("jfr-limited", 1000)) {
                    ResizableBuffer b = child.allocate(512);
                    MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class,
                            () -> child.allocate(1024));
                    assertNotNull(e.getMessage());
                    assertThrows(MemoryLimitExceededException.class, () -> b.resize(4096));
                    b.close();
                }
                assertThrows(OutOfMemoryException.class, () -> MemoryPool.pool("jfr-refusing").allocate(100, 256));
                ChildPool leaking = MemoryPool.defaultPool().newChild("jfr-leaking");
                held.add(leaking.allocate(128));
                held.add(leaking.allocate(64));
                leaking.close();
            });
        } finally {
            LeakDetection.setLevel(before);
            held.forEach(ResizableBuffer::close);
        }
        List<RecordedEvent> limits = named(events, "LimitExceeded", e -> true);
        assertEquals(2, limits.size(), limits::toString);
        RecordedEvent first = limits.get(0);
        assertEquals("child pool 'jfr-limited'", first.getString("pool"));
        assertEquals(1024, first.getLong("requested"));
        assertEquals(512, first.getLong("allocated"));
        assertEquals(1000, first.getLong("limit"));
        assertEquals(4096 - 512, limits.get(1).getLong("requested"), "a growth asks for the difference");
        assertTrue(topFrames(first).contains("limitsRefusalsAndLeaksAreRecorded"), topFrames(first));

        RecordedEvent refused = one(events, "AllocationRefused", e -> true);
        assertEquals("jfr-refusing", refused.getString("backend"));
        assertEquals(128, refused.getLong("size"), "the padded size");
        assertEquals(256, refused.getLong("alignment"));
        assertEquals("out of memory", refused.getString("reason"));

        RecordedEvent leak = one(events, "Leak", e -> "child pool 'jfr-leaking'".equals(e.getString("owner")));
        assertEquals("libc", leak.getString("backend"));
        assertEquals(2, leak.getLong("buffers"));
        assertEquals(192, leak.getLong("bytes"));
        String site = leak.getString("allocationSite");
        assertNotNull(site, "paranoid level: the sites");
        assertTrue(site.contains("limitsRefusalsAndLeaksAreRecorded"), site);
    }

    private static String topFrames(RecordedEvent e) {
        StringBuilder sb = new StringBuilder();
        for (RecordedFrame f : e.getStackTrace().getFrames()) {
            sb.append(f.getMethod().getName()).append(' ');
        }
        return sb.toString();
    }

    @Test
    void statisticsArePeriodicPerBackendAndPerChildPool() throws Exception {
        try (ChildPool child = MemoryPool.defaultPool().newChild("jfr-stats", 1 << 20)) {
            ResizableBuffer a = child.allocate(3000);
            ResizableBuffer b = child.allocate(1000);
            MemoryPool libc = MemoryPool.pool("libc");
            List<RecordedEvent> events = record(null, true, () -> sleep(200));
            List<RecordedEvent> mine = named(events, "ChildPoolStatistics",
                    e -> "child pool 'jfr-stats'".equals(e.getString("name")));
            assertTrue(mine.size() >= 2, "periodic at 20 ms over 200 ms: " + mine.size());
            RecordedEvent s = mine.get(mine.size() - 1);
            assertEquals(child.bytesAllocated(), s.getLong("bytesAllocated"));
            assertEquals(3008 + 1024, s.getLong("bytesAllocated"), "padded to 64 bytes");
            assertEquals(child.peakBytesAllocated(), s.getLong("peakBytesAllocated"));
            assertEquals(2, s.getLong("liveBuffers"));
            assertEquals(1 << 20, s.getLong("limit"));
            RecordedEvent p = named(events, "PoolStatistics", e -> "libc".equals(e.getString("backend"))).getLast();
            assertTrue(p.getBoolean("isDefault"));
            assertEquals(libc.bytesAllocated(), p.getLong("bytesAllocated"));
            assertEquals(libc.numAllocations(), p.getLong("allocations"));
            assertTrue(p.getLong("peakBytesAllocated") >= p.getLong("bytesAllocated"));
            assertTrue(p.getLong("cumulativeBytesAllocated") >= 4032);
            a.close();
            b.close();
        }
    }

    @Test
    void allocationSamplesAreOffByDefaultAndCarryTheSiteWhenOn() throws Exception {
        Runnable work = () -> {
            for (int i = 0; i < 5000; i++) { // one in 64 is offered to the throttle: about 78 here
                Buffer.allocate(100 + i % 50).close();
            }
        };
        List<RecordedEvent> byDefault = record(Configuration.getConfiguration("default"), false, work);
        assertEquals(List.of(), named(byDefault, "AllocationSample", e -> true), "off in JFR's default settings");

        List<RecordedEvent> on = record(null, true, work);
        List<RecordedEvent> samples = named(on, "AllocationSample", e -> true);
        assertFalse(samples.isEmpty());
        assertTrue(samples.size() < 1000, "sampled, not one per allocation: " + samples.size());
        RecordedEvent s = samples.get(0);
        assertEquals("libc", s.getString("backend"));
        assertTrue(s.getLong("size") >= 100 && s.getLong("size") < 150, () -> "size " + s.getLong("size"));
        assertEquals(64, s.getLong("alignment"));
        assertTrue(topFrames(s).contains("allocationSamplesAreOffByDefaultAndCarryTheSiteWhenOn"), topFrames(s));
    }

    /** Uses the default pool and a child pool, switches the default, and prints whether JFR was initialized. */
    public static final class NoRecording {
        public static void main(String[] args) {
            LibcAllocator other = new LibcAllocator("jfr-other");
            try (Allocators.Registration registration = Allocators.register(other, 5000);
                    ChildPool child = MemoryPool.defaultPool().newChild("child", 100)) {
                child.allocate(64).close();
                assertThrows(MemoryLimitExceededException.class, () -> child.allocate(1000));
            }
            System.out.println("initialized=" + jdk.jfr.FlightRecorder.isInitialized());
        }
    }

    @Test
    void withoutARecordingNoEventIsDefined() {
        ChildJvm.Result r = ChildJvm.run(NoRecording.class, List.of("-Xlog:class+load=info"), List.of(), 60);
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stdout().contains("initialized=false"), r::describe);
        assertTrue(r.stdout().contains("org.quiver.internal.memory.Telemetry "), "the probe ran Telemetry");
        assertFalse(r.stdout().contains("jdk.jfr.EventFactory "), "Quiver's events were defined");
        assertFalse(r.stdout().contains("jdk.jfr.internal.MetadataRepository "), "JFR's metadata was loaded");
    }
}
