package org.quiver.io;

import java.nio.file.FileSystemException;

/**
 * A write failed because the device or the user's quota is full ({@code ENOSPC}, {@code EDQUOT}). Whatever the
 * failed call wrote is reported by {@link #written()}; the file position is left after those bytes.
 *
 * @since 1.0
 */
public class DiskFullException extends FileSystemException {

    private static final long serialVersionUID = 1L;

    private final long written;

    /**
     * @param file      the path
     * @param operation what was attempted, with its operands ({@code "write position=0 length=4096"})
     * @param written   bytes of this call that did reach the file before it failed
     */
    public DiskFullException(String file, String operation, long written) {
        super(file, null, operation + ": no space left on device (" + written + " bytes of this write written)");
        this.written = written;
    }

    /** Bytes of the failed call that were written before the device filled up. */
    public long written() {
        return written;
    }
}
