/**
 * Quiver's API: memory pools, buffers, the allocator SPI, native files, file systems and the IO SPI.
 *
 * <p>Allocator backends are found through {@link java.util.ServiceLoader} on the module path and class path;
 * inside an OSGi framework the platform bundle ({@code org.quiver.platform}) feeds them from the service
 * registry. This module has no OSGi dependency of its own. This module calls restricted FFM methods
 * (it views native memory as segments), so run it with {@code --enable-native-access=org.quiver.api}.
 */
module org.quiver.api {
    exports org.quiver.memory;
    exports org.quiver.memory.spi;
    exports org.quiver.io;
    exports org.quiver.io.spi;
    // The kit the providers share (checks, libc, native libraries, the provider registry): not API.
    exports org.quiver.internal.kit to org.quiver.pool.system, org.quiver.pool.jemalloc, org.quiver.pool.mimalloc,
            org.quiver.io.nativeio, org.quiver.io.hdfs, org.quiver.platform;
    // What the platform bundle plugs into the runtime (service bridges, per-bundle views, reports): not API.
    exports org.quiver.internal.hooks to org.quiver.platform;

    uses org.quiver.memory.spi.Allocator;
    uses org.quiver.io.spi.NativeIo;
    uses org.quiver.io.spi.QuiverFileSystemProvider;
    // The platform module's JMX registration at start (system property quiver.jmx), outside a framework.
    uses org.quiver.internal.hooks.StartupExtension;

    // Downcalls reads the JVM's UseAVX (HotSpotDiagnosticMXBean) to choose critical or ordinary short calls.
    requires static java.management;
    // The org.quiver.* Flight Recorder events, when the runtime has JFR (Telemetry looks before it loads them).
    requires static jdk.jfr;
    requires static osgi.annotation;
}
