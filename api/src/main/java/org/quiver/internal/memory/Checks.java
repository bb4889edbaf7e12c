package org.quiver.internal.memory;

/**
 * The one place that checks ranges and sizes, so that every message prints every operand.
 */
public final class Checks {

    /** Largest alignment a pool accepts. */
    public static final long MAX_ALIGNMENT = 1L << 30;

    private Checks() {
    }

    /** Checks that {@code [offset, offset + length)} lies in {@code [0, size)}. */
    public static void checkRange(long offset, long length, long size) {
        if ((offset | length) < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "range out of bounds: offset=" + offset + " length=" + length + " size=" + size);
        }
    }

    /** Checks that {@code index} lies in {@code [0, size)}. */
    public static void checkIndex(long index, long width, long size) {
        if (index < 0 || index > size - width) {
            throw new IndexOutOfBoundsException(
                    "index out of bounds: index=" + index + " width=" + width + " size=" + size);
        }
    }

    /**
     * Checks that {@code length} values of {@code width} bytes from byte {@code index} lie in {@code [0, size)}.
     * The length is an int (an array's), so {@code length * width} cannot overflow.
     */
    public static void checkElements(long index, int length, long width, long size) {
        if (index < 0 || length < 0 || index > size - length * width) {
            throw new IndexOutOfBoundsException("range out of bounds: index=" + index + " length=" + length
                    + " width=" + width + " size=" + size);
        }
    }

    /** Checks a requested size. */
    public static void checkSize(long size) {
        if (size < 0) {
            throw new IllegalArgumentException("negative size: size=" + size);
        }
    }

    /** Checks an alignment: a power of two from 1 to {@link #MAX_ALIGNMENT}. */
    public static void checkAlignment(long alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException(
                    "alignment must be a power of two from 1 to " + MAX_ALIGNMENT + ": alignment=" + alignment);
        }
    }

    /**
     * Rounds a size up to the 64-byte padding.
     *
     * @param operand how the caller calls the size, for the message ({@code size}, {@code capacity}...)
     * @param pool    the pool, named in the message (asked for its name only then)
     * @throws org.quiver.memory.OutOfMemoryException when the padded size overflows
     */
    public static long padded(long size, String operand, org.quiver.memory.MemoryPool pool) {
        long p = (size + 63) & ~63L;
        if (p < size) {
            throw new org.quiver.memory.OutOfMemoryException(operand + " too large to pad to 64 bytes: " + operand
                    + "=" + size + " pool=" + AbstractMemoryPool.nameOf(pool));
        }
        return p;
    }
}
