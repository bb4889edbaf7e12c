package org.quiver.memory;

import org.quiver.internal.kit.Checks;

/**
 * What the typed builders share: a byte builder holding values of one width. Each subclass adds the
 * primitive-typed {@code append} and {@code get}, which Java generics cannot express without boxing.
 */
abstract sealed class FixedWidthBufferBuilder implements AutoCloseable
        permits ShortBufferBuilder, IntBufferBuilder, LongBufferBuilder, FloatBufferBuilder, DoubleBufferBuilder {

    final BufferBuilder bytes;
    private final int width;

    FixedWidthBufferBuilder(MemoryPool pool, int width) {
        this.bytes = new BufferBuilder(pool);
        this.width = width;
    }

    /** Values appended so far. */
    public long length() {
        return bytes.length() / width;
    }

    /**
     * Values that fit before the next growth (Arrow's {@code TypedBufferBuilder::capacity}). Growth at least
     * doubles it, so appending costs amortised constant time.
     *
     * @since 1.0
     */
    public long capacity() {
        return bytes.capacity() / width;
    }

    /** The byte offset of the value at {@code index}, after checking it was appended. */
    final long offsetOf(long index) {
        Checks.checkIndex(index, 1, length());
        return index * width;
    }

    /** Makes room for {@code additional} more values, so that appending them does not reallocate. */
    final void reserveValues(long additional) {
        Checks.checkSize(additional);
        bytes.reserve(Math.multiplyExact(additional, (long) width));
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
