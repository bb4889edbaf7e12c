package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.FileSystemException;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.Set;

import org.quiver.internal.kit.ReadLoops;
import org.quiver.internal.kit.Checks;
import org.quiver.internal.kit.Libc;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.NotRegularFileException;
import org.quiver.io.OSFile;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * An OS file through its descriptor. Files that can seek use {@code pread}/{@code pwrite} at a position kept
 * here, so positional calls from other threads never disturb it; pipes and append-mode files use
 * {@code read}/{@code write}.
 */
final class OsFileImpl implements OSFile {

    private final Descriptor fd;
    private final String path;
    private final FileMode mode;
    private final boolean readable;
    private final boolean writable;
    /** pread/pwrite work (the descriptor can seek) and the mode is not append. */
    private final boolean positional;
    /** The position of sequential calls; for append mode and pipes, the bytes moved so far. */
    private long position;
    /**
     * A FIFO opened for reading whose writer has not shown yet: a non-blocking FIFO reads 0 (the end) until a
     * writer opens it, so such a 0 means "wait", not "the end".
     */
    private boolean noWriterSeen;

    private OsFileImpl(int fd, String path, FileMode mode, boolean positional, long position, boolean fifo) {
        this.fd = new Descriptor(fd, path);
        this.path = path;
        this.mode = mode;
        this.readable = mode == FileMode.READ || mode == FileMode.READ_WRITE;
        this.writable = mode != FileMode.READ;
        this.positional = positional;
        this.position = position;
        this.noWriterSeen = fifo && readable;
    }

    /** How long a call waiting for the other end of a FIFO sleeps before it looks at interrupts and close. */
    private static final int WAIT_SLICE_MILLIS = 100;

    /** Opens {@code file} without options: a FIFO is refused. */
    static OsFileImpl open(Path file, FileMode mode) throws IOException {
        return open(file, mode, Set.of());
    }

    /**
     * Opens {@code file}. A FIFO is refused unless {@code options} allow it, and the check comes before the open:
     * opening a FIFO the usual way waits for its other end without bound (no interrupt reaches a thread in
     * {@code open(2)}), and even a non-blocking open would wake a process waiting at the other end. The open
     * itself is non-blocking, so a FIFO put at the path after the check cannot make it wait either; other files
     * go back to blocking IO at once. An allowed FIFO stays non-blocking: its reads and writes wait in
     * {@link #awaitOtherEnd}, which interrupts and close can end.
     */
    static OsFileImpl open(Path file, FileMode mode, Set<OSFile.Option> options) throws IOException {
        Objects.requireNonNull(file, "path");
        Objects.requireNonNull(mode, "mode");
        Objects.requireNonNull(options, "options");
        boolean allowFifo = options.contains(OSFile.Option.ALLOW_FIFO);
        String path = file.toString();
        int flags = Libc.O_CLOEXEC | Libc.O_NONBLOCK | switch (mode) {
            case READ -> Libc.O_RDONLY;
            case WRITE -> Libc.O_WRONLY | Libc.O_CREAT | Libc.O_TRUNC;
            case APPEND -> Libc.O_WRONLY | Libc.O_CREAT | Libc.O_APPEND;
            case READ_WRITE -> Libc.O_RDWR;
        };
        String operation = "open " + mode + " (\"" + mode.pyarrowMode() + "\")";
        FileStat before = FileStat.ofPath(path); // null when missing (WRITE creates it) or not visible: open says
        if (before != null) {
            refuseSpecial(before, path, operation, allowFifo);
        }
        int fd = Libc.open(path, flags, 0666);
        if (fd < 0) {
            int errno = Libc.errno();
            if (errno == Libc.ENXIO && before != null && before.isFifo()) {
                throw new FileSystemException(path, null, operation + ": no process has the FIFO open for reading"
                        + " (a writer's open does not wait for one: start the reader first)");
            }
            throw Errors.of(errno, path, operation);
        }
        try {
            FileStat stat = FileStat.of(fd, path, operation);
            if (stat.isDirectory()) {
                throw new IsDirectoryException(path, operation);
            }
            refuseSpecial(stat, path, operation, allowFifo); // it changed since the check
            if (!stat.isFifo() && Libc.setStatusFlags(fd, mode == FileMode.APPEND ? Libc.O_APPEND : 0) != 0) {
                throw Errors.of(Libc.errno(), path, operation + " (clearing O_NONBLOCK)");
            }
            boolean seekable = mode != FileMode.APPEND && Libc.lseek(fd, 0, Libc.SEEK_CUR) >= 0;
            long start = mode == FileMode.APPEND ? Math.max(0, Libc.lseek(fd, 0, Libc.SEEK_END)) : 0;
            return new OsFileImpl(fd, path, mode, seekable, start, stat.isFifo());
        } catch (IOException | RuntimeException | Error e) {
            Libc.close(fd);
            throw e;
        }
    }

