package org.quiver.pool.system.internal;

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
 * Inside OSGi: publishes the system allocator as configured by {@code org.quiver.pool.system}, and applies
 * every change live ({@link BackendConfiguration}).
 */
@Component(configurationPid = SystemConfiguration.PID, immediate = true)
@Designate(ocd = SystemComponent.Config.class)
public final class SystemComponent {

    /** What consoles show (Metatype). Every setting is optional; a bad value is refused with the reason. */
    @ObjectClassDefinition(id = SystemConfiguration.PID, name = "Quiver system pool",
            description = "The C library's allocator. A change applies at once; a bad value is refused with the"
                    + " reason (log, quiver:pools) and the running settings stay.")
    @interface Config {
        @AttributeDefinition(name = "Ranking", required = false,
                description = "Service ranking: the best-ranked available backend serves the default pool"
                        + " (built in: 100; jemalloc 200, mimalloc 300).")
        int ranking() default SystemAllocator.RANKING;

        @AttributeDefinition(name = "mmap threshold", required = false,
                description = "Blocks from this size on are mapped with mmap and grown by mremap (bytes, or 1m;"
                        + " at least one page). A change makes a new allocator; buffers of the old one stay valid.")
        String mmap_threshold() default "1m";
    }

    private final BackendConfiguration configuration;

    @Activate
    public SystemComponent(BundleContext context, Map<String, Object> properties) {
        configuration = new BackendConfiguration(new SystemConfiguration(), BackendConfiguration.Publisher.of(
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
