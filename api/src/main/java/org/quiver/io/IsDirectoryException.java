package org.quiver.io;

import java.nio.file.FileSystemException;

/**
 * A directory was found where a file was expected (opening a directory as a file, or deleting it as one).
 * The JDK reports this only as a plain {@code IOException} with the text {@code "Is a directory"}.
 *
 * @since 1.0
 */
public class IsDirectoryException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    /**
     * @param file      the path
     * @param operation what was attempted ({@code "open for reading"}, {@code "delete file"} ...)
     */
    public IsDirectoryException(String file, String operation) {
        super(file, null, operation + ": is a directory");
    }
}
