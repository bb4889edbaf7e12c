package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.nio.file.FileSystemException;

import org.quiver.internal.kit.Libc;
import org.quiver.io.DiskFullException;

/**
 * Bus errors of a memory map, as exceptions that name the file. Touching a mapped page that the file no longer
 * has (it was truncated under the map, by this or another process) or that the file system cannot supply (a hole
 * of a sparse file on a full file system; tmpfs allocates a page for a hole even to read it) raises SIGBUS. The
 * JVM turns that into an {@link InternalError} ("a fault occurred in an unsafe memory access operation") instead
 * of a crash, but code compiled by C2 raises it asynchronously, at the next safepoint poll, which may come only
 * after the method that made the access has returned, past any catch around the access (measured on JDK 25: all
 * 1,000 faults of a hot {@code readAt} escaped such a catch). {@link #deliver()} right after the access puts a
 * poll inside the catch.
 */
final class MappedFaults {

    /**
     * A call the JIT cannot inline, so that it returns through a poll: the handle is not a constant (a
     * {@code static final} one would be inlined and poll nowhere). Costs about 1 ns per access (measured).
     */
    private static MethodHandle poll;

    static {
        try {
            poll = MethodHandles.lookup().findStatic(MappedFaults.class, "nothing", MethodType.methodType(void.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static final ThreadLocal<MemorySegment> STATVFS =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(Libc.STATVFS_SIZE, 8));

    private MappedFaults() {
    }

    private static void nothing() {
    }

    /** Throws here a bus error that this thread's last access to mapped memory left pending. */
    static void deliver() {
        try {
            poll.invokeExact();
        } catch (RuntimeException | Error e) {
            throw e;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Whether {@code e} is the JVM's report of a fault in a memory access, not another internal error. */
    static boolean isBusError(InternalError e) {
        return e.getMessage() != null && e.getMessage().contains("fault occurred");
    }

    /** Copies {@code length} bytes from {@code from} of the source to the map. */
    interface Copy {
        void copy(long from, long length);
    }

    /**
     * Repeats a write that raised the bus error {@code e}, one page at a time, to find how much of it is in the
     * map: the bytes before the first page that faults again; all of them when it goes through now (space was
     * freed meanwhile). An internal error that is not a bus error passes on.
     */
    static long rewrite(InternalError e, MemorySegment view, long at, long length, Copy copy) {
        if (!isBusError(e)) {
            throw e;
        }
        long done = 0;
        while (done < length) {
            long page = Libc.PAGE_SIZE - (view.address() + at + done) % Libc.PAGE_SIZE;
            long n = Math.min(length - done, page);
            try {
                copy.copy(done, n);
                deliver();
            } catch (InternalError again) {
                if (!isBusError(again)) {
                    throw again;
                }
                return done;
            }
            done += n;
        }
        return done;
    }

    /**
     * The exception for a bus error {@code e} raised by {@code operation} (with its operands) on the bytes
     * {@code [at, at + length)} of a map of {@code path} at {@code fileOffset}, {@code mapSize} bytes long: the
     * file shrank under the map, or the file system has no space for a page of a hole, or the device failed.
     *
     * @param fd          the map's descriptor, or {@code null} (read-only maps close theirs): the path is
     *                    stat'ed then
     * @param write       whether the access wrote to the map
     * @param written     for a write, the bytes of it that are in the map
     * @param otherBuffer whether the other side of the copy was a caller's buffer, which may be a map itself
     */
    static IOException of(InternalError e, String path, Descriptor fd, long fileOffset, long mapSize,
            String operation, long at, long length, boolean write, long written, boolean otherBuffer) {
        FileStat stat = null;
        MemorySegment fs = STATVFS.get();
        boolean statvfs = false;
        int f = -1;
        try {
            f = fd == null ? -1 : fd.acquire();
        } catch (IllegalStateException closed) {
            // closed meanwhile by another thread: look at the path
        }
        try {
            if (f >= 0) {
                stat = FileStat.of(f, path, operation);
                statvfs = Libc.fstatvfs(f, fs) == 0;
            }
        } catch (FileSystemException ignored) {
            // no stat of the descriptor: the path's below
        } finally {
            if (f >= 0) {
                fd.release();
            }
        }
        if (stat == null) {
            stat = FileStat.ofPath(path);
            statvfs = Libc.statvfs(path, fs) == 0;
        }
        String writtenNote = write ? "; " + written + " bytes of this write are in the map" : "";
        IOException out;
        if (stat != null && stat.size() < fileOffset + at + length) {
            out = new FileSystemException(path, null, operation + ": the file is now " + stat.size()
                    + " bytes, shorter than its memory map (offset=" + fileOffset + " size=" + mapSize
                    + "): it was truncated under the map, and the mapped pages past its end are gone (a bus error)"
                    + writtenNote);
        } else if (statvfs && (fs.get(ValueLayout.JAVA_LONG, Libc.F_BAVAIL) == 0
                || fs.get(ValueLayout.JAVA_LONG, Libc.F_BFREE) == 0)) {
            String why = " (the file system has no space for a page of the memory map, a hole of a sparse file:"
                    + " a bus error)";
            out = write ? new DiskFullException(path, operation + why, written)
                    : new FileSystemException(path, null, operation + ": no space left on device" + why);
        } else {
            out = new FileSystemException(path, null, operation + ": a bus error accessing the memory map: the"
                    + " device could not " + (write ? "write" : "read") + " the page"
                    + (otherBuffer ? ", or the other buffer is a memory map whose file shrank" : "") + writtenNote);
        }
        out.initCause(e);
        return out;
    }
}
