package org.quiver.memory;

import org.quiver.internal.memory.Backends;
import org.quiver.internal.kit.Checks;

/**
 * Appends booleans bit-packed, least significant bit first (the Arrow validity-bitmap layout), and counts the
 * false ones: Arrow's {@code TypedBufferBuilder<bool>}. Not thread safe.
 *
 * @since 1.0
 */
public final class BooleanBufferBuilder implements AutoCloseable {

    private final BufferBuilder bytes;
    private long length;
    private long falseCount;

    /** A builder on the default pool. */
    public BooleanBufferBuilder() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A builder whose buffer comes from {@code pool}. */
    public BooleanBufferBuilder(MemoryPool pool) {
        this.bytes = new BufferBuilder(pool);
    }

    /** Booleans appended so far. */
    public long length() {
        return length;
    }

    /** How many of them are false. */
    public long falseCount() {
        return falseCount;
    }

    /** Makes room for {@code additional} more booleans. */
    public BooleanBufferBuilder reserve(long additional) {
        Checks.checkSize(additional);
        long neededBytes = (length + additional + 7) >>> 3;
        if (neededBytes > bytes.length()) {
            bytes.reserve(neededBytes - bytes.length());
        }
        return this;
    }

    /** Appends one boolean. */
    public BooleanBufferBuilder append(boolean value) {
        if ((length & 7) == 0) {
            bytes.appendByte((byte) 0);
        }
        if (value) {
            long byteIndex = length >>> 3;
            ResizableBuffer b = bytes.current();
            b.setByte(byteIndex, (byte) (b.getByte(byteIndex) | (1 << (length & 7))));
        } else {
            falseCount++;
        }
        length++;
        return this;
    }

    /** Appends {@code count} copies of {@code value}. */
    public BooleanBufferBuilder appendRepeated(boolean value, long count) {
        Checks.checkSize(count);
        reserve(count);
        for (long i = 0; i < count; i++) {
            append(value);
        }
        return this;
    }

    /** Appends every value of {@code values}. */
    public BooleanBufferBuilder append(boolean... values) {
        java.util.Objects.requireNonNull(values, "values");
        reserve(values.length);
        for (boolean v : values) {
            append(v);
        }
        return this;
    }

    /** The boolean at {@code index} (below {@link #length()}). */
    public boolean get(long index) {
        Checks.checkIndex(index, 1, length);
        return (bytes.current().getByte(index >>> 3) & (1 << (index & 7))) != 0;
    }

    /**
     * Hands over the bitmap ({@code ceil(length / 8)} bytes, unused high bits zero) and empties the builder.
     */
    public ResizableBuffer finish() {
        length = 0;
        falseCount = 0;
        return bytes.finish(true);
    }

    /** Discards everything appended and frees the memory. */
    public void reset() {
        bytes.reset();
        length = 0;
        falseCount = 0;
    }

    @Override
    public void close() {
        reset();
    }
}
