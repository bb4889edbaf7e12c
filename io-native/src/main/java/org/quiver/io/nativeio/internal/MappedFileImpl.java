package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.quiver.internal.kit.Checks;
import org.quiver.internal.kit.Libc;
import org.quiver.io.DiskFullException;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NotRegularFileException;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.MemoryGuard;

/**
 * A memory-mapped file: a shared mapping ({@link MappedRegion}) that reads and writes copy in and out of, and
 * that zero-copy buffers reference. Growing reserves the disk blocks first ({@code posix_fallocate}), so a full
 * disk is an exception at resize time rather than a bus error at the first write to a new page. A bus error all
 * the same (the file truncated under the map, a hole of an existing sparse file on a full disk) is an
 * {@link IOException} naming the file from the reads and writes here ({@link MappedFaults}); through a zero-copy
 * buffer it stays the JVM's {@link InternalError}.
 */
final class MappedFileImpl implements MemoryMappedFile {

    private final String path;
    private final FileMode mode;
    private final boolean readable;
    private final boolean writable;
    private final long fileOffset;
    /** Kept open for writable maps, which can resize; read-only maps close it once mapped. */
    private final Descriptor fd;
    private volatile MappedRegion region;
    private volatile boolean closed;
    /** Earlier mappings of this file still referenced by buffers (checked before shrinking). */
    private final List<MappedRegion> retired = new ArrayList<>();
    private long position;

    private MappedFileImpl(String path, FileMode mode, long fileOffset, Descriptor fd, MappedRegion region) {
        this.path = path;
        this.mode = mode;
        this.readable = mode != FileMode.WRITE;
        this.writable = mode != FileMode.READ;
        this.fileOffset = fileOffset;
        this.fd = fd;
        this.region = region;
    }

