package org.quiver.memory;

/**
 * Appends long values (little endian, 8 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<long>}. Not thread safe.
 *
 * @since 0.1
 */
public final class LongBufferBuilder implements AutoCloseable {

    private final BufferBuilder bytes;

    /** A builder on the default pool. */
    public LongBufferBuilder() {
        this(MemoryPool.defaultPool());
    }

    /** A builder whose buffer comes from {@code pool}. */
    public LongBufferBuilder(MemoryPool pool) {
        this.bytes = new BufferBuilder(pool);
    }

    /** Values appended so far. */
    public long length() {
        return bytes.length() / 8;
    }

    /** Makes room for {@code additional} more values. */
    public LongBufferBuilder reserve(long additional) {
        org.quiver.internal.memory.Checks.checkSize(additional);
        bytes.reserve(Math.multiplyExact(additional, 8L));
        return this;
    }

    /** Appends one value. */
    public LongBufferBuilder append(long value) {
        bytes.appendLong(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public LongBufferBuilder append(long... values) {
        reserve(values.length);
        for (long v : values) {
            bytes.appendLong(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public long get(long index) {
        org.quiver.internal.memory.Checks.checkIndex(index, 1, length());
        return bytes.current().getLong(index * 8);
    }

    /** Hands over the values appended (capacity shrunk to fit) and empties the builder. */
    public ResizableBuffer finish() {
        return bytes.finish(true);
    }

    /** Discards everything appended and frees the memory. */
    public void reset() {
        bytes.reset();
    }

    @Override
    public void close() {
        bytes.close();
    }
}
