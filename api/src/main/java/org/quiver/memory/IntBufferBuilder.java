package org.quiver.memory;

/**
 * Appends int values (little endian, 4 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<int>}. Not thread safe.
 *
 * @since 0.1
 */
public final class IntBufferBuilder implements AutoCloseable {

    private final BufferBuilder bytes;

    /** A builder on the default pool. */
    public IntBufferBuilder() {
        this(MemoryPool.defaultPool());
    }

    /** A builder whose buffer comes from {@code pool}. */
    public IntBufferBuilder(MemoryPool pool) {
        this.bytes = new BufferBuilder(pool);
    }

    /** Values appended so far. */
    public long length() {
        return bytes.length() / 4;
    }

    /** Makes room for {@code additional} more values. */
    public IntBufferBuilder reserve(long additional) {
        org.quiver.internal.memory.Checks.checkSize(additional);
        bytes.reserve(Math.multiplyExact(additional, 4L));
        return this;
    }

    /** Appends one value. */
    public IntBufferBuilder append(int value) {
        bytes.appendInt(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public IntBufferBuilder append(int... values) {
        reserve(values.length);
        for (int v : values) {
            bytes.appendInt(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public int get(long index) {
        org.quiver.internal.memory.Checks.checkIndex(index, 1, length());
        return bytes.current().getInt(index * 4);
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
