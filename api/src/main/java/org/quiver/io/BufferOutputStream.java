package org.quiver.io;

import java.util.Objects;

import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.Checks;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Writes into a growing pool buffer: Arrow's {@code BufferOutputStream}. {@link #finish()} hands the buffer
 * over (pyarrow's {@code getvalue()}); closing without finishing frees it.
 *
 * <p>Compared with {@link java.io.ByteArrayOutputStream}: off-heap, 64-bit, no copy on finish, and growth
 * through the allocator's reallocate (in place where it can).
 *
 * {@snippet :
 * try (BufferOutputStream out = new BufferOutputStream()) {
 *     out.write(header);
 *     out.write(body);
 *     try (Buffer result = out.finish()) { ... }
 * }
 * }
 *
 * @since 0.1
 */
public final class BufferOutputStream extends MemoryFile implements OutputFile {

    private static final long INITIAL_CAPACITY = 4096;

    private ResizableBuffer buffer;
    private long position;
    private long capacity;

    /** A stream on the default pool. */
    public BufferOutputStream() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A stream whose buffer comes from {@code pool}. */
    public BufferOutputStream(MemoryPool pool) {
        this(pool, INITIAL_CAPACITY);
    }

    /**
     * A stream whose buffer comes from {@code pool}, starting with {@code initialCapacity} bytes.
     *
     * @throws IllegalArgumentException if {@code initialCapacity} is negative
     */
    public BufferOutputStream(MemoryPool pool, long initialCapacity) {
        super(FileMode.WRITE, false, true, false);
        Objects.requireNonNull(pool, "pool");
        Checks.checkSize(initialCapacity);
        this.buffer = pool.allocate(initialCapacity);
        this.capacity = buffer.size();
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** The capacity of the buffer being written. */
    public long capacity() {
        checkOpen();
        return capacity;
    }

    private void ensure(long more) {
        long needed = position + more;
        if (needed < 0) {
            throw new IllegalStateException("stream too large: position=" + position + " write=" + more);
        }
        if (needed > capacity) {
            long grown = Math.max(needed, capacity < (1L << 62) ? capacity * 2 : needed);
            buffer.resize(grown, false);
            capacity = grown;
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.length);
        ensure(length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.size());
        ensure(length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    @Override
    public void flush() {
        checkOpen();
    }

    /**
     * Closes the stream and returns what was written, without copying. The caller owns (and closes) it.
     *
     * @throws IllegalStateException if already closed or finished
     */
    public ResizableBuffer finish() {
        checkOpen();
        markClosed();
        ResizableBuffer result = buffer;
        buffer = null;
        result.resize(position, false);
        return result;
    }

    @Override
    void release() {
        buffer.close();
        buffer = null;
    }
}
