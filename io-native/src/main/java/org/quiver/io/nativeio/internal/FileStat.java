package org.quiver.io.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;

import org.quiver.internal.kit.Libc;

/**
 * The type and size of an open descriptor, from {@code statx} (the one stat structure that is the same on every
 * Linux architecture). The structure goes into a per-thread segment: sizing a read costs one system call and no
 * allocation.
 *
 * @param type the {@code S_IFMT} bits of the mode
 * @param size the size in bytes
 */
record FileStat(int type, long size) {

    private static final long STATX_SIZE = 256;
    private static final long STX_MODE = 28;
    private static final long STX_SIZE = 40;

    private static final ThreadLocal<MemorySegment> BUFFER =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(STATX_SIZE, 8));

    /**
     * Stats {@code path} (following links) without opening it, or returns {@code null} when it cannot be
     * stat'ed (missing, no permission): the open that follows reports why.
     */
    static FileStat ofPath(String path) {
        MemorySegment statx = BUFFER.get();
        if (Libc.statx(path, statx) != 0) {
            return null;
        }
        return of(statx);
    }

    /** Stats {@code fd}; a failure names {@code path} and {@code operation}. */
    static FileStat of(int fd, String path, String operation) throws FileSystemException {
        MemorySegment statx = BUFFER.get();
        if (Libc.fstatx(fd, statx) != 0) {
            throw Errors.of(Libc.errno(), path, operation);
        }
        return of(statx);
    }

    private static FileStat of(MemorySegment statx) {
        int mode = statx.get(ValueLayout.JAVA_SHORT_UNALIGNED, STX_MODE) & 0xFFFF;
        return new FileStat(mode & Libc.S_IFMT, statx.get(ValueLayout.JAVA_LONG_UNALIGNED, STX_SIZE));
    }

    boolean isDirectory() {
        return type == Libc.S_IFDIR;
    }

    boolean isRegularFile() {
        return type == Libc.S_IFREG;
    }

    boolean isFifo() {
        return type == Libc.S_IFIFO;
    }

    /** What the file is, in a message's words. */
    String typeName() {
        return switch (type) {
            case Libc.S_IFREG -> "regular file";
            case Libc.S_IFDIR -> "directory";
            case Libc.S_IFIFO -> "FIFO";
            case Libc.S_IFSOCK -> "socket";
            case Libc.S_IFCHR -> "character device";
            case Libc.S_IFBLK -> "block device";
            default -> "file of type " + Integer.toOctalString(type);
        };
    }
}
