package org.quiver.io.nativeio.internal;

import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;

import org.quiver.internal.kit.Libc;
import org.quiver.io.DiskFullException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.NonEmptyDirectoryException;
import org.quiver.io.NotADirectoryException;
import org.quiver.io.ReadOnlyFileException;

/**
 * Turns an {@code errno} into the specific exception for it, naming the path and the operation, with the C
 * library's text and the number for anything without a specific type.
 */
final class Errors {

    private Errors() {
    }

    /** The exception for {@code errno}, raised by {@code operation} (with its operands) on {@code path}. */
    static FileSystemException of(int errno, String path, String operation) {
        return of(errno, path, operation, 0);
    }

    /** As {@link #of(int, String, String)}, for a write of which {@code written} bytes got through. */
    static FileSystemException of(int errno, String path, String operation, long written) {
        String reason = operation + ": " + Libc.strerror(errno) + " (errno " + errno + ")";
        return switch (errno) {
            case Libc.ENOENT -> new NoSuchFileException(path, null, reason);
            case Libc.EACCES, Libc.EPERM -> new AccessDeniedException(path, null, reason);
            case Libc.EISDIR -> new IsDirectoryException(path, operation);
            case Libc.ENOSPC, Libc.EDQUOT -> new DiskFullException(path, operation, written);
            case Libc.EROFS -> new ReadOnlyFileException(path, operation + " (read-only file system)");
            case Libc.EEXIST -> new FileAlreadyExistsException(path, null, reason);
            case Libc.ENOTDIR -> new NotADirectoryException(path, reason);
            case Libc.ENOTEMPTY -> new NonEmptyDirectoryException(path, reason);
            // the kernel could not touch the caller's memory: a Buffer gets there by being a memory map whose
            // file shrank (a bus error, had Java code touched it)
            case Libc.EFAULT -> new FileSystemException(path, null, reason + ": the buffer's memory could not be"
                    + " accessed (a memory map whose file was truncated under it?)");
            default -> new FileSystemException(path, null, reason);
        };
    }
}
