/**
 * The local IO backend: OS files and memory maps through the FFM API, buffered and compressed streams (gzip,
 * zstd, lz4, bz2, brotli, snappy), Java stream and channel wrappers, and the {@code file:} file system. Needs
 * {@code --enable-native-access=org.quiver.io.nativeio}.
 */
module org.quiver.io.nativeio {
    requires org.quiver.api;
    requires com.github.luben.zstd_jni;
    requires org.lz4.java;
    requires org.apache.commons.compress;
    requires com.aayushatharva.brotli4j;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;

    provides org.quiver.io.spi.NativeIo with org.quiver.io.nativeio.internal.NativeIoProvider;
    provides org.quiver.io.spi.QuiverFileSystemProvider with org.quiver.io.nativeio.internal.LocalFileSystemProvider;
}
