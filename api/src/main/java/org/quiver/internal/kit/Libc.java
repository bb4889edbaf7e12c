package org.quiver.internal.kit;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemoryLayout;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.StructLayout;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.VarHandle;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The C library calls Quiver makes (Linux, LP64): behind OS files and memory maps, the system allocator, and
 * the dynamic linker. The file and mapping calls capture {@code errno}: a call returns the C result; on failure
 * (-1, or {@code MAP_FAILED}) {@link #errno()} holds the error of this thread's last call. The capture segment is
 * per thread, so calls from many threads do not mix their errors.
 *
 * <p>Every function is linked when this class loads; one the platform's libc lacks ({@code mremap} off Linux)
 * throws {@link UnsatisfiedLinkError} when called, and {@link #has(String)} tells beforehand.
 */
public final class Libc {

    public static final int O_RDONLY = 0;
    public static final int O_WRONLY = 1;
    public static final int O_RDWR = 2;
    public static final int O_CREAT = 0100;
    public static final int O_EXCL = 0200;
    public static final int O_TRUNC = 01000;
    public static final int O_APPEND = 02000;
    public static final int O_NONBLOCK = 04000;
    public static final int O_CLOEXEC = 02000000;
    public static final int F_SETFL = 4;

    public static final int SEEK_CUR = 1;
    public static final int SEEK_END = 2;

    public static final int AT_FDCWD = -100;
    public static final int AT_EMPTY_PATH = 0x1000;
    public static final int STATX_BASIC_STATS = 0x7ff;
    public static final int S_IFMT = 0170000;
    public static final int S_IFREG = 0100000;
    public static final int S_IFDIR = 0040000;
    public static final int S_IFIFO = 0010000;
    public static final int S_IFCHR = 0020000;
    public static final int S_IFBLK = 0060000;
    public static final int S_IFSOCK = 0140000;

    public static final short POLLIN = 1;
    public static final short POLLOUT = 4;

    public static final int PROT_READ = 1;
    public static final int PROT_WRITE = 2;
    public static final int MAP_SHARED = 1;
    public static final long MAP_FAILED = -1L;
    public static final int MAP_PRIVATE = 2;
    public static final int MAP_ANONYMOUS = 0x20;
    public static final int MAP_FIXED = 0x10;
    public static final int MAP_NORESERVE = 0x4000;
    public static final int MREMAP_MAYMOVE = 1;
    public static final int MADV_WILLNEED = 3;
    public static final int MADV_HUGEPAGE = 14;
    public static final int RTLD_LAZY = 0x1;
    public static final int POSIX_FADV_WILLNEED = 3;
    public static final int SC_PAGESIZE = 30;

    public static final int EPERM = 1;
    public static final int ENOENT = 2;
    public static final int EINTR = 4;
    public static final int ENXIO = 6;
    public static final int EAGAIN = 11;
    public static final int EACCES = 13;
    public static final int EFAULT = 14;
    public static final int EEXIST = 17;
    public static final int ENODEV = 19;
    public static final int ENOTDIR = 20;
    public static final int EISDIR = 21;
    public static final int EINVAL = 22;
    public static final int ENOSPC = 28;
    public static final int EROFS = 30;
    public static final int ENOTEMPTY = 39;
    public static final int EDQUOT = 122;

    private static final Set<String> BOUND = ConcurrentHashMap.newKeySet();
    private static final SymbolLookup LIBC = Linker.nativeLinker().defaultLookup();
    private static final StructLayout CAPTURE = Linker.Option.captureStateLayout();
    private static final VarHandle ERRNO =
            CAPTURE.varHandle(MemoryLayout.PathElement.groupElement("errno")).withInvokeExactBehavior();
    private static final ThreadLocal<MemorySegment> STATE =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(CAPTURE));

    private static final MethodHandle OPEN = errnoCall("open", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle CLOSE = errnoCall("close", FunctionDescriptor.of(JAVA_INT, JAVA_INT));
    private static final MethodHandle READ = errnoCall("read", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle WRITE = errnoCall("write", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle PREAD =
            errnoCall("pread", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle PWRITE =
            errnoCall("pwrite", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle LSEEK = errnoCall("lseek", FunctionDescriptor.of(JAVA_LONG, JAVA_INT, JAVA_LONG, JAVA_INT));
    private static final MethodHandle FTRUNCATE = errnoCall("ftruncate", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle STATX = errnoCall("statx",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS, JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle FCNTL = errnoCall("fcntl", FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_INT, JAVA_INT),
            Linker.Option.firstVariadicArg(2));
    private static final MethodHandle POLL = errnoCall("poll", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    private static final MethodHandle MMAP = errnoCall("mmap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_INT, JAVA_INT, JAVA_INT, JAVA_LONG));
    private static final MethodHandle MUNMAP = errnoCall("munmap", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG));
    private static final MethodHandle STATVFS = errnoCall("statvfs", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle FSTATVFS = errnoCall("fstatvfs", FunctionDescriptor.of(JAVA_INT, JAVA_INT, ADDRESS));
    private static final MethodHandle MADVISE = errnoCall("madvise", FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_INT));
    /** Returns the error number itself; it does not set errno. */
    private static final MethodHandle FADVISE = call("posix_fadvise",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG, JAVA_INT));
    /** Returns the error number itself; it does not set errno. */
    private static final MethodHandle FALLOCATE = call("posix_fallocate",
            FunctionDescriptor.of(JAVA_INT, JAVA_INT, JAVA_LONG, JAVA_LONG));
    // variadic after flags (an optional new address, which Quiver never passes)
    private static final MethodHandle MREMAP = errnoCall("mremap",
            FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_LONG, JAVA_LONG, JAVA_INT), Linker.Option.firstVariadicArg(4));
    private static final MethodHandle ALIGNED_ALLOC = call("aligned_alloc",
            FunctionDescriptor.of(ADDRESS, JAVA_LONG, JAVA_LONG), Downcalls.shortCall());
    private static final MethodHandle FREE = call("free", FunctionDescriptor.ofVoid(ADDRESS), Downcalls.shortCall());
    private static final MethodHandle POSIX_MEMALIGN = call("posix_memalign",
            FunctionDescriptor.of(JAVA_INT, ADDRESS, JAVA_LONG, JAVA_LONG));
    private static final MethodHandle MALLOC_TRIM = call("malloc_trim", FunctionDescriptor.of(JAVA_INT, JAVA_LONG));
    private static final MethodHandle OPEN_MEMSTREAM = call("open_memstream",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS));
    private static final MethodHandle FCLOSE = call("fclose", FunctionDescriptor.of(JAVA_INT, ADDRESS));
    private static final MethodHandle MALLOC_INFO = call("malloc_info", FunctionDescriptor.of(JAVA_INT, JAVA_INT,
            ADDRESS));
    private static final MethodHandle DLOPEN = call("dlopen", FunctionDescriptor.of(ADDRESS, ADDRESS, JAVA_INT));
    private static final MethodHandle DLERROR = call("dlerror", FunctionDescriptor.of(ADDRESS));
    private static final MethodHandle DLADDR = call("dladdr", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS));
    private static final MethodHandle STRERROR = call("strerror", FunctionDescriptor.of(ADDRESS, JAVA_INT));
    private static final MethodHandle SYSCONF = call("sysconf", FunctionDescriptor.of(JAVA_LONG, JAVA_INT));

    /** The page size, for mapping at offsets. */
    public static final long PAGE_SIZE = pageSize();

    private Libc() {
    }

    private static MethodHandle errnoCall(String name, FunctionDescriptor descriptor, Linker.Option... extra) {
        Linker.Option[] options = new Linker.Option[extra.length + 1];
        options[0] = Linker.Option.captureCallState("errno");
        System.arraycopy(extra, 0, options, 1, extra.length);
        return call(name, descriptor, options);
    }

    private static MethodHandle call(String name, FunctionDescriptor descriptor, Linker.Option... options) {
        MethodHandle h = Downcalls.link(LIBC, "libc", name, descriptor, options);
        if (Downcalls.isLinked(h)) {
            BOUND.add(name);
        }
        return h;
    }

    /** Whether {@code function} is one this class binds and the C library defines (checked at load). */
    public static boolean has(String function) {
        return BOUND.contains(function);
    }

    private static long pageSize() {
        // _SC_PAGESIZE is 30 on Linux only; elsewhere (and without sysconf) the common page size
        if (!System.getProperty("os.name", "").toLowerCase(java.util.Locale.ROOT).contains("linux") || !has("sysconf")) {
            return 4096;
        }
        try {
            long size = (long) SYSCONF.invokeExact(SC_PAGESIZE);
            return size > 0 ? size : 4096;
        } catch (Throwable t) {
            return 4096;
        }
    }

    private static MemorySegment state() {
        return STATE.get();
    }

    /** The errno of this thread's last call through this class. */
    public static int errno() {
        return (int) ERRNO.get(state(), 0L);
    }

    /** The C library's text for an error number. */
    public static String strerror(int errno) {
        try {
            MemorySegment text = (MemorySegment) STRERROR.invokeExact(errno);
            return text.equals(MemorySegment.NULL) ? "error " + errno : text.reinterpret(1024).getString(0);
        } catch (Throwable t) {
            return "error " + errno;
        }
    }

    public static int open(String path, int flags, int mode) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) OPEN.invokeExact(state(), arena.allocateFrom(path), flags, mode);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int close(int fd) {
        try {
            return (int) CLOSE.invokeExact(state(), fd);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long read(int fd, MemorySegment dst, long length) {
        try {
            return (long) READ.invokeExact(state(), fd, dst, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long write(int fd, MemorySegment src, long length) {
        try {
            return (long) WRITE.invokeExact(state(), fd, src, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pread(int fd, MemorySegment dst, long length, long position) {
        try {
            return (long) PREAD.invokeExact(state(), fd, dst, length, position);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long pwrite(int fd, MemorySegment src, long length, long position) {
        try {
            return (long) PWRITE.invokeExact(state(), fd, src, length, position);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static long lseek(int fd, long offset, int whence) {
        try {
            return (long) LSEEK.invokeExact(state(), fd, offset, whence);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int ftruncate(int fd, long size) {
        try {
            return (int) FTRUNCATE.invokeExact(state(), fd, size);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code statx} of an open descriptor into {@code buffer} (256 bytes: struct statx). */
    public static int fstatx(int fd, MemorySegment buffer) {
        try {
            return (int) STATX.invokeExact(state(), fd, EMPTY, AT_EMPTY_PATH, STATX_BASIC_STATS, buffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static final MemorySegment EMPTY = Arena.global().allocateFrom("");

    /** {@code statx} of a path, following links, into {@code buffer} (256 bytes: struct statx). */
    public static int statx(String path, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) STATX.invokeExact(state(), AT_FDCWD, arena.allocateFrom(path), 0, STATX_BASIC_STATS, buffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code fcntl(fd, F_SETFL, flags)}: sets the status flags ({@code O_APPEND}, {@code O_NONBLOCK} ...). */
    public static int setStatusFlags(int fd, int flags) {
        try {
            return (int) FCNTL.invokeExact(state(), fd, F_SETFL, flags);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Waits up to {@code timeoutMillis} for {@code events} on one descriptor.
     *
     * @return the events that occurred ({@code POLLHUP} and {@code POLLERR} included), 0 on timeout, -1 on error
     */
    public static int poll(int fd, short events, int timeoutMillis) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment pollfd = arena.allocate(8, 4); // struct pollfd { int fd; short events; short revents; }
            pollfd.set(JAVA_INT, 0, fd);
            pollfd.set(ValueLayout.JAVA_SHORT, 4, events);
            int n = (int) POLL.invokeExact(state(), pollfd, 1L, timeoutMillis);
            return n <= 0 ? n : pollfd.get(ValueLayout.JAVA_SHORT, 6) & 0xFFFF;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static MemorySegment mmap(long length, int prot, int flags, int fd, long offset) {
        try {
            return (MemorySegment) MMAP.invokeExact(state(), MemorySegment.NULL, length, prot, flags, fd, offset);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * Replaces {@code length} bytes of mappings at {@code address} with fresh private anonymous memory
     * ({@code MAP_FIXED}): whatever was mapped there (a file) is released at once, while the range stays mapped
     * and reads as zeros.
     *
     * @return false when the kernel refused (the old mapping is then unchanged)
     */
    public static boolean replaceWithAnonymous(MemorySegment address, long length) {
        try {
            MemorySegment r = (MemorySegment) MMAP.invokeExact(state(), address, length, PROT_READ | PROT_WRITE,
                    MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED | MAP_NORESERVE, -1, 0L);
            return r.address() == address.address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * glibc's {@code malloc_info(0, stream)}: its arenas, bins and totals as XML, written into memory through
     * {@code open_memstream}.
     *
     * @throws IllegalStateException if the C library refused
     */
    public static String mallocInfo() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment bufferPointer = arena.allocate(ADDRESS);
            MemorySegment sizePointer = arena.allocate(JAVA_LONG);
            MemorySegment stream = (MemorySegment) OPEN_MEMSTREAM.invokeExact(bufferPointer, sizePointer);
            if (stream.equals(MemorySegment.NULL)) {
                throw new IllegalStateException("open_memstream failed");
            }
            int rc = (int) MALLOC_INFO.invokeExact(0, stream);
            int closed = (int) FCLOSE.invokeExact(stream); // writes the size and the final buffer
            MemorySegment text = bufferPointer.get(ADDRESS, 0);
            try {
                if (rc != 0 || closed != 0) {
                    throw new IllegalStateException("malloc_info failed: rc=" + rc + " fclose=" + closed);
                }
                long size = sizePointer.get(JAVA_LONG, 0);
                return new String(text.reinterpret(size).toArray(ValueLayout.JAVA_BYTE),
                        java.nio.charset.StandardCharsets.UTF_8);
            } finally {
                FREE.invokeExact(text);
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int munmap(MemorySegment address, long length) {
        try {
            return (int) MUNMAP.invokeExact(state(), address, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Bytes of {@code struct statvfs} (LP64: eleven longs and six ints of padding), rounded up. */
    public static final long STATVFS_SIZE = 128;
    /** Offsets in {@code struct statvfs}: free blocks, and free blocks for unprivileged users. */
    public static final long F_BFREE = 24;
    public static final long F_BAVAIL = 32;

    /** {@code statvfs} of the file system holding {@code path}, into {@code buffer} ({@link #STATVFS_SIZE}). */
    public static int statvfs(String path, MemorySegment buffer) {
        try (Arena arena = Arena.ofConfined()) {
            return (int) STATVFS.invokeExact(state(), arena.allocateFrom(path), buffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code fstatvfs} of the file system holding {@code fd}, into {@code buffer} ({@link #STATVFS_SIZE}). */
    public static int fstatvfs(int fd, MemorySegment buffer) {
        try {
            return (int) FSTATVFS.invokeExact(state(), fd, buffer);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    public static int madvise(MemorySegment address, long length, int advice) {
        try {
            return (int) MADVISE.invokeExact(state(), address, length, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Returns 0 or the error number. */
    public static int fadvise(int fd, long offset, long length, int advice) {
        try {
            return (int) FADVISE.invokeExact(fd, offset, length, advice);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** Reserves disk blocks; returns 0 or the error number. */
    public static int fallocate(int fd, long offset, long length) {
        try {
            return (int) FALLOCATE.invokeExact(fd, offset, length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- the system allocator ----------------------------------------------------------------------------------

    /** {@code aligned_alloc}, a short call ({@link Downcalls#shortCall()}); 0 when out of memory. */
    public static long alignedAlloc(long alignment, long size) {
        try {
            return ((MemorySegment) ALIGNED_ALLOC.invokeExact(alignment, size)).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code free}, a short call ({@link Downcalls#shortCall()}). */
    public static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /**
     * {@code posix_memalign}: what Arrow's own system pool calls.
     *
     * @return the address, or 0 when out of memory
     */
    public static long posixMemalign(long alignment, long size) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(JAVA_LONG);
            int rc = (int) POSIX_MEMALIGN.invokeExact(out, alignment, size);
            return rc == 0 ? out.get(JAVA_LONG, 0) : 0;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code mremap(address, oldLength, newLength, MREMAP_MAYMOVE)}; {@code MAP_FAILED} and errno on failure. */
    public static MemorySegment mremap(MemorySegment address, long oldLength, long newLength) {
        try {
            return (MemorySegment) MREMAP.invokeExact(state(), address, oldLength, newLength, MREMAP_MAYMOVE);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code malloc_trim(pad)}: gives free heap memory back to the operating system. */
    public static int mallocTrim(long pad) {
        try {
            return (int) MALLOC_TRIM.invokeExact(pad);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    // ---- the dynamic linker -------------------------------------------------------------------------------------

    /** {@code dlopen(file, RTLD_LAZY)}: the handle, or {@code NULL} with the reason in {@link #dlerror()}. */
    public static MemorySegment dlopen(String file) {
        try (Arena arena = Arena.ofConfined()) {
            return (MemorySegment) DLOPEN.invokeExact(arena.allocateFrom(file), RTLD_LAZY);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** {@code dlerror()}: the dynamic linker's last message, or {@code null}. */
    public static String dlerror() {
        try {
            MemorySegment message = (MemorySegment) DLERROR.invokeExact();
            return message.equals(MemorySegment.NULL) ? null : message.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    /** The file of the shared object that defines {@code symbol} ({@code dladdr}), or {@code null}. */
    public static String dladdrFile(MemorySegment symbol) {
        if (!has("dladdr")) {
            return null;
        }
        try (Arena arena = Arena.ofConfined()) {
            // Dl_info: file name, base, symbol name, symbol address
            MemorySegment info = arena.allocate(4 * ADDRESS.byteSize(), ADDRESS.byteAlignment());
            int ok = (int) DLADDR.invokeExact(symbol, info);
            if (ok == 0) {
                return null;
            }
            MemorySegment fname = info.get(ADDRESS, 0);
            return fname.equals(MemorySegment.NULL) ? null : fname.reinterpret(4096).getString(0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        return Downcalls.rethrow(t);
    }
}
