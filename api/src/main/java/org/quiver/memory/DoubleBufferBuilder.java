package org.quiver.memory;

import org.quiver.internal.memory.Backends;

/**
 * Appends double values (little endian, 8 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<double>}. Not thread safe.
 *
 * @since 1.0
 */
public final class DoubleBufferBuilder extends FixedWidthBufferBuilder {

    /** A builder on the default pool. */
    public DoubleBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public DoubleBufferBuilder(MemoryPool pool) {
        super(pool, 8);
    }

    /** Makes room for {@code additional} more values. */
    public DoubleBufferBuilder reserve(long additional) {
        reserveValues(additional);
        return this;
    }

    /** Appends one value. */
    public DoubleBufferBuilder append(double value) {
        bytes.appendDouble(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public DoubleBufferBuilder append(double... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserveValues(values.length);
        for (double v : values) {
            bytes.appendDouble(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public double get(long index) {
        return bytes.current().getDouble(offsetOf(index));
    }
}
