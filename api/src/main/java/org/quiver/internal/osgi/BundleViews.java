package org.quiver.internal.osgi;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceFactory;
import org.osgi.framework.ServiceRegistration;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.memory.MemoryPool;

/**
 * The {@link MemoryPool} service as each bundle sees it: a view of the default pool whose counters are that
 * bundle's share, capped by {@code quiver.bundle.limit.<symbolic name>} (a framework or system property, or
 * the {@code quiver:limit} command). When the bundle stops (or releases the service) with live buffers, the
 * leak is reported with its name.
 */
final class BundleViews implements ServiceFactory<MemoryPool> {

    static final String LIMIT_PROPERTY_PREFIX = "quiver.bundle.limit.";

    private final BundleContext context;

    BundleViews(BundleContext context) {
        this.context = context;
    }

    @Override
    public MemoryPool getService(Bundle bundle, ServiceRegistration<MemoryPool> registration) {
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
        return ConsumerPool.open(MemoryPool.defaultPool(), "bundle " + bsn + " [" + bundle.getBundleId() + "]", bsn,
                bytes);
    }

    @Override
    public void ungetService(Bundle bundle, ServiceRegistration<MemoryPool> registration, MemoryPool service) {
        ((ConsumerPool) service).close();
    }
}
