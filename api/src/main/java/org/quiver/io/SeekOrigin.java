package org.quiver.io;

/**
 * Where a relative seek counts from: pyarrow's {@code whence} ({@code 0}, {@code 1}, {@code 2}), POSIX's
 * {@code SEEK_SET}, {@code SEEK_CUR} and {@code SEEK_END}.
 *
 * @since 1.1
 */
public enum SeekOrigin {
    /** From the start of the file (whence 0). */
    START,
    /** From the current position (whence 1). */
    CURRENT,
    /** From the end of the file (whence 2). */
    END;

    /**
     * The origin of pyarrow's and POSIX's {@code whence} number.
     *
     * @throws IllegalArgumentException if {@code whence} is not 0, 1 or 2
     */
    public static SeekOrigin ofWhence(int whence) {
        return switch (whence) {
            case 0 -> START;
            case 1 -> CURRENT;
            case 2 -> END;
            default -> throw new IllegalArgumentException("whence must be 0 (start), 1 (current) or 2 (end): whence="
                    + whence);
        };
    }

    /**
     * The absolute position {@code offset} bytes from this origin, for a file at {@code position} of {@code size}
     * bytes.
     *
     * @throws IllegalArgumentException if it would be negative or overflow (the message gives the operands)
     */
    long resolve(long offset, long position, long size) {
        long base = switch (this) {
            case START -> 0;
            case CURRENT -> position;
            case END -> size;
        };
        long target = base + offset;
        if (((base ^ target) & (offset ^ target)) < 0 || target < 0) {
            throw new IllegalArgumentException("seek to a negative position: offset=" + offset + " from "
                    + name().toLowerCase(java.util.Locale.ROOT) + " (" + base + ")");
        }
        return target;
    }
}
