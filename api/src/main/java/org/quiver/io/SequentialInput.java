package org.quiver.io;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.FileStreams;
import org.quiver.internal.memory.Backends;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A readable {@link NativeFile}: Arrow's {@code InputStream}.
 *
 * @since 1.0
 */
@ProviderType
public interface SequentialInput extends NativeFile {

    /**
     * Reads up to {@code length} bytes into {@code dst[offset..]}.
     *
     * @return bytes read, or {@code -1} at the end of the file (never 0 unless {@code length} is 0)
     * @throws IndexOutOfBoundsException if the range is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @throws IOException               if the read fails
     */
    int read(byte[] dst, int offset, int length) throws IOException;

    /**
     * Reads up to {@code length} bytes into {@code dst} at {@code offset} (pyarrow's {@code readinto}).
     *
     * @return bytes read, or {@code -1} at the end of the file
     * @throws UnsupportedOperationException if {@code dst} is read-only
     */
    long read(Buffer dst, long offset, long length) throws IOException;

    /**
     * Reads up to {@code length} bytes into a buffer (pyarrow's {@code read_buffer}): zero-copy where the file
     * is in memory, else allocated from {@code pool}. Shorter only at the end of the file; empty there.
     */
    Buffer readBuffer(long length, MemoryPool pool) throws IOException;

    /** {@link #readBuffer(long, MemoryPool)} with the default pool. */
    default Buffer readBuffer(long length) throws IOException {
        return readBuffer(length, Backends.defaultPoolFor(
                Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /**
     * Reads up to {@code length} bytes into a new array (pyarrow's {@code read(n)}). The array grows with what
     * arrives: a large {@code length} on a short file allocates what the file holds.
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    default byte[] read(int length) throws IOException {
        return FileStreams.readBytes(this, length);
    }

    /**
     * Reads everything to the end of the file into an array (pyarrow's {@code readall()}). All of it is held on
     * the Java heap: for input whose size is not yours to choose (a download, a decompressed stream, which may be
     * a "zip bomb") use {@link #readAll(int)} with a limit, and read big data into pool buffers
     * ({@link #readBuffer(long, MemoryPool)}, off the heap) or stream it ({@link #asInputStream()}).
     *
     * @throws IOException if the file holds more than a byte array can (2^31 - 9 bytes); a file that knows its
     *                     size fails so before reading anything
     */
    default byte[] readAll() throws IOException {
        return FileStreams.readAll(this);
    }

    /**
     * Reads everything to the end of the file into an array, or fails once more than {@code maxBytes} bytes have
     * come: the bounded form of {@link #readAll()}. The array grows with what arrives and never past
     * {@code maxBytes}, so a stream far larger than the heap ends with this exception, not an
     * {@link OutOfMemoryError}.
     *
     * {@snippet :
     * try (SequentialInput in = NativeFiles.openInput("upload.json.gz")) {
     *     byte[] json = in.readAll(16 << 20);                   // at most 16 MiB, whatever the file says
     * }
     * }
     *
     * @param maxBytes the most bytes to return (at most 2^31 - 9 take effect: a byte array holds no more)
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     * @throws IOException              if the file holds more than {@code maxBytes} bytes (the message names the
     *                                  limit); the bytes read up to then are consumed
     * @since 1.0
     */
    default byte[] readAll(int maxBytes) throws IOException {
        return FileStreams.readAll(this, maxBytes);
    }

    /**
     * The stream's key-value metadata: pyarrow's {@code metadata()}, C++'s {@code InputStream::ReadMetadata}. What
     * the back end knows of the file, asked at the call, in a stable order:
     * <ul>
     * <li>local files and memory maps: {@code size}, {@code mtime}, {@code atime} (ISO-8601 instants),
     *     {@code owner}, {@code group}, {@code permissions} ({@code rw-r--r--}), and {@code content_type} where the
     *     system's MIME table knows the file's extension;</li>
     * <li>HDFS: the same from the file status, and {@code replication}, {@code block_size},
     *     {@code erasure_coded}, {@code encrypted}.</li>
     * </ul>
     * A stream over another file (compressed, buffered, a range of a file, transcoding) gives that file's metadata,
     * as Arrow's streams do. Files that carry none (in-memory files, wrapped Java streams and channels) give an
     * empty map. Unmodifiable.
     *
     * @throws IllegalStateException if closed
     * @throws IOException           if the back end cannot be asked (the message names the file)
     * @since 1.1
     */
    default Map<String, String> metadata() throws IOException {
        if (isClosed()) {
            throw new IllegalStateException("closed");
        }
        return Map.of();
    }

    /**
     * This file as a {@link java.io.InputStream}; closing the stream closes the file.
     */
    default InputStream asInputStream() {
        return FileStreams.inputStream(this);
    }
}
