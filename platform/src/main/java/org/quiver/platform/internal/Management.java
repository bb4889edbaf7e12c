package org.quiver.platform.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import javax.management.AttributeChangeNotification;
import javax.management.InstanceNotFoundException;
import javax.management.MBeanNotificationInfo;
import javax.management.MBeanServer;
import javax.management.Notification;
import javax.management.NotificationBroadcasterSupport;
import javax.management.ObjectName;

import org.quiver.internal.hooks.MemoryEvents;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.memory.ChildPool;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.LeakReport;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.platform.management.ChildPoolMXBean;
import org.quiver.platform.management.MemoryBackendMXBean;
import org.quiver.platform.management.QuiverManagement;
import org.quiver.platform.management.QuiverPlatformMXBean;

/**
 * Quiver's MXBeans, kept in step with the runtime: the platform's, one per backend (registered or known), one per
 * open child pool or bundle view. Where they go is an {@link Exporter}: an MBean server, OSGi services for a JMX
 * whiteboard, or both. It hears the runtime's changes as a {@link MemoryEvents} observer and turns switches,
 * retirements and leaks into the platform MBean's notifications.
 */
public final class Management implements MemoryEvents {

    private static final System.Logger LOG = System.getLogger("org.quiver.jmx");

    /** Where the MBeans go. */
    public interface Exporter {
        /** Exports {@code mbean}, an implementation of {@code type}, as {@code name}. */
        void add(ObjectName name, Object mbean, Class<?> type) throws Exception;

        /** Withdraws what {@link #add} exported as {@code name}. */
        void remove(ObjectName name) throws Exception;
    }

    /** How child pools and views are named and limited: plain child pools, or (in OSGi) also bundle views. */
    public interface Views {
        ObjectName name(ChildPool view, long id);

        /** Sets the limit, {@code -1} for none (other negative values are refused before). */
        void setLimit(ChildPool view, long bytes);
    }

    /** Every view is a child pool named by {@link QuiverManagement#childPool}. */
    public static final Views CHILD_POOLS = new Views() {
        @Override
        public ObjectName name(ChildPool view, long id) {
            return QuiverManagement.childPool(view.name(), id);
        }

        @Override
        public void setLimit(ChildPool view, long bytes) {
            view.setLimit(bytes < 0 ? Long.MAX_VALUE : bytes);
        }
    };

    /** Registers on {@code server}. */
    public static Exporter exportTo(MBeanServer server) {
        return new Exporter() {
            @Override
            public void add(ObjectName name, Object mbean, Class<?> type) throws Exception {
                server.registerMBean(mbean, name);
            }

            @Override
            public void remove(ObjectName name) throws Exception {
                try {
                    server.unregisterMBean(name);
                } catch (InstanceNotFoundException gone) {
                    // someone else unregistered it
                }
            }
        };
    }

    private final Exporter exporter;
    private final Views views;
    private final PlatformBean platform = new PlatformBean();
    /** What is exported, by name (guarded by this). */
    private final Map<ObjectName, Object> exported = new LinkedHashMap<>();
    private final Map<String, ObjectName> backends = new HashMap<>();
    private final Map<Long, ObjectName> children = new HashMap<>();
    private Runnable unobserve;
    private LeakDetection.Registration leakListener;
    private boolean stopped;

    private Management(Exporter exporter, Views views) {
        this.exporter = exporter;
        this.views = views;
    }

    /** Exports the MBeans and keeps them in step until {@link #stop}. */
    public static Management start(Exporter exporter, Views views) {
        Management m = new Management(exporter, views);
        m.begin();
        return m;
    }

    private synchronized void begin() {
        export(QuiverManagement.PLATFORM, platform, QuiverPlatformMXBean.class);
        unobserve = PlatformHooks.observe(this);
        leakListener = LeakDetection.addListener(platform::leak);
        syncBackends();
        for (ChildPool view : PlatformHooks.openViews()) {
            if (!view.isClosed()) {
                viewOpened(view, PlatformHooks.viewId(view));
            }
        }
    }

    /** Withdraws every MBean and stops listening. Idempotent. */
    public synchronized void stop() {
        if (stopped) {
            return;
        }
        stopped = true;
        unobserve.run();
        leakListener.close();
        for (ObjectName name : List.copyOf(exported.keySet())) {
            withdraw(name);
        }
        backends.clear();
        children.clear();
    }

    /** The names exported now, for tests and the shell. */
    public synchronized List<ObjectName> names() {
        return new ArrayList<>(exported.keySet());
    }

    private void export(ObjectName name, Object mbean, Class<?> type) {
        try {
            exporter.add(name, mbean, type);
            exported.put(name, mbean);
        } catch (Exception e) {
            LOG.log(System.Logger.Level.WARNING, "cannot register " + name + ": " + e);
        }
    }

