package org.quiver.pool.mimalloc.internal;

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
 * Inside OSGi: publishes the mimalloc allocator as configured by {@code org.quiver.pool.mimalloc}, and applies
 * every change live ({@link BackendConfiguration}).
 */
@Component(configurationPid = MimallocConfiguration.PID, immediate = true)
@Designate(ocd = MimallocComponent.Config.class)
public final class MimallocComponent {

    /** What consoles show (Metatype). Every setting is optional; a bad value is refused with the reason. */
    @ObjectClassDefinition(id = MimallocConfiguration.PID, name = "Quiver mimalloc pool",
            description = "The mimalloc allocator. A change applies at once; a bad value is refused with the reason"
                    + " (log, quiver:pools) and the running settings stay. Any option the library has can be set"
                    + " as option.<name> (quiver:option mimalloc lists them); the common ones are below.")
    @interface Config {
        @AttributeDefinition(name = "Ranking", required = false,
                description = "Service ranking: the best-ranked available backend serves the default pool"
                        + " (built in: 300; jemalloc 200, system 100).")
        int ranking() default MimallocAllocator.RANKING;

        @AttributeDefinition(name = "Library", required = false,
                description = "The mimalloc shared library (default: the operating system's libmimalloc.so.2)."
                        + " A change makes a new allocator; buffers of the old one stay valid.")
        String library();

        @AttributeDefinition(name = "mmap threshold", required = false,
                description = "Blocks from this size on are mapped by the kernel and grown by mremap (bytes, or"
                        + " 8m; at least one page). A change makes a new allocator.")
        String mmap_threshold() default "8m";

        @AttributeDefinition(name = "option.eager_commit", required = false,
                description = "mi_option_eager_commit (1: commit segments at once). Applies live.")
        long option_eager__commit();

        @AttributeDefinition(name = "option.eager_commit_delay", required = false,
                description = "mi_option_eager_commit_delay: segments not committed eagerly at first. Applies live.")
        long option_eager__commit__delay();

        @AttributeDefinition(name = "option.reserve_os_memory", required = false,
                description = "mi_option_reserve_os_memory, in KiB. Applies live (to reservations made afterwards).")
        long option_reserve__os__memory();

        @AttributeDefinition(name = "option.verbose", required = false,
                description = "mi_option_verbose (1: mimalloc prints what it does). Applies live.")
        long option_verbose();
    }

    private final BackendConfiguration configuration;

    @Activate
    public MimallocComponent(BundleContext context, Map<String, Object> properties) {
        configuration = new BackendConfiguration(new MimallocConfiguration(), BackendConfiguration.Publisher.of(
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
