package org.quiver.memory;

import org.quiver.internal.memory.Backends;
import java.util.Objects;

import org.quiver.internal.kit.Checks;

/**
 * Appends bytes into a growing pool buffer: Arrow's {@code BufferBuilder}. Growth doubles the capacity, so
 * appending costs amortised constant time; {@link #finish()} hands the buffer over and leaves the builder
 * empty and ready for reuse. Not thread safe.
 *
 * <p>It is also the typed builder for bytes (Arrow's {@code TypedBufferBuilder<int8_t>} and {@code <uint8_t>}):
 * its length counts bytes, {@link #appendByte} and {@link #append(byte[])} append them and {@link #getByte}
 * reads one back. The other types have their own builders ({@link ShortBufferBuilder}, {@link IntBufferBuilder},
 * {@link LongBufferBuilder}, {@link FloatBufferBuilder}, {@link DoubleBufferBuilder}, {@link BooleanBufferBuilder}).
 *
 * {@snippet :
 * try (BufferBuilder builder = new BufferBuilder(pool)) {
 *     builder.append(header);
 *     builder.appendLong(rowCount);
 *     try (Buffer result = builder.finish()) { ... }
 * }
 * }
 *
 * @since 1.0
 */
public final class BufferBuilder implements AutoCloseable {

    private final MemoryPool pool;
    private ResizableBuffer buffer;
    private long length;

    /** A builder on the default pool. */
    public BufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public BufferBuilder(MemoryPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
    }

    /** Bytes appended so far. */
    public long length() {
        return length;
    }

    /** Bytes that fit before the next growth. */
    public long capacity() {
        return buffer == null ? 0 : buffer.size();
    }

    /**
     * Makes room for {@code additional} more bytes.
     *
     * @throws IllegalArgumentException if negative
     */
    public BufferBuilder reserve(long additional) {
        Checks.checkSize(additional);
        long needed = length + additional;
        if (needed < 0) {
            throw new OutOfMemoryException("builder too large: length=" + length + " additional=" + additional);
        }
        if (buffer == null) {
            buffer = pool.allocate(Math.max(needed, 64));
        } else if (needed > buffer.size()) {
            buffer.resize(Math.max(needed, buffer.size() * 2), false);
        }
        return this;
    }

    /** Appends {@code bytes[offset..offset+count)}. */
    public BufferBuilder append(byte[] bytes, int offset, int count) {
        Objects.requireNonNull(bytes, "bytes");
        Checks.checkRange(offset, count, bytes.length);
        reserve(count);
        buffer.put(length, bytes, offset, count);
        length += count;
        return this;
    }

    /** Appends all of {@code bytes}. */
    public BufferBuilder append(byte[] bytes) {
        Objects.requireNonNull(bytes, "bytes");
        return append(bytes, 0, bytes.length);
    }

    /** Appends the bytes of {@code source}. */
    public BufferBuilder append(Buffer source) {
        Objects.requireNonNull(source, "source");
        long n = source.size();
        reserve(n);
        buffer.put(length, source, 0, n);
        length += n;
        return this;
    }

    /** Appends one byte. */
    public BufferBuilder appendByte(byte value) {
        reserve(1);
        buffer.setByte(length++, value);
        return this;
    }

    /**
     * Appends a little-endian short.
     *
     * @since 1.0
     */
    public BufferBuilder appendShort(short value) {
        reserve(2);
        buffer.setShort(length, value);
        length += 2;
        return this;
    }

    /** Appends a little-endian int. */
    public BufferBuilder appendInt(int value) {
        reserve(4);
        buffer.setInt(length, value);
        length += 4;
        return this;
    }

    /** Appends a little-endian long. */
    public BufferBuilder appendLong(long value) {
        reserve(8);
        buffer.setLong(length, value);
        length += 8;
        return this;
    }

    /**
     * Appends a little-endian float.
     *
     * @since 1.0
     */
    public BufferBuilder appendFloat(float value) {
        reserve(4);
        buffer.setFloat(length, value);
        length += 4;
        return this;
    }

    /** Appends a little-endian double. */
    public BufferBuilder appendDouble(double value) {
        reserve(8);
        buffer.setDouble(length, value);
        length += 8;
        return this;
    }

    /** Appends {@code count} copies of {@code value}. */
    public BufferBuilder appendRepeated(byte value, long count) {
        reserve(count);
        for (long i = 0; i < count; i++) {
            buffer.setByte(length + i, value);
        }
        length += count;
        return this;
    }

    /** The byte at {@code index} (below {@link #length()}). */
    public byte getByte(long index) {
        Checks.checkIndex(index, 1, length);
        return buffer.getByte(index);
    }

    /** The buffer being built, for reading and overwriting what was appended (valid until the next append). */
    ResizableBuffer current() {
        return buffer;
    }

    /**
     * Hands over the bytes appended, trimmed to their length (capacity shrunk to fit when asked), and empties
     * the builder. The caller closes the result.
     */
    public ResizableBuffer finish(boolean shrinkToFit) {
        ResizableBuffer result = buffer == null ? pool.allocate(0) : buffer;
        buffer = null;
        result.resize(length, shrinkToFit);
        length = 0;
        return result;
    }

    /** {@link #finish(boolean) finish(true)}. */
    public ResizableBuffer finish() {
        return finish(true);
    }

    /** Discards everything appended and frees the memory; the builder stays usable. */
    public void reset() {
        if (buffer != null) {
            buffer.close();
            buffer = null;
        }
        length = 0;
    }

    /** Same as {@link #reset()}. */
    @Override
    public void close() {
        reset();
    }
}
