package org.quiver.memory;

import org.quiver.internal.memory.Backends;

/**
 * Appends short values (little endian, 2 bytes each) into a growing pool buffer: Arrow's
 * {@code TypedBufferBuilder<int16_t>}. Not thread safe.
 *
 * <p>Arrow's {@code uint16} values go in as their bits, {@code append((short) value)}, and come back with
 * {@link Buffer#getUnsignedShort(long)}; Java's {@code char} is the same 16 bits, so there is no separate builder
 * for chars.
 *
 * @since 1.0
 */
public final class ShortBufferBuilder extends FixedWidthBufferBuilder {

    /** A builder on the default pool. */
    public ShortBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public ShortBufferBuilder(MemoryPool pool) {
        super(pool, 2);
    }

    /** Makes room for {@code additional} more values. */
    public ShortBufferBuilder reserve(long additional) {
        reserveValues(additional);
        return this;
    }

    /** Appends one value. */
    public ShortBufferBuilder append(short value) {
        bytes.appendShort(value);
        return this;
    }

    /** Appends every value of {@code values}. */
    public ShortBufferBuilder append(short... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserveValues(values.length);
        for (short v : values) {
            bytes.appendShort(v);
        }
        return this;
    }

    /** The value at {@code index} (below {@link #length()}). */
    public short get(long index) {
        return bytes.current().getShort(offsetOf(index));
    }
}
