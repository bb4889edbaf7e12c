/**
 * The {@code jemalloc} allocator backend: jemalloc through the FFM API, with LWJGL's dynamic-TLS builds inside.
 * Needs {@code --enable-native-access=org.quiver.pool.jemalloc}.
 */
module org.quiver.pool.jemalloc {
    requires org.quiver.api;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static osgi.core;

    provides org.quiver.memory.spi.Allocator with org.quiver.pool.jemalloc.internal.JemallocAllocator;
}
