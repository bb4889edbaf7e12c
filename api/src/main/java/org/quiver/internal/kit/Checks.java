package org.quiver.internal.kit;

import java.io.EOFException;
import java.util.Objects;

import org.quiver.memory.Buffer;

/**
 * The argument checks every Quiver module shares, so that every message prints every operand the same way.
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

    /**
     * Checks a range of an array argument: a null array is named by {@code name} (the JDK's own message would
     * speak of the caller's internals), then the range as {@link #checkRange(long, long, long)} does.
     */
    public static void checkRange(byte[] array, String name, long offset, long length) {
        Objects.requireNonNull(array, name);
        checkRange(offset, length, array.length);
    }

    /** Checks a range of a buffer argument, naming a null buffer by {@code name}. */
    public static void checkRange(Buffer buffer, String name, long offset, long length) {
        Objects.requireNonNull(buffer, name);
        checkRange(offset, length, buffer.size());
    }

    /** Checks that {@code [index, index + width)} lies in {@code [0, size)}. */
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

    /** Checks a requested length. */
    public static void checkLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
    }

    /** Checks a file position. */
    public static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position: position=" + position);
        }
    }

    /**
     * Checks a seek to {@code position} in an in-memory file of {@code size} bytes, which cannot pass its end.
     *
     * @throws IllegalArgumentException if negative
     * @throws EOFException             if beyond {@code size}
     */
    public static void checkSeek(long position, long size) throws EOFException {
        checkPosition(position);
        if (position > size) {
            throw new EOFException("seek beyond the end: position=" + position + " size=" + size);
        }
    }

    /** Checks an alignment: a power of two from 1 to {@link #MAX_ALIGNMENT}. */
    public static void checkAlignment(long alignment) {
        if (alignment <= 0 || (alignment & (alignment - 1)) != 0 || alignment > MAX_ALIGNMENT) {
            throw new IllegalArgumentException(
                    "alignment must be a power of two from 1 to " + MAX_ALIGNMENT + ": alignment=" + alignment);
        }
    }

    /** The error for a read or write at {@code position} of a file of {@code size} bytes that must not pass it. */
    public static EOFException beyondEnd(String file, String operation, long position, long size) {
        return new EOFException(file + ": " + operation + " beyond the end of the file: position=" + position
                + " size=" + size);
    }
}
