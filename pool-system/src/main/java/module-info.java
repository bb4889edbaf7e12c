/**
 * The {@code system} allocator backend: libc through the FFM API. Needs
 * {@code --enable-native-access=org.quiver.pool.system}.
 */
module org.quiver.pool.system {
    requires org.quiver.api;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static osgi.core;

    provides org.quiver.memory.spi.Allocator with org.quiver.pool.system.internal.SystemAllocator;
}
