package org.quiver.benchmarks;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;

/** The glibc calls the growth peers make directly: what Arrow's system pool and a hand-written mremap do. */
final class Libc {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final SymbolLookup LIBC = LINKER.defaultLookup();
    private static final ValueLayout PTR = ValueLayout.ADDRESS;
    private static final ValueLayout LONG = ValueLayout.JAVA_LONG;
    private static final ValueLayout INT = ValueLayout.JAVA_INT;

    static final int PROT_READ_WRITE = 0x1 | 0x2;
    static final int MAP_PRIVATE_ANONYMOUS = 0x02 | 0x20;
    static final int MREMAP_MAYMOVE = 1;
    static final long MAP_FAILED = -1L;

    private static final MethodHandle POSIX_MEMALIGN = handle("posix_memalign", FunctionDescriptor.of(INT, PTR, LONG, LONG));
    private static final MethodHandle FREE = handle("free", FunctionDescriptor.ofVoid(PTR));
    private static final MethodHandle MMAP = handle("mmap", FunctionDescriptor.of(PTR, PTR, LONG, INT, INT, INT, LONG));
    private static final MethodHandle MREMAP = handle("mremap", FunctionDescriptor.of(PTR, PTR, LONG, LONG, INT));
    private static final MethodHandle MUNMAP = handle("munmap", FunctionDescriptor.of(INT, PTR, LONG));

    private Libc() {
    }

    private static MethodHandle handle(String name, FunctionDescriptor descriptor) {
        return LINKER.downcallHandle(LIBC.find(name).orElseThrow(), descriptor);
    }

    /** {@code posix_memalign} with alignment 64; fails loudly. */
    static long posixMemalign(long size, MemorySegment out) {
        try {
            int rc = (int) POSIX_MEMALIGN.invokeExact(out, 64L, size);
            if (rc != 0) {
                throw new OutOfMemoryError("posix_memalign(" + size + ") = " + rc);
            }
            return out.get(ValueLayout.JAVA_LONG, 0);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void free(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long mmap(long length) {
        try {
            long p = ((MemorySegment) MMAP.invokeExact(MemorySegment.NULL, length, PROT_READ_WRITE,
                    MAP_PRIVATE_ANONYMOUS, -1, 0L)).address();
            if (p == MAP_FAILED) {
                throw new OutOfMemoryError("mmap(" + length + ") failed");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static long mremap(long address, long oldLength, long newLength) {
        try {
            long p = ((MemorySegment) MREMAP.invokeExact(MemorySegment.ofAddress(address), oldLength, newLength,
                    MREMAP_MAYMOVE)).address();
            if (p == MAP_FAILED) {
                throw new OutOfMemoryError("mremap(" + oldLength + " -> " + newLength + ") failed");
            }
            return p;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    static void munmap(long address, long length) {
        try {
            int ignored = (int) MUNMAP.invokeExact(MemorySegment.ofAddress(address), length);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            return r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        return new IllegalStateException(t);
    }
}
