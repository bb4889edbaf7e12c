package org.quiver.io.hdfs.internal;

import java.io.EOFException;
import java.util.Objects;

import org.quiver.memory.Buffer;

/** The argument checks of the files here, with messages that print every operand. */
final class Checks {

    private Checks() {
    }

    static void range(long offset, long length, long size) {
        if ((offset | length) < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "range out of bounds: offset=" + offset + " length=" + length + " size=" + size);
        }
    }

    /** Checks a range of an array argument, naming a null array by {@code name}. */
    static void range(byte[] array, String name, long offset, long length) {
        Objects.requireNonNull(array, name);
        range(offset, length, array.length);
    }

    /** Checks a range of a buffer argument, naming a null buffer by {@code name}. */
    static void range(Buffer buffer, String name, long offset, long length) {
        Objects.requireNonNull(buffer, name);
        range(offset, length, buffer.size());
    }

    static void length(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
    }

    static void position(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position: position=" + position);
        }
    }

    static EOFException beyondEnd(String file, String operation, long position, long size) {
        return new EOFException(file + ": " + operation + " beyond the end of the file: position=" + position
                + " size=" + size);
    }
}
