package org.quiver.io;

import java.io.EOFException;
import java.io.IOException;
import java.util.Map;
import java.util.Objects;

import org.quiver.internal.kit.Checks;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A stream over {@code [start, start + length)} of a random-access file ({@link RandomAccessInput#openRange}):
 * positional reads of the file, so its own position, never the file's, and zero-copy buffers where the file's
 * are. Closing it leaves the file open.
 */
final class RangeInput extends ReadStream {

    private final RandomAccessInput file;
    private final long start;
    private final long length;
    private long position;

    RangeInput(RandomAccessInput file, long start, long length) throws IOException {
        this.file = Objects.requireNonNull(file, "file");
        if (start < 0 || length < 0) {
            throw new IllegalArgumentException("negative range: offset=" + start + " length=" + length);
        }
        long size = file.size();
        if (start > size || length > size - start) {
            throw new EOFException(file + ": range beyond the end of the file: offset=" + start + " length="
                    + length + " size=" + size);
        }
        this.start = start;
        this.length = length;
    }

    /** Bytes read so far: the position within the range. */
    @Override
    public long tell() {
        state.checkOpen();
        return position;
    }

    @Override
    public int read(byte[] dst, int offset, int count) throws IOException {
        Objects.requireNonNull(dst, "dst");
        state.checkOpen();
        Checks.checkRange(offset, count, dst.length);
        int n = (int) Math.min(count, length - position);
        if (n <= 0) {
            return count == 0 ? 0 : -1;
        }
        int got = file.readAt(start + position, dst, offset, n);
        if (got > 0) {
            position += got;
        }
        return got;
    }

    @Override
    public long read(Buffer dst, long offset, long count) throws IOException {
        Objects.requireNonNull(dst, "dst");
        state.checkOpen();
        Checks.checkRange(offset, count, dst.size());
        long n = Math.min(count, length - position);
        if (n <= 0) {
            return count == 0 ? 0 : -1;
        }
        try (Buffer b = file.readBufferAt(start + position, n, MemoryPool.defaultPool())) {
            if (b.size() == 0) {
                return -1;
            }
            dst.put(offset, b, 0, b.size());
            position += b.size();
            return b.size();
        }
    }

    @Override
    public Buffer readBuffer(long count, MemoryPool pool) throws IOException {
        Objects.requireNonNull(pool, "pool");
        state.checkOpen();
        if (count < 0) {
            throw new IllegalArgumentException("negative length: length=" + count);
        }
        Buffer b = file.readBufferAt(start + position, Math.min(count, length - position), pool);
        position += b.size();
        return b;
    }

    /** Closes the stream; the file stays open. */
    @Override
    public void close() {
        state.close();
    }

    @Override
    public String toString() {
        return state.describe("RangeInput", "file=" + file + ", offset=" + start + ", length=" + length
                + ", position=" + position);
    }

    /** The metadata of the file this stream reads. */
    @Override
    public Map<String, String> metadata() throws IOException {
        state.checkOpen();
        return file.metadata();
    }
}
