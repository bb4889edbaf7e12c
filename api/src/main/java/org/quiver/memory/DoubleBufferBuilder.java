package org.quiver.memory;

/**
 * Appends double values (little endian, 8 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<double>}. Not thread safe.
 *
 * @since 0.1
 */
public final class DoubleBufferBuilder implements AutoCloseable {

    private final BufferBuilder bytes;

    /** A builder on the default pool. */
    public DoubleBufferBuilder() {
        this(MemoryPool.defaultPool());
    }

    /** A builder whose buffer comes from {@code pool}. */
    public DoubleBufferBuilder(MemoryPool pool) {
        this.bytes = new BufferBuilder(pool);
    }

    /** Values appended so far. */
    public long length() {
        return bytes.length() / 8;
    }

    /** Makes room for {@code additional} more values. */
    public DoubleBufferBuilder reserve(long additional) {
        org.quiver.internal.memory.Checks.checkSize(additional);
        bytes.reserve(Math.multiplyExact(additional, 8L));
        return this;
    }

    /** Appends one value. */
    public DoubleBufferBuilder append(double value) {
        bytes.appendDouble(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public DoubleBufferBuilder append(double... values) {
        reserve(values.length);
        for (double v : values) {
            bytes.appendDouble(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public double get(long index) {
        org.quiver.internal.memory.Checks.checkIndex(index, 1, length());
        return bytes.current().getDouble(index * 8);
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
