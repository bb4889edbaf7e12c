package org.quiver.memory;

import org.quiver.internal.memory.Backends;

/**
 * Appends long values (little endian, 8 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<long>}. Not thread safe.
 *
 * @since 1.0
 */
public final class LongBufferBuilder extends FixedWidthBufferBuilder {

    /** A builder on the default pool. */
    public LongBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public LongBufferBuilder(MemoryPool pool) {
        super(pool, 8);
    }

    /** Makes room for {@code additional} more values. */
    public LongBufferBuilder reserve(long additional) {
        reserveValues(additional);
        return this;
    }

    /** Appends one value. */
    public LongBufferBuilder append(long value) {
        bytes.appendLong(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public LongBufferBuilder append(long... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserveValues(values.length);
        for (long v : values) {
            bytes.appendLong(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public long get(long index) {
        return bytes.current().getLong(offsetOf(index));
    }
}
