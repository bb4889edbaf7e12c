package org.quiver.io;

import java.nio.file.DirectoryNotEmptyException;

/**
 * A directory that is not empty where an empty one (or none) was needed, such as the destination of a
 * directory's move: the JDK's {@link DirectoryNotEmptyException}, whose message names only the path, with the
 * operation in the message too ({@code /data/out: move from /data/tmp: directory not empty}). Catch it as the JDK
 * type.
 *
 * @since 1.0
 */
public class NonEmptyDirectoryException extends DirectoryNotEmptyException {

    private static final long serialVersionUID = 1L;

    private final String reason;

    /**
     * @param file   the path
     * @param reason what was attempted and why it failed ({@code "move: directory not empty"})
     */
    public NonEmptyDirectoryException(String file, String reason) {
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
