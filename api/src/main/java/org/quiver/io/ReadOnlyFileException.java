package org.quiver.io;

/**
 * A write to a file or memory mapping opened read-only. Nothing was written, and no read-only memory was
 * touched: the check comes before any access.
 *
 * @since 1.0
 */
public class ReadOnlyFileException extends FileModeException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file      the path (or a description of the file)
     * @param operation what was attempted ({@code "write"}, {@code "writeAt position=10 length=4"} ...)
     */
    public ReadOnlyFileException(String file, String operation) {
        super(file, operation, FileMode.READ, "the file is open read-only");
    }
}
