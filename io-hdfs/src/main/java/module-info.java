/**
 * The HDFS backend: the {@code hdfs:} file system on the Hadoop 3.5 Java client (no libhdfs, no JNI). On the
 * module path it needs {@code hadoop-client-api} and {@code hadoop-client-runtime} 3.5.0 as automatic modules.
 */
module org.quiver.io.hdfs {
    requires org.quiver.api;
    requires hadoop.client.api;
    requires java.logging;
    requires static osgi.annotation;
    requires static org.osgi.service.component.annotations;

    provides org.quiver.io.spi.QuiverFileSystemProvider with org.quiver.io.hdfs.internal.HdfsFileSystemProvider;
}
