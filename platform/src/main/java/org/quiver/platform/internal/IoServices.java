package org.quiver.platform.internal;

import java.util.IdentityHashMap;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.io.spi.QuiverFileSystemProvider;
import org.quiver.io.spi.NativeIo;

/**
 * Inside OSGi: feeds every {@link NativeIo} and {@link QuiverFileSystemProvider} service, with its
 * {@code service.ranking}, into the IO registry, and takes it out when the service goes.
 */
@Component(immediate = true)
public final class IoServices {

    private final Map<Object, Object> tokens = new IdentityHashMap<>();

    @Deactivate
    void deactivate() {
        synchronized (tokens) {
            tokens.values().forEach(PlatformHooks::unregisterIo);
            tokens.clear();
        }
    }

    @Reference(service = NativeIo.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addNativeIo(NativeIo io, Map<String, Object> properties) {
        synchronized (tokens) {
            tokens.put(io, PlatformHooks.registerIo(io, ranking(properties, io.ranking()), source(properties)));
        }
    }

    void removeNativeIo(NativeIo io) {
        remove(io);
    }

    @Reference(service = QuiverFileSystemProvider.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void addFileSystemProvider(QuiverFileSystemProvider provider, Map<String, Object> properties) {
        synchronized (tokens) {
            tokens.put(provider,
                    PlatformHooks.registerIo(provider, ranking(properties, provider.ranking()), source(properties)));
        }
    }

    void removeFileSystemProvider(QuiverFileSystemProvider provider) {
        remove(provider);
    }

    private void remove(Object service) {
        synchronized (tokens) {
            Object token = tokens.remove(service);
            if (token != null) {
                PlatformHooks.unregisterIo(token);
            }
        }
    }

    private static int ranking(Map<String, Object> properties, int own) {
        return properties.get("service.ranking") instanceof Integer r ? r : own;
    }

    private static String source(Map<String, Object> properties) {
        return "OSGi service from bundle " + properties.get("service.bundleid");
    }
}
