package org.quiver.io;

import java.nio.file.FileSystemException;

/**
 * An operation the file's {@link FileMode} does not allow: reading a file opened for writing only, or (as
 * {@link ReadOnlyFileException}) writing a file or mapping opened read-only. Nothing was read or written.
 *
 * @since 1.0
 */
public class FileModeException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final FileMode mode;

    /**
     * @param file      the path (or a description of the file)
     * @param operation what was attempted ({@code "read"}, {@code "write"}, {@code "resize"} ...)
     * @param mode      the mode the file was opened with
     */
    public FileModeException(String file, String operation, FileMode mode) {
        this(file, operation, mode, "not allowed on a file opened " + mode + " (\"" + mode.pyarrowMode() + "\")");
    }

    FileModeException(String file, String operation, FileMode mode, String reason) {
        super(file, null, operation + ": " + reason);
        this.mode = mode;
    }

    /** The mode the file was opened with. */
    public FileMode mode() {
        return mode;
    }
}