    /** Refuses what an OS file does not open: sockets, and FIFOs unless allowed. Devices open. */
    private static void refuseSpecial(FileStat stat, String path, String operation, boolean allowFifo)
            throws NotRegularFileException {
        if (stat.isFifo() && !allowFifo) {
            throw new NotRegularFileException(path, operation, stat.typeName(), "opening it would wait, without"
                    + " bound, for a process at its other end; to read or write it as a stream, open it with"
                    + " OSFile.open(path, mode, OSFile.Option.ALLOW_FIFO)");
        }
        if (stat.type() == Libc.S_IFSOCK) {
            throw new NotRegularFileException(path, operation, stat.typeName(), "a socket is connected to, not"
                    + " opened");
        }
    }

    static OsFileImpl ofDescriptor(int fd, FileMode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        String path = "fd:" + fd;
        if (FileStat.of(fd, path, "open descriptor").isDirectory()) {
            throw new IsDirectoryException(path, "open descriptor");
        }
        long at = Libc.lseek(fd, 0, Libc.SEEK_CUR);
        boolean seekable = mode != FileMode.APPEND && at >= 0;
        return new OsFileImpl(fd, path, mode, seekable, Math.max(0, at), false);
    }

    private long statSize(int f) throws FileSystemException {
        return FileStat.of(f, path, "size").size();
    }

    // ---- properties -----------------------------------------------------------------------------------------

