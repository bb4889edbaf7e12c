package org.quiver.io.hdfs.internal;

import java.io.EOFException;

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
