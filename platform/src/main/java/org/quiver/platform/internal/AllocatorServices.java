package org.quiver.platform.internal;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceRegistration;
import org.osgi.framework.wiring.BundleRequirement;
import org.osgi.framework.wiring.BundleRevision;
import org.osgi.framework.wiring.FrameworkWiring;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.Allocator;

/**
 * Inside OSGi: feeds every {@link Allocator} service (with its {@code service.ranking}) into the API's backend
 * registry, and publishes the default pool as a {@link MemoryPool} service while some backend is available.
 * Each bundle that gets the service gets its own view of the default pool ({@link BundleViews}), which also
 * serves the bundle's calls of the static entry points ({@code MemoryPool.defaultPool()} and the like). A known
 * backend without an allocator is listed with its bundle's state ({@link #absenceReason}): stopped, not resolved
 * and what it misses, starting, or active without its allocator.
 *
 * <p>Registered as a service of its own type (not exported, so visible to this bundle only) for the shell
 * commands, which set the bundles' limits through {@link #views()}.
 */
@Component(service = AllocatorServices.class, immediate = true)
public final class AllocatorServices {

    /** Where the allocator bundles of the backends every platform knows are expected. */
    static final String POOL_BUNDLE_PREFIX = "org.quiver.pool.";

    private final Map<Allocator, Object> tokens = new IdentityHashMap<>();
    /** Read without the lock by {@link #absenceReason}, which the backend registry calls under its own lock. */
    private volatile BundleContext context;
    private BundleViews views;
    private ServiceRegistration<MemoryPool> poolRegistration;

    @Activate
    void activate(BundleContext bundleContext) {
        synchronized (tokens) {
            this.context = bundleContext;
            this.views = new BundleViews(bundleContext);
            views.open();
        }
        PlatformHooks.platformRunning(true);
        PlatformHooks.explainAbsence(this::absenceReason);
        publish();
    }

    @Deactivate
    void deactivate() {
        PlatformHooks.explainAbsence(null);
        PlatformHooks.platformRunning(false);
        synchronized (tokens) {
            for (Object token : tokens.values()) {
                PlatformHooks.unregisterAllocator(token);
            }
            tokens.clear();
            context = null;
            if (poolRegistration != null) {
                try {
                    poolRegistration.unregister();
                } catch (IllegalStateException alreadyGone) {
                    // the framework unregistered it while stopping this bundle
                }
                poolRegistration = null;
            }
            if (views != null) {
                views.close();
                views = null;
            }
        }
    }

    /** The bundles' views of the default pool; null while this component is not active. */
    BundleViews views() {
        synchronized (tokens) {
            return views;
        }
    }

    @Reference(service = Allocator.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addAllocator(Allocator allocator, Map<String, Object> properties) {
        synchronized (tokens) {
            tokens.put(allocator, register(allocator, properties));
        }
        publish();
    }

    void updatedAllocator(Allocator allocator, Map<String, Object> properties) {
        synchronized (tokens) {
            Object old = tokens.remove(allocator);
            tokens.put(allocator, register(allocator, properties));
            if (old != null) {
                PlatformHooks.unregisterAllocator(old);
            }
        }
    }

    void removeAllocator(Allocator allocator) {
        synchronized (tokens) {
            Object token = tokens.remove(allocator);
            if (token != null) {
                PlatformHooks.unregisterAllocator(token);
            }
        }
        publish();
    }

    /** Registers with the service's {@code service.ranking}, or the allocator's own ranking without one. */
    private static Object register(Allocator allocator, Map<String, Object> properties) {
        int ranking = properties.get("service.ranking") instanceof Integer r ? r : allocator.ranking();
        return PlatformHooks.registerAllocator(allocator, ranking, "OSGi service from bundle " + properties.get("service.bundleid"));
    }

    /**
     * Why the backend {@code name} has no allocator here, from the state of its bundle
     * ({@code org.quiver.pool.<name>}); null when no such bundle is installed. Reads the framework's state only:
     * the backend registry calls this with its lock held.
     */
    String absenceReason(String name) {
        BundleContext c = context;
        if (c == null) {
            return null;
        }
        String bsn = POOL_BUNDLE_PREFIX + name;
        Bundle bundle = null;
        for (Bundle b : c.getBundles()) {
            if (bsn.equals(b.getSymbolicName()) && (bundle == null || b.getState() > bundle.getState())) {
                bundle = b; // of several versions, the one furthest on its way to active
            }
        }
        if (bundle == null) {
            return null;
        }
        return switch (bundle.getState()) {
            case Bundle.INSTALLED -> "not resolved: bundle " + bsn + " " + unresolvedBecause(c, bundle);
            case Bundle.RESOLVED -> "stopped: bundle " + bsn + " is installed but not started (start " + bsn + ")";
            case Bundle.STARTING -> Constants.ACTIVATION_LAZY.equals(
                    bundle.getHeaders().get(Constants.BUNDLE_ACTIVATIONPOLICY))
                            ? "starting: bundle " + bsn + " waits for its lazy activation (the first class loaded"
                                    + " from it)"
                            : "starting: bundle " + bsn + " is starting";
            case Bundle.STOPPING -> "stopping: bundle " + bsn + " is stopping";
            case Bundle.ACTIVE -> "active without an allocator: bundle " + bsn + " is active but its allocator"
                    + " service is not registered (its Declarative Services component is not satisfied or failed"
                    + " to activate; the log says why)";
            default -> null;
        };
    }

    /** The requirements nothing in the framework provides, or why none is missing. */
    private static String unresolvedBecause(BundleContext c, Bundle bundle) {
        BundleRevision revision = bundle.adapt(BundleRevision.class);
        FrameworkWiring wiring = c.getBundle(Constants.SYSTEM_BUNDLE_ID).adapt(FrameworkWiring.class);
        List<String> missing = new ArrayList<>();
        if (revision != null && wiring != null) {
            for (BundleRequirement r : revision.getDeclaredRequirements(null)) {
                if (!Constants.RESOLUTION_OPTIONAL.equals(r.getDirectives().get(Constants.RESOLUTION_DIRECTIVE))
                        && wiring.findProviders(r).isEmpty()) {
                    String filter = r.getDirectives().get(Constants.FILTER_DIRECTIVE);
                    missing.add(r.getNamespace() + (filter == null ? "" : " " + filter));
                }
            }
        }
        return missing.isEmpty()
                ? "is installed but not resolved (no requirement is missing: it was not resolved yet, or a uses"
                        + " constraint conflicts; start " + bundle.getSymbolicName() + " says why)"
                : "cannot resolve: nothing provides " + String.join(", ", missing);
    }

    /** Registers the MemoryPool service when a backend is available, withdraws it when none is. */
    private void publish() {
        synchronized (tokens) {
            if (context == null) {
                return;
            }
            boolean available = MemoryPool.supportedBackends().stream().anyMatch(MemoryBackend::available);
            if (available && poolRegistration == null) {
                poolRegistration = context.registerService(MemoryPool.class, views, null);
            } else if (!available && poolRegistration != null) {
                poolRegistration.unregister();
                poolRegistration = null;
            }
        }
    }
}
