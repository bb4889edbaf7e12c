package org.quiver.memory;

import org.quiver.internal.memory.Backends;

/**
 * Appends int values (little endian, 4 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<int>}. Not thread safe.
 *
 * @since 1.0
 */
public final class IntBufferBuilder extends FixedWidthBufferBuilder {

    /** A builder on the default pool. */
    public IntBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public IntBufferBuilder(MemoryPool pool) {
        super(pool, 4);
    }

    /** Makes room for {@code additional} more values. */
    public IntBufferBuilder reserve(long additional) {
        reserveValues(additional);
        return this;
    }

    /** Appends one value. */
    public IntBufferBuilder append(int value) {
        bytes.appendInt(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public IntBufferBuilder append(int... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserveValues(values.length);
        for (int v : values) {
            bytes.appendInt(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public int get(long index) {
        return bytes.current().getInt(offsetOf(index));
    }
}
