/**
 * The {@code mimalloc} allocator backend: the operating system's mimalloc ({@code libmimalloc.so.2}) through
 * the FFM API. Needs {@code --enable-native-access=org.quiver.pool.mimalloc}.
 */
module org.quiver.pool.mimalloc {
    requires org.quiver.api;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static osgi.core;

    provides org.quiver.memory.spi.Allocator with org.quiver.pool.mimalloc.internal.MimallocAllocator;
}
