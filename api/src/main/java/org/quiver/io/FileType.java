package org.quiver.io;

/**
 * What a path names: pyarrow's {@code FileType}.
 *
 * @since 1.0
 */
public enum FileType {
    /** Nothing exists at the path. */
    NOT_FOUND,
    /** Something the file system cannot classify (a socket, a device). */
    UNKNOWN,
    /** A regular file. */
    FILE,
    /** A directory. */
    DIRECTORY
}
