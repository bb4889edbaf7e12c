package org.quiver.io;

import java.io.Closeable;
import java.io.IOException;

import java.nio.channels.SeekableByteChannel;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.FileChannels;

/**
 * A file-like object: the base of Arrow's {@code NativeFile} family.
 *
 * <p>A file is readable ({@link SequentialInput}), writable ({@link SequentialOutput}) or both, and may be seekable
 * ({@link RandomAccessInput}, {@link FixedSizeBufferOutput}). {@link #close()} is idempotent; every other
 * operation on a closed file throws {@link IllegalStateException} with the message {@code "closed"}: the
 * properties ({@link #mode()}, {@link #isReadable()}, {@link #isWritable()}, {@link #isSeekable()}, a path or a
 * size) as much as reads, writes and {@link #tell()}, so that a closed file never answers as if it could still
 * be used. Only {@link #isClosed()} and {@code toString()} answer after close.
 *
 * <p>Compared with {@link java.io.InputStream} and {@link java.io.OutputStream}: one type family for every
 * source, 64-bit positions, reads into and out of {@link org.quiver.memory.Buffer}s (zero-copy where the
 * source allows), and positional reads that are safe from many threads.
 *
 * @since 1.0
 */
@ProviderType
public interface NativeFile extends Closeable {

    /**
     * How the file was opened.
     *
     * @throws IllegalStateException if closed
     */
    FileMode mode();

    /** Whether the file is closed; answers also after close. */
    boolean isClosed();

    /**
     * Whether it can be read.
     *
     * @throws IllegalStateException if closed
     */
    boolean isReadable();

    /**
     * Whether it can be written.
     *
     * @throws IllegalStateException if closed
     */
    boolean isWritable();

    /**
     * Whether it supports {@code seek}.
     *
     * @throws IllegalStateException if closed
     */
    boolean isSeekable();

    /**
     * The current position.
     *
     * @throws IllegalStateException if closed
     * @throws IOException           if the position cannot be read
     */
    long tell() throws IOException;

    /**
     * This file as an NIO channel; closing the channel closes the file. Reads work when the file is
     * readable, writes when it is writable, {@code position(long)} and {@code size()} when it is seekable
     * (else they throw {@link UnsupportedOperationException}); {@code truncate} is not supported. Direct byte
     * buffers are read and written without an extra copy.
     *
     * @since 1.0
     */
    default SeekableByteChannel asChannel() {
        return FileChannels.channel(this);
    }

    /** Closes the file; does nothing if it is already closed. */
    @Override
    void close() throws IOException;
}
