package org.quiver.memory;

import org.quiver.internal.memory.Backends;

/**
 * Appends float values (little endian, 4 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<float>}. Not thread safe.
 *
 * @since 1.0
 */
public final class FloatBufferBuilder extends FixedWidthBufferBuilder {

    /** A builder on the default pool. */
    public FloatBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public FloatBufferBuilder(MemoryPool pool) {
        super(pool, 4);
    }

    /** Makes room for {@code additional} more values. */
    public FloatBufferBuilder reserve(long additional) {
        reserveValues(additional);
        return this;
    }

    /** Appends one value. */
    public FloatBufferBuilder append(float value) {
        bytes.appendFloat(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public FloatBufferBuilder append(float... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserveValues(values.length);
        for (float v : values) {
            bytes.appendFloat(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public float get(long index) {
        return bytes.current().getFloat(offsetOf(index));
    }
}
