package org.quiver.io;

/**
 * How a {@link NativeFile} was opened: pyarrow's {@code mode} ({@code "rb"}, {@code "wb"}, {@code "rb+"},
 * {@code "ab"}).
 *
 * @since 1.0
 */
public enum FileMode {
    /** Read only ({@code "rb"}). */
    READ("rb"),
    /** Write only, from the start ({@code "wb"}). */
    WRITE("wb"),
    /** Read and write ({@code "rb+"}). */
    READ_WRITE("rb+"),
    /** Write only, at the end ({@code "ab"}). */
    APPEND("ab");

    private final String pyarrowMode;

    FileMode(String pyarrowMode) {
        this.pyarrowMode = pyarrowMode;
    }

    /** The pyarrow spelling of this mode. */
    public String pyarrowMode() {
        return pyarrowMode;
    }
}