    private void withdraw(ObjectName name) {
        if (exported.remove(name) != null) {
            try {
                exporter.remove(name);
            } catch (Exception e) {
                LOG.log(System.Logger.Level.WARNING, "cannot unregister " + name + ": " + e);
            }
        }
    }

    /** One MBean per backend name the runtime lists; a registered backend that went away loses its MBean. */
    private void syncBackends() {
        List<String> names = MemoryPool.supportedBackends().stream().map(MemoryBackend::name).toList();
        for (String n : names) {
            if (!backends.containsKey(n)) {
                ObjectName name = QuiverManagement.backend(n);
                backends.put(n, name);
                export(name, new BackendBean(n), MemoryBackendMXBean.class);
            }
        }
        for (String n : List.copyOf(backends.keySet())) {
            if (!names.contains(n)) {
                withdraw(backends.remove(n));
            }
        }
    }

    // ---- the runtime's events ---------------------------------------------------------------------------------

    @Override
    public synchronized void backendsChanged() {
        if (!stopped) {
            syncBackends();
        }
    }

    @Override
    public synchronized void viewOpened(ChildPool view, long id) {
        if (stopped || children.containsKey(id)) {
            return;
        }
        ObjectName name = views.name(view, id);
        children.put(id, name);
        export(name, new ChildPoolBean(view, views), ChildPoolMXBean.class);
    }

    @Override
    public synchronized void viewClosed(ChildPool view, long id) {
        ObjectName name = children.remove(id);
        if (name != null) {
            withdraw(name);
        }
    }

    @Override
    public void defaultSwitched(String from, String to, String reason) {
        platform.switched(from, to, reason);
    }

    @Override
    public void backendRetired(String backend, long bytesOutstanding) {
        platform.tell(PlatformBean.RETIRED, "memory pool backend '" + backend + "' retired with " + bytesOutstanding
                + " bytes outstanding; they stay valid, and it closes after the last free", backend);
    }

    @Override
    public void backendClosed(String backend) {
        platform.tell(PlatformBean.CLOSED, "retired memory pool backend '" + backend + "' freed its last block and"
                + " was closed", backend);
    }

    // ---- the MBeans -------------------------------------------------------------------------------------------

    /** {@code org.quiver:type=Platform}. */
    static final class PlatformBean extends NotificationBroadcasterSupport implements QuiverPlatformMXBean {

        static final String LEAK = "org.quiver.leak";
        static final String RETIRED = "org.quiver.backend.retired";
        static final String CLOSED = "org.quiver.backend.closed";

        private final AtomicLong sequence = new AtomicLong();

        PlatformBean() {
            super(new MBeanNotificationInfo(new String[] {AttributeChangeNotification.ATTRIBUTE_CHANGE},
                    AttributeChangeNotification.class.getName(), "The default pool switched to another backend"),
                    new MBeanNotificationInfo(new String[] {LEAK, RETIRED, CLOSED}, Notification.class.getName(),
                            "A leak was reported; a backend was retired; a retired backend was closed"));
        }

        void switched(String from, String to, String reason) {
            sendNotification(new AttributeChangeNotification(QuiverManagement.PLATFORM, sequence.incrementAndGet(),
                    System.currentTimeMillis(), reason, "DefaultPool", String.class.getName(), from, to));
        }

        void tell(String type, String message, Object userData) {
            Notification n = new Notification(type, QuiverManagement.PLATFORM, sequence.incrementAndGet(),
                    System.currentTimeMillis(), message);
            n.setUserData(userData);
            sendNotification(n);
        }

        void leak(LeakReport report) {
            String who = report.owner() != null ? report.owner() : "a buffer collected unclosed";
            tell(LEAK, "LEAK: " + who + ": " + report.buffers() + " buffer(s), " + report.capacity()
                    + " bytes from pool '" + report.backendName() + "'", report.capacity());
        }

        @Override
        public String getDefaultPool() {
            try {
                return PlatformHooks.defaultPool().backendName();
            } catch (IllegalStateException none) {
                return null;
            }
        }

        @Override
        public String getDefaultPoolReason() {
            return PlatformHooks.defaultReason();
        }

        @Override
        public void switchDefaultPool(String backend) {
            MemoryPool.setDefault(backend == null || backend.isBlank() ? null : backend.trim());
        }

        @Override
        public String[] getBackends() {
            return MemoryPool.supportedBackends().stream().map(MemoryBackend::name).toArray(String[]::new);
        }

