package org.quiver.io;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Backends;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A readable, seekable file of known size: Arrow's {@code RandomAccessFile}.
 *
 * <p>The positional reads ({@code readAt}) neither use nor move the file position and are safe to call from
 * many threads at once, also while another thread reads sequentially.
 *
 * @since 1.0
 */
@ProviderType
public interface RandomAccessInput extends SequentialInput {

    /**
     * The size of the file in bytes.
     *
     * @throws IllegalStateException if closed
     */
    long size() throws IOException;

    /**
     * Moves the position. Past the end, files differ as in pyarrow: OS files and wrapped channels accept any
     * position (a read there finds the end, as POSIX); memory maps, in-memory files and HDFS refuse it.
     *
     * @throws IllegalArgumentException if {@code position} is negative
     * @throws java.io.EOFException     if {@code position} is beyond the size of a file that refuses it (the
     *                                  message gives the size)
     */
    void seek(long position) throws IOException;

    /**
     * Moves the position {@code offset} bytes from {@code origin} (pyarrow's {@code seek(offset, whence)}) and
     * returns the new position: {@code seek(-4, SeekOrigin.END)} is 4 bytes before the end.
     *
     * @throws IllegalArgumentException if the new position would be negative
     * @throws java.io.EOFException     as {@link #seek(long)}, if it is beyond the size of a file that refuses it
     * @since 1.1
     */
    default long seek(long offset, SeekOrigin origin) throws IOException {
        long target = java.util.Objects.requireNonNull(origin, "origin").resolve(offset,
                origin == SeekOrigin.CURRENT ? tell() : 0, origin == SeekOrigin.END ? size() : 0);
        seek(target);
        return target;
    }

    /**
     * A stream over {@code length} bytes of this file from {@code offset}: pyarrow's {@code get_stream(offset,
     * nbytes)}, C++'s {@code RandomAccessFile::GetStream}. It has its own position (from 0), reads only within the
     * range (then ends), is not seekable, and reads buffers zero-copy where this file does (memory maps). Its reads
     * are this file's positional reads, so it neither uses nor moves this file's position, and several streams may
     * read one file from several threads. Closing it leaves this file open; closing this file ends it.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative
     * @throws java.io.EOFException     if the range goes beyond the end of the file (the message gives the size)
     * @throws IllegalStateException    if this file is closed
     * @since 1.1
     */
    default SequentialInput openRange(long offset, long length) throws IOException {
        return new RangeInput(this, offset, length);
    }

    /**
     * Reads up to {@code length} bytes at {@code position} into {@code dst[offset..]}.
     *
     * @return bytes read, {@code -1} when {@code position} is the size (or past it, on files that accept
     *         positions past the end: see {@link #seek(long)})
     * @throws java.io.EOFException if {@code position} is beyond the size of a file that refuses it
     */
    int readAt(long position, byte[] dst, int offset, int length) throws IOException;

    /**
     * Reads up to {@code length} bytes at {@code position} into a buffer: zero-copy where the file is in memory,
     * else allocated from {@code pool} (pyarrow's {@code read_at}). Shorter only at the end of the file (and
     * empty past it, on files that accept positions past the end: see {@link #seek(long)}).
     *
     * @throws java.io.EOFException if {@code position} is beyond the size of a file that refuses it
     */
    Buffer readBufferAt(long position, long length, MemoryPool pool) throws IOException;

    /** {@link #readBufferAt(long, long, MemoryPool)} with the default pool. */
    default Buffer readBufferAt(long position, long length) throws IOException {
        return readBufferAt(position, length, Backends.defaultPoolFor(
                Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /**
     * Hints that {@code [position, position + length)} will be read soon, so that the source can fetch it
     * ahead (Arrow's {@code WillNeed}: {@code posix_fadvise} on OS files, {@code madvise} on memory maps).
     * A hint only: files that cannot use it ignore it.
     *
     * @throws IllegalArgumentException if {@code position} or {@code length} is negative
     * @throws IllegalStateException    if closed
     * @since 1.0
     */
    default void willNeed(long position, long length) throws IOException {
        if ((position | length) < 0) {
            throw new IllegalArgumentException("negative range: position=" + position + " length=" + length);
        }
        if (isClosed()) {
            throw new IllegalStateException("closed");
        }
    }
}
