package org.quiver.internal.osgi;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleEvent;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.SynchronousBundleListener;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.memory.MemoryPool;

/**
 * Each bundle's view of the default pool: one per bundle, whether the bundle gets it as the {@link MemoryPool}
 * service or through the static entry points ({@code MemoryPool.defaultPool()}, {@code Buffer.allocate}, the
 * no-pool constructors), which look the calling bundle up by the caller's class. Its counters are that bundle's
 * share, capped by {@code quiver.bundle.limit.<symbolic name>} (a framework or system property, or the
 * {@code quiver:limit} command). When the bundle stops with live buffers, the leak is reported with its name.
 *
 * <p>A view lives from the bundle's first allocation until the bundle stops (or this glue stops), not only while
 * the bundle holds the service: the service goes away whenever no allocator is available (at every shutdown
 * the allocator bundles stop first), and the bundle's buffers, limit and leak report must not go with it.
 */
final class BundleViews implements ServiceFactory<MemoryPool>, SynchronousBundleListener {

    static final String LIMIT_PROPERTY_PREFIX = "quiver.bundle.limit.";

    private static final int RUNNING = Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING;

    private final BundleContext context;
    private final Bundle own;
    private final Map<Long, ConsumerPool> views = new ConcurrentHashMap<>();
    private volatile boolean closed;

    BundleViews(BundleContext context) {
        this.context = context;
        this.own = context.getBundle();
    }

    /** Starts attributing: bundle events close views, and the static entry points find them. */
    void open() {
        context.addBundleListener(this);
        Backends.attributeCallers(this::viewFor);
    }

    /**
     * The view of the bundle that loaded {@code caller}; the default pool itself for classes of no bundle, of the
     * framework (the launcher), of this bundle (the API's own helpers), or of a bundle that is not running.
     */
    MemoryPool viewFor(Class<?> caller) {
        Bundle bundle = FrameworkUtil.getBundle(caller);
        if (bundle == null || bundle.getBundleId() == 0 || bundle.equals(own)) {
            return Backends.defaultPool();
        }
        MemoryPool view = views.get(bundle.getBundleId());
        return view != null ? view : open(bundle);
    }

    private MemoryPool open(Bundle bundle) {
        if (closed || (bundle.getState() & RUNNING) == 0) {
            return Backends.defaultPool();
        }
        return views.computeIfAbsent(bundle.getBundleId(), id -> newView(bundle));
    }

    private ConsumerPool newView(Bundle bundle) {
        String bsn = bundle.getSymbolicName() == null ? "bundle-" + bundle.getBundleId() : bundle.getSymbolicName();
        String limit = context.getProperty(LIMIT_PROPERTY_PREFIX + bsn);
        long bytes = -1;
        if (limit != null && !limit.isBlank()) {
            try {
                bytes = Sizes.parse(limit);
            } catch (IllegalArgumentException e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING,
                        LIMIT_PROPERTY_PREFIX + bsn + " ignored: " + e.getMessage());
            }
        }
        return ConsumerPool.open(Backends.defaultPool(), "bundle " + bsn + " [" + bundle.getBundleId() + "]", bsn,
                bytes);
    }

    @Override
    public MemoryPool getService(Bundle bundle, ServiceRegistration<MemoryPool> registration) {
        return views.computeIfAbsent(bundle.getBundleId(), id -> newView(bundle));
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<MemoryPool> registration, MemoryPool service) {
        // The view outlives the service (see the class comment); it is closed when the bundle stops.
    }

    @Override
    public void bundleChanged(BundleEvent event) {
        int type = event.getType();
        if (type == BundleEvent.STOPPED || type == BundleEvent.UNINSTALLED) {
            ConsumerPool view = views.remove(event.getBundle().getBundleId());
            if (view != null) {
                view.close();
            }
        }
    }

    /** Stops attributing and closes every view, reporting what each bundle still holds. Idempotent. */
    void close() {
        closed = true;
        Backends.attributeCallers(null);
        try {
            context.removeBundleListener(this);
        } catch (IllegalStateException stopping) {
            // this bundle's context is already invalid: the framework dropped the listener itself
        }
        for (ConsumerPool view : List.copyOf(views.values())) {
            views.values().remove(view);
            view.close();
        }
    }
}
