package org.quiver.platform.internal;

import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.ObjectName;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.internal.kit.Sizes;
import org.quiver.memory.ChildPool;
import org.quiver.memory.MemoryPool;
import org.quiver.platform.management.QuiverManagement;

/**
 * Each bundle's view of the default pool: a {@link ChildPool} per bundle, whether the bundle gets it as the
 * {@link MemoryPool} service or through the static entry points ({@code MemoryPool.defaultPool()},
 * {@code Buffer.allocate}, the no-pool constructors), which look the calling bundle up by the caller's class. Its
 * counters are that bundle's share, capped by a limit by symbolic name ({@link #setLimit}, the {@code quiver:limit}
 * command, or the framework property {@code quiver.bundle.limit.<symbolic name>}). When the bundle stops with
 * live buffers, the leak is reported with its name.
 *
 * <p>A view lives from the bundle's first allocation until the bundle stops (or this glue stops), not only while
 * the bundle holds the service: the service goes away whenever no allocator is available (at every shutdown
 * the allocator bundles stop first), and the bundle's buffers, limit and leak report must not go with it.
 */
final class BundleViews implements ServiceFactory<MemoryPool>, SynchronousBundleListener {

    static final String LIMIT_PROPERTY_PREFIX = "quiver.bundle.limit.";

    private static final int RUNNING = Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    /** A bundle's view, with the symbolic name its limit is set by. */
    private record View(String bsn, ChildPool pool) {
    }

    private final BundleContext context;
    private final Bundle own;
    /** The API bundle: its own helpers allocate from the default pool, on behalf of whoever called them. */
    private final Bundle api;
    private final Map<Long, View> views = new ConcurrentHashMap<>();
    /**
     * The bundle behind each view, by the owner name its pool reports: filled before the pool is opened, so that
     * JMX, which hears of the pool while it opens, names it by its bundle.
     */
    private final Map<String, Owner> owners = new ConcurrentHashMap<>();

    private record Owner(String bsn, long bundleId) {
    }
    /** Limits set at run time by symbolic name; they win over the framework property. */
    private final Map<String, Long> limits = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BundleViews(BundleContext context) {
        this.context = context;
        this.own = context.getBundle();
        this.api = FrameworkUtil.getBundle(MemoryPool.class);
    }

    /** Starts attributing: bundle events close views, and the static entry points find them. */
    void open() {
        context.addBundleListener(this);
        PlatformHooks.attributeCallers(this::viewFor);
    }

    /**
     * The view of the bundle that loaded {@code caller}; the default pool itself for classes of no bundle, of the
     * framework (the launcher), of this bundle, of the API bundle (its own helpers), or of a bundle that is not
     * running.
     */
    MemoryPool viewFor(Class<?> caller) {
        Bundle bundle = FrameworkUtil.getBundle(caller);
        if (bundle == null || bundle.getBundleId() == 0 || bundle.equals(own) || bundle.equals(api)) {
            return PlatformHooks.defaultPool();
        }
        View view = views.get(bundle.getBundleId());
        return view != null ? view.pool() : open(bundle);
    }

    private MemoryPool open(Bundle bundle) {
        if (closed || (bundle.getState() & RUNNING) == 0) {
            return PlatformHooks.defaultPool();
        }
        return views.computeIfAbsent(bundle.getBundleId(), id -> newView(bundle)).pool();
    }

    private View newView(Bundle bundle) {
        String bsn = bundle.getSymbolicName() == null ? "bundle-" + bundle.getBundleId() : bundle.getSymbolicName();
        String owner = "bundle " + bsn + " [" + bundle.getBundleId() + "]";
        owners.put(owner, new Owner(bsn, bundle.getBundleId()));
        return new View(bsn, PlatformHooks.openView(PlatformHooks.defaultPool(), owner, limitOf(bsn)));
    }

    /** The limit a new view of {@code bsn} gets: set at run time, else the framework property, else none. */
    private long limitOf(String bsn) {
        Long set = limits.get(bsn);
        if (set != null) {
            return set;
        }
        String property = context.getProperty(LIMIT_PROPERTY_PREFIX + bsn);
        if (property != null && !property.isBlank()) {
            try {
                return Sizes.parse(property);
            } catch (IllegalArgumentException e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING,
                        LIMIT_PROPERTY_PREFIX + bsn + " ignored: " + e.getMessage());
            }
        }
        return Long.MAX_VALUE;
    }

    /**
     * Sets the limit of the bundles named {@code bsn}, for their open views and those opened later; a negative
     * {@code bytes} removes it (back to the framework property, if any, for views opened later).
     *
     * @return how many open views it changed
     */
    int setLimit(String bsn, long bytes) {
        Objects.requireNonNull(bsn, "bsn");
        if (bytes < 0) {
            limits.remove(bsn);
        } else {
            limits.put(bsn, bytes);
        }
        int changed = 0;
        for (View v : views.values()) {
            if (v.bsn().equals(bsn)) {
                v.pool().setLimit(bytes < 0 ? Long.MAX_VALUE : bytes);
                changed++;
            }
        }
        return changed;
    }

    @Override
    public MemoryPool getService(Bundle bundle, ServiceRegistration<MemoryPool> registration) {
        return views.computeIfAbsent(bundle.getBundleId(), id -> newView(bundle)).pool();
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<MemoryPool> registration, MemoryPool service) {
        // The view outlives the service (see the class comment); it is closed when the bundle stops.
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.STOPPED || type == BundleEvent.UNINSTALLED) {
            View view = views.remove(event.getBundle().getBundleId());
            if (view != null) {
                view.pool().close();
                owners.remove(PlatformHooks.viewOwner(view.pool()));
            }
        }
    }

    /** Stops attributing and closes every view, reporting what each bundle still holds. Idempotent. */
    void close() {
        closed = true;
        PlatformHooks.attributeCallers(null);
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException stopping) {
            // this bundle's context is already invalid: the framework dropped the listener itself
        }
        for (View view : List.copyOf(views.values())) {
            views.values().remove(view);
            view.pool().close();
        }
        owners.clear();
    }

    /**
     * How JMX names and limits views: a bundle's view as {@code org.quiver:type=BundlePool,name=<bsn>,id=<id>},
     * its limit set by symbolic name as {@link #setLimit} does; any other view as a child pool.
     */
    Management.Views forJmx() {
        return new Management.Views() {
            @Override
            public ObjectName name(ChildPool view, long id) {
                Owner o = owners.get(PlatformHooks.viewOwner(view));
                return o != null ? QuiverManagement.bundlePool(o.bsn(), o.bundleId())
                        : Management.CHILD_POOLS.name(view, id);
            }

            @Override
            public void setLimit(ChildPool view, long bytes) {
                Owner o = owners.get(PlatformHooks.viewOwner(view));
                if (o != null) {
                    BundleViews.this.setLimit(o.bsn(), bytes);
                } else {
                    Management.CHILD_POOLS.setLimit(view, bytes);
                }
            }
        };
    }
}
