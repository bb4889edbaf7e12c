package org.quiver.pool.jemalloc.internal;

import java.util.Map;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.quiver.internal.kit.BackendConfiguration;
import org.quiver.memory.spi.Allocator;

/**
 * Inside OSGi: publishes the jemalloc allocator as configured by {@code org.quiver.pool.jemalloc}, and applies
 * every change live ({@link BackendConfiguration}).
 */
@Component(configurationPid = JemallocConfiguration.PID, immediate = true)
@Designate(ocd = JemallocComponent.Config.class)
public final class JemallocComponent {

    /** What consoles show (Metatype). Every setting is optional; a bad value is refused with the reason. */
    @ObjectClassDefinition(id = JemallocConfiguration.PID, name = "Quiver jemalloc pool",
            description = "The jemalloc allocator. A change applies at once; a bad value is refused with the reason"
                    + " (log, quiver:pools) and the running settings stay.")
    @interface Config {
        @AttributeDefinition(name = "Ranking", required = false,
                description = "Service ranking: the best-ranked available backend serves the default pool"
                        + " (built in: 200; mimalloc 300, system 100).")
        int ranking() default JemallocAllocator.RANKING;

        @AttributeDefinition(name = "Library", required = false,
                description = "A jemalloc shared library to use instead of the bundled one. A change makes a new"
                        + " allocator; buffers of the old one stay valid.")
        String library();

        @AttributeDefinition(name = "mmap threshold", required = false,
                description = "Blocks from this size on are mapped by the kernel and grown by mremap (bytes, or"
                        + " 8m; at least one page). A change makes a new allocator.")
        String mmap_threshold() default "8m";

        @AttributeDefinition(name = "Dirty decay (ms)", required = false,
                description = "How long freed dirty pages are kept before they go back to the OS (0: at once,"
                        + " -1: never). Applies live to every arena.")
        long dirty__decay__ms();

        @AttributeDefinition(name = "Muzzy decay (ms)", required = false,
                description = "The same for muzzy pages. Applies live to every arena.")
        long muzzy__decay__ms();
    }

    private final BackendConfiguration configuration;

    @Activate
    public JemallocComponent(BundleContext context, Map<String, Object> properties) {
        configuration = new BackendConfiguration(new JemallocConfiguration(), BackendConfiguration.Publisher.of(
                (allocator, p) -> context.registerService(Allocator.class, allocator, p),
                (registration, p) -> ((ServiceRegistration<?>) registration).setProperties(p),
                registration -> ((ServiceRegistration<?>) registration).unregister()));
        configuration.activate(properties);
    }

    @Modified
    void modified(Map<String, Object> properties) {
        configuration.modify(properties);
    }

    @Deactivate
    void deactivate() {
        configuration.deactivate();
    }
}
