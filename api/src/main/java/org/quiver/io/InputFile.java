package org.quiver.io;

import java.io.IOException;
import java.io.InputStream;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.FileStreams;
import org.quiver.internal.memory.Backends;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A readable {@link NativeFile}: Arrow's {@code InputStream}.
 *
 * @since 0.1
 */
@ProviderType
public interface InputFile extends NativeFile {

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
     * Reads up to {@code length} bytes into a new array (pyarrow's {@code read(n)}).
     *
     * @throws IllegalArgumentException if {@code length} is negative
     */
    default byte[] read(int length) throws IOException {
        return FileStreams.readBytes(this, length);
    }

    /** Reads everything to the end of the file into an array (pyarrow's {@code readall()}). */
    default byte[] readAll() throws IOException {
        return FileStreams.readAll(this);
    }

    /**
     * This file as a {@link java.io.InputStream}; closing the stream closes the file.
     */
    default InputStream asInputStream() {
        return FileStreams.inputStream(this);
    }
}
