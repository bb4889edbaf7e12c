package org.quiver.internal.osgi;

import java.util.IdentityHashMap;
import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.quiver.internal.memory.Backends;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.Allocator;

/**
 * Inside OSGi: feeds every {@link Allocator} service (with its {@code service.ranking}) into the backend
 * registry, and publishes the default pool as a {@link MemoryPool} service while some backend is available.
 * Each bundle that gets the service gets its own view of the default pool ({@link BundleViews}), which also
 * serves the bundle's calls of the static entry points ({@code MemoryPool.defaultPool()} and the like).
 */
@Component(immediate = true)
public final class AllocatorServices {

    private final Map<Allocator, Object> tokens = new IdentityHashMap<>();
    private BundleContext context;
    private BundleViews views;
    private ServiceRegistration<MemoryPool> poolRegistration;

    @Activate
    void activate(BundleContext bundleContext) {
        synchronized (tokens) {
            this.context = bundleContext;
            this.views = new BundleViews(bundleContext);
            views.open();
        }
        publish();
    }

    @Deactivate
    void deactivate() {
        synchronized (tokens) {
            for (Object token : tokens.values()) {
                Backends.unregister(token);
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
                Backends.unregister(old);
            }
        }
    }

    void removeAllocator(Allocator allocator) {
        synchronized (tokens) {
            Object token = tokens.remove(allocator);
            if (token != null) {
                Backends.unregister(token);
            }
        }
        publish();
    }

    /** Registers with the service's {@code service.ranking}, or the allocator's own ranking without one. */
    private static Object register(Allocator allocator, Map<String, Object> properties) {
        int ranking = properties.get("service.ranking") instanceof Integer r ? r : allocator.ranking();
        return Backends.register(allocator, ranking, "OSGi service from bundle " + properties.get("service.bundleid"));
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
