package org.quiver.io;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.memory.Buffer;

/**
 * A writable file with positions: writes at a given offset without moving the file position (Arrow's
 * {@code WritableFile::WriteAt}).
 *
 * @since 1.0
 */
@ProviderType
public interface RandomAccessOutput extends SequentialOutput {

    /**
     * The size of the file in bytes.
     *
     * @throws IllegalStateException if closed
     */
    long size() throws IOException;

    /**
     * Moves the position.
     *
     * @throws IllegalArgumentException if {@code position} is negative
     * @throws java.io.EOFException     if the file cannot grow and {@code position} is beyond its size
     */
    void seek(long position) throws IOException;

    /**
     * Moves the position {@code offset} bytes from {@code origin} (pyarrow's {@code seek(offset, whence)}) and
     * returns the new position.
     *
     * @throws IllegalArgumentException if the new position would be negative
     * @throws java.io.EOFException     as {@link #seek(long)}
     * @since 1.1
     */
    default long seek(long offset, SeekOrigin origin) throws IOException {
        long target = java.util.Objects.requireNonNull(origin, "origin").resolve(offset,
                origin == SeekOrigin.CURRENT ? tell() : 0, origin == SeekOrigin.END ? size() : 0);
        seek(target);
        return target;
    }

    /**
     * Writes {@code src[offset..offset+length)} at {@code position}, without moving the file position.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws IllegalArgumentException  if {@code position} is negative
     * @throws java.io.EOFException      if the file cannot grow and the write does not fit (nothing is written)
     * @throws ReadOnlyFileException     if the file is open read-only
     */
    void writeAt(long position, byte[] src, int offset, int length) throws IOException;

    /**
     * Writes {@code length} bytes of {@code src} from {@code offset} at {@code position}, without moving the
     * file position.
     *
     * @throws IndexOutOfBoundsException if the range is outside {@code src}
     * @throws ReadOnlyFileException     if the file is open read-only
     */
    void writeAt(long position, Buffer src, long offset, long length) throws IOException;
}