        @Override
        public Map<String, Long> getRetiredBackends() {
            Map<String, Long> out = new LinkedHashMap<>();
            for (Map.Entry<String, Long> e : PlatformHooks.retiredBackends()) {
                out.merge(e.getKey(), e.getValue(), Long::sum);
            }
            return out;
        }

        @Override
        public long getBytesAllocatedInAllPools() {
            return MemoryPool.bytesAllocatedInAllPools();
        }

        @Override
        public String getLeakDetection() {
            return LeakDetection.level().name();
        }

        @Override
        public void setLeakDetection(String level) {
            LeakDetection.Level l;
            try {
                l = LeakDetection.Level.valueOf(level == null ? "" : level.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("unknown leak detection level '" + level
                        + "'; use OFF, SAMPLED or PARANOID");
            }
            LeakDetection.setLevel(l);
        }

        @Override
        public long getLeaksFound() {
            return LeakDetection.leaksFound();
        }

        @Override
        public int getOpenChildPools() {
            return PlatformHooks.openViews().size();
        }

        @Override
        public void releaseUnused() {
            for (MemoryBackend b : MemoryPool.supportedBackends()) {
                if (b.available()) {
                    try {
                        MemoryPool.pool(b.name()).releaseUnused();
                    } catch (IllegalArgumentException goneMeanwhile) {
                        // unregistered since the list was made
                    }
                }
            }
        }
    }

    /** {@code org.quiver:type=MemoryBackend,name=...}: looked up by name at each read. */
    static final class BackendBean implements MemoryBackendMXBean {
        private final String name;

        BackendBean(String name) {
            this.name = name;
        }

        private MemoryBackend info() {
            for (MemoryBackend b : MemoryPool.supportedBackends()) {
                if (b.name().equals(name)) {
                    return b;
                }
            }
            return new MemoryBackend(name, -1, false, "no longer registered", false);
        }

        /** The backend's pool, or null when it is not available. */
        private MemoryPool pool() {
            try {
                return MemoryPool.pool(name);
            } catch (IllegalArgumentException notAvailable) {
                return null;
            }
        }

        /** One of the pool's counters, or -1 when the backend is not available. */
        private long figure(java.util.function.ToLongFunction<MemoryPool> counter) {
            MemoryPool p = pool();
            return p == null ? -1 : counter.applyAsLong(p);
        }

        @Override
        public String getName() {
            return name;
        }

        @Override
        public int getRanking() {
            return info().ranking();
        }

        @Override
        public boolean isInstalled() {
            return info().installed();
        }

        @Override
        public boolean isAvailable() {
            return info().available();
        }

        @Override
        public String getUnavailableReason() {
            return info().unavailableReason();
        }

        @Override
        public boolean isDefault() {
            return info().isDefault();
        }

        @Override
        public long getBytesAllocated() {
            return figure(MemoryPool::bytesAllocated);
        }

        @Override
        public long getPeakBytesAllocated() {
            return figure(MemoryPool::peakBytesAllocated);
        }

        @Override
        public long getCumulativeBytesAllocated() {
            return figure(MemoryPool::cumulativeBytesAllocated);
        }

        @Override
        public long getNumAllocations() {
            return figure(MemoryPool::numAllocations);
        }

        @Override
        public long getBytesCached() {
            return figure(MemoryPool::bytesCached);
        }

        @Override
        public Map<String, String> getOptions() {
            MemoryPool p = pool();
            return p == null ? Map.of() : p.backendOptions();
        }

        @Override
        public void releaseUnused() {
            MemoryPool.pool(name).releaseUnused(); // says why when it is not available
        }
    }

    /** A child pool's or a bundle view's MBean. */
    static final class ChildPoolBean implements ChildPoolMXBean {
        private final ChildPool view;
        private final Views views;

        ChildPoolBean(ChildPool view, Views views) {
            this.view = view;
            this.views = views;
        }

        @Override
        public String getName() {
            return view.name();
        }

        @Override
        public String getOwner() {
            return PlatformHooks.viewOwner(view);
        }

        @Override
        public String getBackend() {
            try {
                return view.backendName();
            } catch (IllegalStateException none) {
                return null;
            }
        }

        @Override
        public long getBytesAllocated() {
            return view.bytesAllocated();
        }

        @Override
        public long getPeakBytesAllocated() {
            return view.peakBytesAllocated();
        }

        @Override
        public long getLiveBuffers() {
            return view.liveBuffers();
        }

        @Override
        public long getLimit() {
            long l = view.limit();
            return l == Long.MAX_VALUE ? -1 : l;
        }

        @Override
        public void setLimit(long bytes) {
            if (bytes < -1) {
                throw new IllegalArgumentException("negative limit: limit=" + bytes + " (-1 for none)");
            }
            views.setLimit(view, bytes);
        }
    }
}
