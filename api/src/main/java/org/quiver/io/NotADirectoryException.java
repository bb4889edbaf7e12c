package org.quiver.io;

import java.nio.file.NotDirectoryException;

/**
 * A file where a directory was expected (listing it, deleting it as a directory, a parent that is a file): the
 * JDK's {@link NotDirectoryException}, whose message names only the path, with the operation in the message too
 * ({@code /data/f.txt: list: not a directory}). pyarrow raises {@code NotADirectoryError} here. Catch it as the
 * JDK type.
 *
 * @since 1.0
 */
public class NotADirectoryException extends NotDirectoryException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param file   the path
     * @param reason what was attempted and why it failed ({@code "list: not a directory"})
     */
    public NotADirectoryException(String file, String reason) {
        super(file);
        this.reason = reason;
    }

    @Override
    public String getReason() {
        return reason;
    }

    @Override
    public String getMessage() {
        return getFile() + ": " + reason;
    }
}