    static MappedFileImpl open(Path file, FileMode mode, long offset, long length) throws IOException {
        Objects.requireNonNull(file, "path");
        Objects.requireNonNull(mode, "mode");
        if (mode == FileMode.APPEND) {
            throw new IllegalArgumentException("a memory map cannot be opened for append: mode=" + mode);
        }
        if (offset < 0 || length < -1) {
            throw new IllegalArgumentException("negative range: offset=" + offset + " length=" + length);
        }
        String path = file.toString();
        boolean writable = mode != FileMode.READ;
        String operation = "memory map " + mode + " offset=" + offset
                + (length < 0 ? " to the end" : " length=" + length);
        if (length > Long.MAX_VALUE - offset) {
            throw new IllegalArgumentException("range too large: offset=" + offset + " length=" + length);
        }
        refuseSpecial(path, operation);
        int flags = Libc.O_CLOEXEC | Libc.O_NONBLOCK | (writable ? Libc.O_RDWR : Libc.O_RDONLY);
        int fd = -1;
        boolean created = false;
        if (mode == FileMode.WRITE) {
            // pyarrow's memory_map(path, 'w') (Arrow's MemoryMappedFile::Open) creates a missing file; O_EXCL tells
            // whether this call did, so that only a file made here gets the size asked for
            fd = Libc.open(path, flags | Libc.O_CREAT | Libc.O_EXCL, 0666);
            created = fd >= 0;
        }
        if (fd < 0 && (mode != FileMode.WRITE || Libc.errno() == Libc.EEXIST)) {
            fd = Libc.open(path, flags, 0);
        }
        if (fd < 0) {
            throw Errors.of(Libc.errno(), path, operation);
        }
        try {
            long size = regularFileSize(fd, path, operation);
            if (created && offset + Math.max(length, 0) > 0) {
                size = offset + Math.max(length, 0);
                reserve(fd, path, 0, size, operation);
            }
            if (size == 0 && Libc.pread(fd, Scratch.get(), 1, 0) > 0) {
                // a file of /proc or /sys: a map needs the size, and this one is unknown until read
                throw new FileSystemException(path, null, operation + ": the file system reports size 0 but the"
                        + " file has content (a file of /proc or /sys?), so its size is unknown and it cannot be"
                        + " mapped; read it with OSFile.open(path, FileMode.READ)");
            }
            long n = length < 0 ? size - offset : length;
            if (offset > size || n > size - offset) {
                throw new java.io.EOFException(path + ": memory map beyond the end of the file: offset=" + offset
                        + " length=" + n + " size=" + size);
            }
            MappedRegion region = map(fd, path, offset, n, writable, operation);
            Descriptor kept = null;
            if (writable) {
                kept = new Descriptor(fd, path);
            } else {
                Libc.close(fd); // the mapping outlives the descriptor
            }
            return new MappedFileImpl(path, mode, offset, kept, region);
        } catch (IOException | RuntimeException | Error e) {
            Libc.close(fd);
            if (created) { // a file this call made and could not map is not left behind
                try {
                    Files.deleteIfExists(file);
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }

    static MappedFileImpl create(Path file, long size) throws IOException {
        Objects.requireNonNull(file, "path");
        Checks.checkLength(size);
        String path = file.toString();
        String operation = "create memory map size=" + size;
        refuseSpecial(path, operation);
        int fd = Libc.open(path, Libc.O_CLOEXEC | Libc.O_NONBLOCK | Libc.O_RDWR | Libc.O_CREAT | Libc.O_TRUNC, 0666);
        if (fd < 0) {
            throw Errors.of(Libc.errno(), path, operation);
        }
        try {
            regularFileSize(fd, path, operation);
            reserve(fd, path, 0, size, operation);
            MappedRegion region = map(fd, path, 0, size, true, operation);
            return new MappedFileImpl(path, FileMode.READ_WRITE, 0, new Descriptor(fd, path), region);
        } catch (IOException | RuntimeException | Error e) {
            Libc.close(fd);
            throw e;
        }
    }

    /**
     * Refuses a path that is not a regular file before opening it: opening a FIFO waits for its other end (and
     * wakes a process waiting there), and nothing but a regular file maps. The opens that follow are
     * non-blocking besides, so a FIFO put at the path after this check cannot make them wait; the descriptor's
     * own stat ({@link #regularFileSize}) refuses it then.
     */
    private static void refuseSpecial(String path, String operation) throws IOException {
        FileStat stat = FileStat.ofPath(path); // null when missing or not visible: the open says why
        if (stat != null) {
            requireRegular(stat, path, operation);
        }
    }

    private static void requireRegular(FileStat stat, String path, String operation) throws IOException {
        if (stat.isDirectory()) {
            throw new IsDirectoryException(path, operation);
        }
        if (!stat.isRegularFile()) {
            throw new NotRegularFileException(path, operation, stat.typeName(), "only a regular file can be"
                    + " memory-mapped; read it with OSFile" + (stat.isFifo() ? " (OSFile.Option.ALLOW_FIFO)" : ""));
        }
    }

    private static long regularFileSize(int fd, String path, String operation) throws IOException {
        FileStat stat = FileStat.of(fd, path, operation);
        requireRegular(stat, path, operation);
        return stat.size();
    }

    /** Sets the file's size to {@code newSize}, reserving the blocks of any growth. */
    private static void reserve(int fd, String path, long oldSize, long newSize, String operation)
            throws IOException {
        if (newSize > oldSize) {
            int error = Libc.fallocate(fd, oldSize, newSize - oldSize);
            if (error != 0 && error != Libc.EINVAL && error != 95 /* EOPNOTSUPP: no reservation here */) {
                throw Errors.of(error, path, operation);
            }
        }
        if (Libc.ftruncate(fd, newSize) != 0) {
            throw Errors.of(Libc.errno(), path, operation);
        }
    }

    private static MappedRegion map(int fd, String path, long offset, long length, boolean writable,
            String operation) throws IOException {
        if (length == 0) {
            return new MappedRegion(MemorySegment.NULL, MemorySegment.NULL, null);
        }
        long aligned = offset & -Libc.PAGE_SIZE;
        long delta = offset - aligned;
        int prot = Libc.PROT_READ | (writable ? Libc.PROT_WRITE : 0);
        MemorySegment address = Libc.mmap(length + delta, prot, Libc.MAP_SHARED, fd, aligned);
        if (address.address() == Libc.MAP_FAILED) {
            int errno = Libc.errno();
            if (errno == Libc.ENODEV) { // sysfs and the like: regular files whose file system has no mmap
                throw new FileSystemException(path, null, operation + ": the file is on a special file system"
                        + " (such as /sys or /proc) that cannot be memory-mapped (mmap: " + Libc.strerror(errno)
                        + ", errno " + errno + "); read it with OSFile.open(path, FileMode.READ)");
            }
            throw Errors.of(errno, path, operation);
        }
        MemorySegment mapping = address.reinterpret(length + delta);
        MemoryGuard guard = CloseSafety.guardsMappings() ? MemoryGuard.open() : null;
        MemorySegment view = (guard == null ? mapping : guard.guard(mapping)).asSlice(delta, length);
        return new MappedRegion(mapping, writable ? view : view.asReadOnly(), guard);
    }

    // ---- holding the mapping --------------------------------------------------------------------------------

    /** A reference to the current mapping, for one call or one buffer. */
    private MappedRegion hold() {
        while (true) {
            if (closed) {
                throw new IllegalStateException("closed");
            }
            MappedRegion r = region;
            if (r.tryRetain()) {
                return r;
            }
            // unmapped between the read and the retain: closed, or replaced by a resize; look again
        }
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    private void requireReadable(String operation) throws FileModeException {
        checkOpen(); // a closed file says so first, whatever its mode
        if (!readable) {
            throw new FileModeException(path, operation, mode);
        }
    }

    private void requireWritable(String operation) throws ReadOnlyFileException {
        checkOpen();
        if (!writable) {
            throw new ReadOnlyFileException(path, operation);
        }
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @Override
    public String path() {
        checkOpen();
        return path;
    }

    @Override
    public long fileOffset() {
        checkOpen();
        return fileOffset;
    }

    @Override
    public FileMode mode() {
        checkOpen();
        return mode;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReadable() {
        checkOpen();
        return readable;
    }

    @Override
    public boolean isWritable() {
        checkOpen();
        return writable;
    }

    @Override
    public boolean isSeekable() {
        checkOpen();
        return true;
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /**
     * The file's attributes: through the descriptor of a writable map, by the path for a read-only one (which
     * keeps no descriptor: its pages outlive it).
     */
    @Override
    public Map<String, String> metadata() throws IOException {
        checkOpen();
        if (fd == null) {
            return LocalMetadata.ofPath(path);
        }
        int f = fd.acquire();
        try {
            return LocalMetadata.ofDescriptor(f, path);
        } finally {
            fd.release();
        }
    }

    @Override
    public long size() {
        checkOpen();
        return region.view.byteSize();
    }

    @Override
    public void seek(long newPosition) throws IOException {
        checkOpen();
        Checks.checkPosition(newPosition);
        long size = size();
        if (newPosition > size) {
            throw Checks.beyondEnd(path, "seek", newPosition, size);
        }
        position = newPosition;
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /** Bytes readable at {@code at} in {@code r}; throws past the end. */
    private long available(MappedRegion r, long at, String operation) throws IOException {
        long size = r.view.byteSize();
        if (at > size) {
            throw Checks.beyondEnd(path, operation, at, size);
        }
        return size - at;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        requireReadable("read");
        int n = readAt(position, dst, offset, length);
        if (n > 0) {
            position += n;
        }
        return n;
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        requireReadable("read");
        MappedRegion r = hold();
        try {
            long n = Math.min(length, available(r, position, "read"));
            if (n == 0) {
                return length == 0 ? 0 : -1;
            }
            if (!dst.isMutable()) {
                throw new UnsupportedOperationException("read into a read-only buffer: size=" + dst.size());
            }
            try {
                MemorySegment.copy(r.view, position, dst.asSegment(), offset, n);
                MappedFaults.deliver();
            } catch (InternalError e) {
                throw fault(e, r, "read", position, n, false, 0, true);
            }
            position += n;
            return n;
        } finally {
            r.release();
        }
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool"); // unused (the buffer is the mapping itself), but named as everywhere
        requireReadable("readBuffer");
        Buffer b = slice(position, length, "readBuffer");
        position += b.size();
        return b;
    }

    @Override
    public int readAt(long at, byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        Checks.checkPosition(at);
        requireReadable("readAt");
        MappedRegion r = hold();
        try {
            int n = (int) Math.min(length, available(r, at, "readAt"));
            if (n == 0) {
                return length == 0 ? 0 : -1;
            }
            try {
                MemorySegment.copy(r.view, ValueLayout.JAVA_BYTE, at, dst, offset, n);
                MappedFaults.deliver();
            } catch (InternalError e) {
                throw fault(e, r, "readAt", at, n, false, 0, false);
            }
            return n;
        } finally {
            r.release();
        }
    }

    @Override
    public Buffer readBufferAt(long at, long length, MemoryPool pool) throws IOException {
        Checks.checkPosition(at);
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        requireReadable("readBufferAt");
        return slice(at, length, "readBufferAt");
    }

    /** A zero-copy buffer over {@code [at, at + length)} clipped to the end; it holds the mapping. */
    private Buffer slice(long at, long length, String operation) throws IOException {
        MappedRegion r = hold();
        try {
            long n = Math.min(length, available(r, at, operation));
            return Buffer.wrap(r.view.asSlice(at, n), r::release);
        } catch (IOException | RuntimeException | Error e) {
            r.release();
            throw e;
        }
    }

    @Override
    public Buffer buffer() {
        MappedRegion r = hold();
        return Buffer.wrap(r.view, r::release);
    }

    @Override
    public void willNeed(long at, long length) throws IOException {
        if ((at | length) < 0) {
            throw new IllegalArgumentException("negative range: position=" + at + " length=" + length);
        }
        MappedRegion r = hold();
        try {
            long size = r.view.byteSize();
            if (at >= size || length == 0) {
                return;
            }
            long n = Math.min(length, size - at);
            long start = r.view.address() + at;
            long aligned = start & -Libc.PAGE_SIZE;
            Libc.madvise(MemorySegment.ofAddress(aligned), n + (start - aligned), Libc.MADV_WILLNEED);
        } finally {
            r.release();
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    private void checkFits(MappedRegion r, long at, long length, String operation) throws IOException {
        long size = r.view.byteSize();
        if (at > size - length) {
            throw new java.io.EOFException(path + ": " + operation + " beyond the end of the memory map: position="
                    + at + " length=" + length + " size=" + size + " (resize first)");
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        try {
            writeAt(position, src, offset, length);
        } catch (DiskFullException e) {
            position += e.written(); // left after what did get written, as OS files do
            throw e;
        }
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        try {
            writeAt(position, src, offset, length);
        } catch (DiskFullException e) {
            position += e.written();
            throw e;
        }
        position += length;
    }

    @Override
    public void writeAt(long at, byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        checkOpen();
        requireWritable("write position=" + at + " length=" + length);
        MappedRegion r = hold();
        try {
            checkFits(r, at, length, "write");
            try {
                MemorySegment.copy(src, offset, r.view, ValueLayout.JAVA_BYTE, at, length);
                MappedFaults.deliver();
            } catch (InternalError e) {
                long written = MappedFaults.rewrite(e, r.view, at, length, (from, n) -> MemorySegment.copy(src,
                        offset + (int) from, r.view, ValueLayout.JAVA_BYTE, at + from, (int) n));
                if (written < length) {
                    throw fault(e, r, "write", at, length, true, written, false);
                }
            }
        } finally {
            r.release();
        }
    }

    @Override
    public void writeAt(long at, Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        checkOpen();
        requireWritable("write position=" + at + " length=" + length);
        MappedRegion r = hold();
        try {
            checkFits(r, at, length, "write");
            MemorySegment from = src.asSegment();
            try {
                MemorySegment.copy(from, offset, r.view, at, length);
                MappedFaults.deliver();
            } catch (InternalError e) {
                long written = MappedFaults.rewrite(e, r.view, at, length,
                        (done, n) -> MemorySegment.copy(from, offset + done, r.view, at + done, n));
                if (written < length) {
                    throw fault(e, r, "write", at, length, true, written, true);
                }
            }
        } finally {
            r.release();
        }
    }

    /**
     * The exception for a bus error in an access to {@code [at, at + length)} of the map ({@link MappedFaults});
     * an internal error that is not one passes on.
     */
    private IOException fault(InternalError e, MappedRegion r, String operation, long at, long length, boolean write,
            long written, boolean otherBuffer) {
        if (!MappedFaults.isBusError(e)) {
            throw e;
        }
        return MappedFaults.of(e, path, fd, fileOffset, r.view.byteSize(), operation + " position=" + at
                + " length=" + length, at, length, write, written, otherBuffer);
    }

    @Override
    public void flush() throws IOException {
        checkOpen(); // stores to a shared mapping are already in the page cache, visible to every reader
    }

    @Override
    public synchronized void resize(long newSize) throws IOException {
        checkOpen();
        requireWritable("resize to " + newSize);
        Checks.checkLength(newSize);
        MappedRegion current = region;
        long oldSize = current.view.byteSize();
        retired.removeIf(r -> r.references() == 0);
        if (newSize < oldSize) {
            int open = current.references() - 1;
            for (MappedRegion r : retired) {
                open += r.references();
            }
            if (open > 0) {
                throw new IllegalStateException("cannot shrink memory map " + path + " from " + oldSize + " to "
                        + newSize + " bytes while " + open + " buffers over the mapping are open: touching a page"
                        + " past the end of a file is a bus error");
            }
        }
        int f = fd.acquire();
        try {
            String operation = "resize memory map from " + oldSize + " to " + newSize;
            reserve(f, path, fileOffset + oldSize, fileOffset + newSize, operation);
            region = map(f, path, fileOffset, newSize, true, operation);
        } finally {
            fd.release();
        }
        if (current.references() > 1) {
            retired.add(current);
        }
        current.release();
        position = Math.min(position, newSize);
    }

    @Override
    public synchronized void close() throws IOException {
        if (closed) {
            return;
        }
        closed = true;
        region.release();
        if (fd != null) {
            fd.close();
        }
    }

    /** {@code MemoryMappedFile[path=/x, mode=READ, offset=0, size=100, position=3]}, with {@code , closed}. */
    @Override
    public String toString() {
        return "MemoryMappedFile[path=" + path + ", mode=" + mode + ", offset=" + fileOffset + ", size="
                + region.view.byteSize() + ", position=" + position + (closed ? ", closed" : "") + "]";
    }
}
