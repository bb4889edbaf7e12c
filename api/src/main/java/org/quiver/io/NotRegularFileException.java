package org.quiver.io;

import java.nio.file.FileSystemException;

/**
 * A file that is not a regular file (a FIFO, a socket, a device) where one is needed. An {@link OSFile} opens a
 * FIFO only when asked ({@link OSFile.Option#ALLOW_FIFO}), because opening one waits, without bound and beyond
 * the reach of {@link Thread#interrupt()}, for a process at its other end; a {@link MemoryMappedFile} needs a
 * regular file. The check comes before the file is opened, so refusing it neither waits nor wakes the process at
 * the other end.
 *
 * @since 1.0
 */
public class NotRegularFileException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final String fileType;

    /**
     * @param file      the path
     * @param operation what was attempted ({@code "open READ"}, {@code "memory map READ"} ...)
     * @param fileType  what the file is: {@code "FIFO"}, {@code "socket"}, {@code "character device"},
     *                  {@code "block device"}
     * @param advice    what to do instead
     */
    public NotRegularFileException(String file, String operation, String fileType, String advice) {
        super(file, null, operation + ": is a " + fileType + ", not a regular file: " + advice);
        this.fileType = fileType;
    }

    /** What the file is: {@code "FIFO"}, {@code "socket"}, {@code "character device"} or {@code "block device"}. */
    public String fileType() {
        return fileType;
    }
}
