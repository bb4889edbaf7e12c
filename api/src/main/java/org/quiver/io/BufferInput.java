package org.quiver.io;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

import org.quiver.internal.kit.Checks;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Reads a {@link Buffer} as a file: Arrow's {@code BufferReader}. Reads into buffers are zero-copy slices.
 *
 * <p>The reader holds a slice of the buffer, so the memory stays alive until the reader is closed (the caller
 * may close its own buffer at once), and closing the reader leaves the caller's buffer untouched. Positional
 * reads are safe from many threads; sequential reads and {@link #seek} use one position and are not.
 *
 * {@snippet :
 * try (BufferInput reader = new BufferInput(Buffer.wrap(bytes));
 *      Buffer header = reader.readBuffer(8)) {              // zero-copy
 *     ...
 * }
 * }
 *
 * @since 1.0
 */
public final class BufferInput extends MemoryFile implements RandomAccessInput {

    private final Buffer buffer;
    private long position;

    /**
     * A reader over {@code source}'s bytes.
     *
     * @throws IllegalStateException if {@code source} is closed
     */
    public BufferInput(Buffer source) {
        super(FileMode.READ, true, false, true);
        Objects.requireNonNull(source, "source");
        this.buffer = source.slice(0, source.size());
    }

    /** A reader over an array, zero-copy. */
    public static BufferInput of(byte[] bytes) {
        try (Buffer b = Buffer.wrap(bytes)) {
            return new BufferInput(b);
        }
    }

    /**
     * A zero-copy slice of the whole buffer being read, owned (and closed) by the caller, like
     * {@link MemoryMappedFile#buffer()}. It stays valid after the reader is closed, whether by the caller or
     * by a decompressing or buffered file over the reader: closing a layer never invalidates what the caller holds.
     *
     * @throws IllegalStateException if the reader is closed
     */
    public Buffer buffer() {
        checkOpen();
        return buffer.slice(0, buffer.size());
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    @Override
    public long size() {
        checkOpen();
        return buffer.size();
    }

    @Override
    public void seek(long newPosition) throws IOException {
        checkOpen();
        Checks.checkSeek(newPosition, buffer.size());
        position = newPosition;
    }

    @Override
    public int read(byte[] dst, int offset, int length) {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        Checks.checkRange(offset, length, dst.length);
        int n = (int) Math.min(length, buffer.size() - position);
        if (n <= 0) {
            return length == 0 ? 0 : -1;
        }
        buffer.get(position, dst, offset, n);
        position += n;
        return n;
    }

    @Override
    public long read(Buffer dst, long offset, long length) {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        Checks.checkRange(offset, length, dst.size());
        long n = Math.min(length, buffer.size() - position);
        if (n <= 0) {
            return length == 0 ? 0 : -1;
        }
        dst.put(offset, buffer, position, n);
        position += n;
        return n;
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) {
        Objects.requireNonNull(pool, "pool");
        checkOpen();
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
        long n = Math.min(length, buffer.size() - position);
        Buffer slice = buffer.slice(position, n);
        position += n;
        return slice;
    }

    private long checkPosition(long at) throws EOFException {
        if (at < 0) {
            throw new IllegalArgumentException("negative position: position=" + at);
        }
        if (at > buffer.size()) {
            throw new EOFException("read beyond the end: position=" + at + " size=" + buffer.size());
        }
        return buffer.size() - at;
    }

    @Override
    public int readAt(long at, byte[] dst, int offset, int length) throws IOException {
        Objects.requireNonNull(dst, "dst");
        checkOpen();
        Checks.checkRange(offset, length, dst.length);
        long available = checkPosition(at);
        int n = (int) Math.min(length, available);
        if (n == 0) {
            return length == 0 ? 0 : -1;
        }
        buffer.get(at, dst, offset, n);
        return n;
    }

    @Override
    public Buffer readBufferAt(long at, long length, MemoryPool pool) throws IOException {
        Objects.requireNonNull(pool, "pool");
        checkOpen();
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
        long available = checkPosition(at);
        return buffer.slice(at, Math.min(length, available));
    }

    @Override
    void release() {
        buffer.close();
    }

    /** {@code BufferInput[size=100, position=3]}, with {@code , closed} once closed. */
    @Override
    public String toString() {
        return describe("size=" + buffer.size() + ", position=" + position);
    }
}
