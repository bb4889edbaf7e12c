/**
 * Native files: Arrow's {@code NativeFile} family (input, output and random-access files), the in-memory files
 * over {@link org.quiver.memory.Buffer}s, OS files and memory maps, buffered and compressed streams, the
 * {@code openInput}/{@code openOutput} helpers ({@link org.quiver.io.NativeFiles}), and file systems chosen
 * by URI scheme ({@link org.quiver.io.QuiverFileSystem}).
 *
 * <p>Everything beyond the in-memory files is implemented by an IO provider bundle or module
 * ({@code org.quiver.io.nativeio} for local files and codecs, {@code org.quiver.io.hdfs} for HDFS), found
 * through the OSGi service registry or {@link java.util.ServiceLoader}.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.quiver.io;
