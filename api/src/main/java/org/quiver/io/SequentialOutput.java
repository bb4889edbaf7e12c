package org.quiver.io;

import java.io.IOException;
import java.io.OutputStream;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.FileStreams;
import org.quiver.memory.Buffer;

/**
 * A writable {@link NativeFile}: Arrow's {@code OutputStream}.
 *
 * @since 1.0
 */
@ProviderType
public interface SequentialOutput extends NativeFile {

    /**
     * Writes {@code src[offset..offset+length)}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalStateException     if closed
     * @throws IOException               if the write fails (a fixed-size target is full, the disk is full...)
     */
    void write(byte[] src, int offset, int length) throws IOException;

    /** Writes all of {@code src}. */
    default void write(byte[] src) throws IOException {
        write(java.util.Objects.requireNonNull(src, "src"), 0, src.length);
    }

    /**
     * Writes {@code length} bytes of {@code src} from {@code offset}.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     */
    void write(Buffer src, long offset, long length) throws IOException;

    /** Writes all of {@code src}. */
    default void write(Buffer src) throws IOException {
        write(java.util.Objects.requireNonNull(src, "src"), 0, src.size());
    }

    /** Pushes buffered bytes to the underlying target. */
    void flush() throws IOException;

    /** This file as a {@link java.io.OutputStream}; closing the stream closes the file. */
    default OutputStream asOutputStream() {
        return FileStreams.outputStream(this);
    }
}
