/**
 * Quiver's API: memory pools, buffers, the allocator SPI and native files.
 *
 * <p>Allocator backends are found through {@link java.util.ServiceLoader} on the module path and class path,
 * and through the OSGi service registry inside a framework. This module calls restricted FFM methods
 * (it views native memory as segments), so run it with {@code --enable-native-access=org.quiver.api}.
 */
module org.quiver.api {
    exports org.quiver.memory;
    exports org.quiver.memory.spi;
    exports org.quiver.io;

    uses org.quiver.memory.spi.Allocator;

    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;
    requires static osgi.core;
    requires static org.apache.felix.gogo.runtime;
}