    /** Every call but close throws on a closed file, the properties included ({@link org.quiver.io.NativeFile}). */
    private void checkOpen() {
        if (fd.isClosed()) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public String path() {
        checkOpen();
        return path;
    }

    @Override
    public int descriptor() {
        return fd.number();
    }

    @Override
    public FileMode mode() {
        checkOpen();
        return mode;
    }

    @Override
    public boolean isClosed() {
        return fd.isClosed();
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
        return positional;
    }

    @Override
    public long tell() {
        fd.acquire();
        try {
            return position;
        } finally {
            fd.release();
        }
    }

    /** The file's attributes, asked through its descriptor: the open file's, whatever its path names now. */
    @Override
    public Map<String, String> metadata() throws IOException {
        int f = fd.acquire();
        try {
            return LocalMetadata.ofDescriptor(f, path);
        } finally {
            fd.release();
        }
    }

    @Override
    public long size() throws IOException {
        int f = fd.acquire();
        try {
            requirePositional("size");
            return statSize(f);
        } finally {
            fd.release();
        }
    }

    @Override
    public void seek(long newPosition) throws IOException {
        int f = fd.acquire();
        try {
            requirePositional("seek");
            Checks.checkPosition(newPosition);
            position = newPosition; // past the end too, as POSIX and pyarrow: a read there finds the end
        } finally {
            fd.release();
        }
    }

    private void requirePositional(String operation) {
        if (!positional) {
            throw new UnsupportedOperationException(operation + ": not seekable: " + this);
        }
    }

    private void requireReadable(String operation) throws FileModeException {
        if (!readable) {
            throw new FileModeException(path, operation, mode);
        }
    }

    private void requireWritable(String operation) throws FileModeException {
        if (!writable) {
            throw new ReadOnlyFileException(path, operation);
        }
    }

    // ---- reading --------------------------------------------------------------------------------------------

    /**
     * One read of at most {@code length} bytes (0 at the end), retried on EINTR. On a non-blocking descriptor (an
     * allowed FIFO, or one the caller handed over) an empty pipe waits in {@link #awaitOtherEnd}.
     */
    private long readOnce(int f, MemorySegment dst, long length, long at) throws IOException {
        while (true) {
            long r = at >= 0 ? Libc.pread(f, dst, length, at) : Libc.read(f, dst, length);
            if (r > 0) {
                noWriterSeen = false;
                return r;
            }
            if (r == 0) {
                if (!noWriterSeen) {
                    return 0;
                }
                // no writer has opened the FIFO yet; poll says when one has written, or has come and gone
                awaitOtherEnd(f, Libc.POLLIN, "read");
                noWriterSeen = false;
                continue;
            }
            int errno = Libc.errno();
            if (errno == Libc.EAGAIN) {
                awaitOtherEnd(f, Libc.POLLIN, "read");
            } else if (errno != Libc.EINTR) {
                throw Errors.of(errno, path, "read position=" + (at >= 0 ? at : position) + " length=" + length);
            }
        }
    }

    /**
     * Waits until {@code events} (or the other end's close) on a non-blocking pipe, in slices, so that an
     * interrupt or a close by another thread ends the wait (a thread blocked in {@code read(2)} or
     * {@code open(2)} could not be reached).
     */
    private void awaitOtherEnd(int f, short events, String operation) throws IOException {
        while (true) {
            if (Thread.currentThread().isInterrupted()) {
                throw new InterruptedIOException(path + ": " + operation + " interrupted while waiting for the"
                        + " other end of the pipe");
            }
            if (fd.isClosed()) {
                throw new IllegalStateException("closed");
            }
            int revents = Libc.poll(f, events, WAIT_SLICE_MILLIS);
            if (revents > 0) {
                return; // ready, or the other end is gone (POLLHUP, POLLERR): the next call tells which
            }
            if (revents < 0 && Libc.errno() != Libc.EINTR) {
                throw Errors.of(Libc.errno(), path, "wait to " + operation);
            }
        }
    }

    /** Reads into native memory until {@code length} bytes or the end. */
    private long readFully(int f, MemorySegment dst, long length, long at) throws IOException {
        long n = 0;
        while (n < length) {
            long r = readOnce(f, dst.asSlice(n), length - n, at < 0 ? -1 : at + n);
            if (r == 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        int f = fd.acquire();
        try {
            requireReadable("read");
            if (length == 0) {
                return 0;
            }
            MemorySegment scratch = Scratch.get();
            long r = readOnce(f, scratch, Math.min(length, Scratch.SIZE), positional ? position : -1);
            if (r == 0) {
                return -1;
            }
            MemorySegment.copy(scratch, ValueLayout.JAVA_BYTE, 0, dst, offset, (int) r);
            position += r;
            return (int) r;
        } finally {
            fd.release();
        }
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        int f = fd.acquire();
        try {
            requireReadable("read");
            if (!dst.isMutable()) {
                throw new UnsupportedOperationException("read into a read-only buffer: size=" + dst.size());
            }
            if (length == 0) {
                return 0;
            }
            long r = readInto(f, dst, offset, length, positional ? position : -1, false);
            if (r == 0) {
                return -1;
            }
            position += r;
            return r;
        } finally {
            fd.release();
        }
    }

    /** Reads into a buffer: straight into native memory, through the scratch segment for heap memory. */
    private long readInto(int f, Buffer dst, long offset, long length, long at, boolean fully)
            throws IOException {
        MemorySegment target = dst.asSegment().asSlice(offset, length);
        if (target.isNative()) {
            return fully ? readFully(f, target, length, at) : readOnce(f, target, length, at);
        }
        MemorySegment scratch = Scratch.get();
        long n = 0;
        while (n < length) {
            long chunk = Math.min(length - n, Scratch.SIZE);
            long r = readOnce(f, scratch, chunk, at < 0 ? -1 : at + n);
            if (r == 0) {
                break;
            }
            MemorySegment.copy(scratch, 0, target, n, r);
            n += r;
            if (!fully) {
                break;
            }
        }
        return n;
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        int f = fd.acquire();
        try {
            requireReadable("readBuffer");
            if (!positional) {
                return ReadLoops.readBuffer(this, length, pool);
            }
            Buffer b = readBufferAt(f, position, length, pool);
            position += b.size();
            return b;
        } finally {
            fd.release();
        }
    }

    /**
     * Reads up to this much without asking the file's size first: an {@code fstat} costs about half of a
     * page-cached 4 KiB {@code pread}. A short read is shrunk (to nothing past the end); a longer request
     * asks for the size so that it never allocates much more than the file holds.
     */
    private static final long READ_WITHOUT_STAT = 1 << 20;

    /** Where a buffer starts when the file's size says less than is asked (it grows by doubling from here). */
    private static final long GROWTH_START = 64 << 10;

    /**
     * Reads up to {@code length} bytes at {@code at} into a buffer from {@code pool}. The reported size only
     * sizes the buffer: reads go on to the end of the file, because the kernel's pseudo files report 0 (or a
     * page) whatever they hold, and a file may grow meanwhile. When the buffer is full below {@code length}, a
     * read into the scratch segment asks for more before the buffer grows, so a file that does end there costs
     * one more {@code pread} and no reallocation.
     */
    private Buffer readBufferAt(int f, long at, long length, MemoryPool pool) throws IOException {
        long capacity = length;
        if (length > READ_WITHOUT_STAT) {
            capacity = Math.min(length, Math.max(statSize(f) - at, GROWTH_START));
        }
        ResizableBuffer buffer = pool.allocate(capacity);
        try {
            long n = capacity == 0 ? 0 : readInto(f, buffer, 0, capacity, at, true);
            while (n == capacity && n < length) {
                MemorySegment scratch = Scratch.get();
                long more = readOnce(f, scratch, Math.min(Scratch.SIZE, length - n), at + n);
                if (more == 0) {
                    break;
                }
                capacity = Math.min(length, Math.max(capacity * 2, n + more));
                buffer.resize(capacity, false);
                MemorySegment.copy(scratch, 0, buffer.asSegment(), n, more);
                n += more;
                n += readInto(f, buffer, n, capacity - n, at + n, true);
            }
            if (n < capacity) { // the end of the file (or it shrank meanwhile)
                buffer.resize(n, true);
            }
            return buffer;
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }

    @Override
    public int readAt(long at, byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        Checks.checkPosition(at);
        int f = fd.acquire();
        try {
            requireReadable("readAt");
            requirePositional("readAt");
            MemorySegment scratch = Scratch.get();
            long r = length == 0 ? 0 : readOnce(f, scratch, Math.min(length, Scratch.SIZE), at);
            if (r == 0) { // the end, or past it: nothing there, as pread(2) and pyarrow's read_at
                return length == 0 ? 0 : -1;
            }
            MemorySegment.copy(scratch, ValueLayout.JAVA_BYTE, 0, dst, offset, (int) r);
            return (int) r;
        } finally {
            fd.release();
        }
    }

    @Override
    public Buffer readBufferAt(long at, long length, MemoryPool pool) throws IOException {
        Checks.checkPosition(at);
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        int f = fd.acquire();
        try {
            requireReadable("readBufferAt");
            requirePositional("readBufferAt");
            return readBufferAt(f, at, length, pool);
        } finally {
            fd.release();
        }
    }

    @Override
    public void willNeed(long at, long length) throws IOException {
        if ((at | length) < 0) {
            throw new IllegalArgumentException("negative range: position=" + at + " length=" + length);
        }
        int f = fd.acquire();
        try {
            if (positional) {
                Libc.fadvise(f, at, length, Libc.POSIX_FADV_WILLNEED); // a hint: its failure changes nothing
            }
        } finally {
            fd.release();
        }
    }

    // ---- writing --------------------------------------------------------------------------------------------

    /**
     * Writes all of {@code src} at {@code at} (-1: sequentially), retrying short writes and EINTR: the piece of a
     * call of {@code total} bytes that starts {@code before} bytes into it. On failure the exception names the
     * call's operands and carries how many of its bytes did get through; {@code advance} then still moves the
     * position.
     */
    private void writeFully(int f, MemorySegment src, long length, long at, boolean advance, long before,
            long total) throws IOException {
        long done = 0;
        try {
            while (done < length) {
                MemorySegment rest = src.asSlice(done);
                long r = at >= 0 ? Libc.pwrite(f, rest, length - done, at + done) : Libc.write(f, rest, length - done);
                if (r < 0) {
                    int errno = Libc.errno();
                    if (errno == Libc.EINTR) {
                        continue;
                    }
                    if (errno == Libc.EAGAIN) { // a full pipe on a non-blocking descriptor
                        awaitOtherEnd(f, Libc.POLLOUT, "write");
                        continue;
                    }
                    throw Errors.of(errno, path, "write position=" + ((at >= 0 ? at : position) - before)
                            + " length=" + total, before + done);
                }
                done += r;
            }
        } finally {
            if (advance) {
                position += done;
            }
        }
    }

    private void writeSegment(int f, MemorySegment src, long at, boolean advance) throws IOException {
        long length = src.byteSize();
        if (src.isNative()) {
            writeFully(f, src, length, at, advance, 0, length);
            return;
        }
        MemorySegment scratch = Scratch.get();
        for (long n = 0; n < length; n += Scratch.SIZE) {
            long chunk = Math.min(Scratch.SIZE, length - n);
            MemorySegment.copy(src, n, scratch, 0, chunk);
            writeFully(f, scratch, chunk, at < 0 ? -1 : at + n, advance, n, length);
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        int f = fd.acquire();
        try {
            requireWritable("write");
            writeSegment(f, MemorySegment.ofArray(src).asSlice(offset, length), positional ? position : -1, true);
        } finally {
            fd.release();
        }
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        int f = fd.acquire();
        try {
            requireWritable("write");
            writeSegment(f, src.asSegment().asSlice(offset, length), positional ? position : -1, true);
        } finally {
            fd.release();
        }
    }

    @Override
    public void writeAt(long at, byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        int f = fd.acquire();
        try {
            requireWritable("writeAt");
            requirePositional("writeAt");
            writeSegment(f, MemorySegment.ofArray(src).asSlice(offset, length), at, false);
        } finally {
            fd.release();
        }
    }

    @Override
    public void writeAt(long at, Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        int f = fd.acquire();
        try {
            requireWritable("writeAt");
            requirePositional("writeAt");
            writeSegment(f, src.asSegment().asSlice(offset, length), at, false);
        } finally {
            fd.release();
        }
    }

    @Override
    public void flush() {
        fd.acquire(); // nothing is buffered here: writes are already in the kernel
        fd.release();
    }

    @Override
    public void close() throws IOException {
        fd.close();
    }

    /**
     * {@code OSFile[path=/x, mode=READ, position=10]}, with {@code , closed} once closed; the position of a
     * stream (a pipe, append mode) is the bytes moved so far.
     */
    @Override
    public String toString() {
        return "OSFile[path=" + path + ", mode=" + mode + ", position=" + position + (fd.isClosed() ? ", closed" : "")
                + "]";
    }
}
