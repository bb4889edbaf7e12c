package org.quiver.io.nativeio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

import org.quiver.io.InputFile;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The argument checks every file here shares, with messages that print every operand, and the read loops
 * for sources of unknown size.
 */
final class Ranges {

    private Ranges() {
    }

    static void checkRange(long offset, long length, long size) {
        if ((offset | length) < 0 || offset > size - length) {
            throw new IndexOutOfBoundsException(
                    "range out of bounds: offset=" + offset + " length=" + length + " size=" + size);
        }
    }

    /**
     * Checks a range of an array argument: a null array is named by {@code name} (the JDK's own message would
     * speak of this class's internals), then the range as {@link #checkRange(long, long, long)} does.
     */
    static void checkRange(byte[] array, String name, long offset, long length) {
        Objects.requireNonNull(array, name);
        checkRange(offset, length, array.length);
    }

    /** Checks a range of a buffer argument, naming a null buffer by {@code name}. */
    static void checkRange(Buffer buffer, String name, long offset, long length) {
        Objects.requireNonNull(buffer, name);
        checkRange(offset, length, buffer.size());
    }

    static void checkLength(long length) {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
    }

    static void checkPosition(long position) {
        if (position < 0) {
            throw new IllegalArgumentException("negative position: position=" + position);
        }
    }

    static EOFException beyondEnd(String file, String operation, long position, long size) {
        return new EOFException(file + ": " + operation + " beyond the end of the file: position=" + position
                + " size=" + size);
    }

    /**
     * Reads up to {@code length} bytes of a source of unknown size into a pool buffer: starts small and doubles,
     * so asking for far more than the source holds does not allocate it. Shorter only at the end.
     */
    static Buffer readBuffer(InputFile source, long length, MemoryPool pool) throws IOException {
        checkLength(length);
        Objects.requireNonNull(pool, "pool");
        long capacity = Math.min(length, 64 << 10);
        ResizableBuffer buffer = pool.allocate(capacity);
        try {
            long n = 0;
            while (n < length) {
                if (n == capacity) {
                    capacity = Math.min(length, capacity * 2);
                    buffer.resize(capacity, false);
                }
                long r = source.read(buffer, n, capacity - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n != capacity) {
                buffer.resize(n, true);
            }
            return buffer;
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }
}
