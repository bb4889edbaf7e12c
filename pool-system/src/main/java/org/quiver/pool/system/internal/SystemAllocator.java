package org.quiver.pool.system.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.quiver.memory.spi.Allocator;
import org.quiver.memory.spi.NativeLibrary;

/**
 * The libc allocator through FFM.
 *
 * <p>Ordinary blocks come from {@code aligned_alloc} and go back to {@code free}. Blocks of at least the mmap
 * threshold (1 MiB by default; system property or DS property {@code quiver.system.mmap.threshold}) come
 * straight from {@code mmap} with {@code madvise(MADV_HUGEPAGE)}, and grow with {@code mremap}: the kernel
 * moves page mappings instead of copying bytes, and page-aligned blocks stay 64-byte aligned. Plain
 * {@code realloc} would use mremap too but loses the alignment (measured: address % 64 = 16).
 *
 * <p>Whether a block is mmapped is decided from its size and alignment alone (the pool always passes the
 * size it allocated), so no header and no lookup table are needed.
 *
 * <p>{@code aligned_alloc} rather than {@code posix_memalign}: the same glibc memalign path, but it returns the
 * address instead of writing it through a pointer, which would cost an out-parameter segment per call.
 */
@Component(service = Allocator.class, property = "service.ranking:Integer=" + Allocator.SYSTEM_RANKING)
public final class SystemAllocator implements Allocator {

    /** Default size from which blocks are mmapped. */
    public static final long DEFAULT_MMAP_THRESHOLD = 1L << 20;
    public static final String THRESHOLD_PROPERTY = "quiver.system.mmap.threshold";

    private static final int PROT_READ = 1;
    private static final int PROT_WRITE = 2;
    private static final int MAP_PRIVATE = 2;
    private static final int MAP_ANONYMOUS = 0x20;
    private static final int MREMAP_MAYMOVE = 1;
    private static final int MADV_HUGEPAGE = 14;
    private static final long MAP_FAILED = -1L;

    private static final Natives NATIVES = Natives.load();

    private final long threshold;

    /** For ServiceLoader: threshold from the system property or the default. */
    public SystemAllocator() {
        this(Long.getLong(THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD));
    }

    /** For Declarative Services: threshold from the component property, else the system property. */
    @Activate
    public SystemAllocator(Map<String, Object> properties) {
        this(threshold(properties));
    }

    /**
     * An allocator that mmaps blocks of at least {@code mmapThreshold} bytes.
     *
     * @throws IllegalArgumentException if the threshold is below one page
     */
    public SystemAllocator(long mmapThreshold) {
        if (NATIVES.reason == null && mmapThreshold < NATIVES.pageSize) {
            throw new IllegalArgumentException("mmap threshold below the page size: threshold=" + mmapThreshold
                    + " pageSize=" + NATIVES.pageSize);
        }
        this.threshold = mmapThreshold;
    }

    private static long threshold(Map<String, Object> properties) {
        Object v = properties == null ? null : properties.get(THRESHOLD_PROPERTY);
        if (v == null) {
            return Long.getLong(THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD);
        }
        return v instanceof Number n ? n.longValue() : Long.parseLong(v.toString().trim());
    }

    /** The size from which blocks are mmapped. */
    public long mmapThreshold() {
        return threshold;
    }

    @Override
    public String name() {
        return "system";
    }

    @Override
    public int ranking() {
        return SYSTEM_RANKING;
    }

    @Override
    public String unavailableReason() {
        return NATIVES.reason;
    }

    private boolean mapped(long size, long alignment) {
        return size >= threshold && alignment <= NATIVES.pageSize;
    }

    private long pages(long size) {
        long page = NATIVES.pageSize;
        return (size + page - 1) & -page;
    }

    @Override
    public long allocate(long size, long alignment) {
        try {
            if (mapped(size, alignment)) {
                return map(size);
            }
            // aligned_alloc wants the size to be a multiple of the alignment.
            long rounded = (size + alignment - 1) & -alignment;
            return ((MemorySegment) NATIVES.alignedAlloc.invokeExact(alignment, rounded)).address();
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private long map(long size) throws Throwable {
        long length = pages(size);
        MemorySegment p = (MemorySegment) NATIVES.mmap.invokeExact(MemorySegment.NULL, length,
                PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS, -1, 0L);
        if (p.address() == MAP_FAILED) {
            return 0;
        }
        // Best effort: transparent huge pages cut page faults about fourfold on large blocks.
        int ignored = (int) NATIVES.madvise.invokeExact(p, length, MADV_HUGEPAGE);
        return p.address();
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        try {
            boolean wasMapped = mapped(oldSize, alignment);
            boolean willMap = mapped(newSize, alignment);
            if (wasMapped && willMap) {
                long oldLength = pages(oldSize);
                long newLength = pages(newSize);
                if (oldLength == newLength) {
                    return address;
                }
                MemorySegment p = (MemorySegment) NATIVES.mremap.invokeExact(MemorySegment.ofAddress(address),
                        oldLength, newLength, MREMAP_MAYMOVE);
                if (p.address() == MAP_FAILED) {
                    return 0;
                }
                if (newLength > oldLength) {
                    int ignored = (int) NATIVES.madvise.invokeExact(p, newLength, MADV_HUGEPAGE);
                }
                return p.address();
            }
            long fresh = allocate(newSize, alignment);
            if (fresh == 0) {
                return 0;
            }
            long n = Math.min(oldSize, newSize);
            MemorySegment.copy(NATIVES.everything, address, NATIVES.everything, fresh, n);
            free(address, oldSize, alignment);
            return fresh;
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void free(long address, long size, long alignment) {
        try {
            if (mapped(size, alignment)) {
                int rc = (int) NATIVES.munmap.invokeExact(MemorySegment.ofAddress(address), pages(size));
                if (rc != 0) {
                    throw new IllegalStateException("munmap failed: address=0x" + Long.toHexString(address)
                            + " size=" + size);
                }
            } else {
                NATIVES.free.invokeExact(MemorySegment.ofAddress(address));
            }
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    @Override
    public void releaseUnused() {
        try {
            int ignored = (int) NATIVES.mallocTrim.invokeExact(0L);
        } catch (Throwable t) {
            throw rethrow(t);
        }
    }

    private static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }

    @Override
    public String toString() {
        return "SystemAllocator[mmapThreshold=" + threshold + "]";
    }

    /** The libc functions, looked up once; {@code reason} says why not when they cannot be. */
    private record Natives(String reason, long pageSize, MemorySegment everything, MethodHandle alignedAlloc,
            MethodHandle free, MethodHandle mmap, MethodHandle mremap, MethodHandle munmap, MethodHandle madvise,
            MethodHandle mallocTrim) {

        static Natives load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                return unavailable("the system allocator needs Linux (mremap, malloc_trim); os.name="
                        + System.getProperty("os.name"));
            }
            try {
                Linker linker = Linker.nativeLinker();
                SymbolLookup libc = linker.defaultLookup();
                ValueLayout.OfLong sizeT = ValueLayout.JAVA_LONG;
                var ptr = ValueLayout.ADDRESS;
                Linker.Option fast = Linker.Option.critical(false);
                MethodHandle sysconf = linker.downcallHandle(find(libc, "sysconf"),
                        FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
                long page = (long) sysconf.invokeExact(30); // _SC_PAGESIZE
                return new Natives(null, page, MemorySegment.NULL.reinterpret(Long.MAX_VALUE),
                        linker.downcallHandle(find(libc, "aligned_alloc"), FunctionDescriptor.of(ptr, sizeT, sizeT),
                                fast),
                        linker.downcallHandle(find(libc, "free"), FunctionDescriptor.ofVoid(ptr), fast),
                        linker.downcallHandle(find(libc, "mmap"), FunctionDescriptor.of(ptr, ptr, sizeT,
                                ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG)),
                        linker.downcallHandle(find(libc, "mremap"), FunctionDescriptor.of(ptr, ptr, sizeT, sizeT,
                                ValueLayout.JAVA_INT)),
                        linker.downcallHandle(find(libc, "munmap"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ptr,
                                sizeT)),
                        linker.downcallHandle(find(libc, "madvise"), FunctionDescriptor.of(ValueLayout.JAVA_INT, ptr,
                                sizeT, ValueLayout.JAVA_INT)),
                        linker.downcallHandle(find(libc, "malloc_trim"), FunctionDescriptor.of(ValueLayout.JAVA_INT,
                                sizeT)));
            } catch (IllegalCallerException e) {
                return unavailable(NativeLibrary.nativeAccessDenied("org.quiver.pool.system"));
            } catch (Throwable t) {
                return unavailable("libc functions not found: " + t.getMessage());
            }
        }

        private static MemorySegment find(SymbolLookup lookup, String name) {
            return lookup.find(name).orElseThrow(() -> new IllegalStateException("symbol " + name + " not found"));
        }

        private static Natives unavailable(String reason) {
            return new Natives(reason, 4096, null, null, null, null, null, null, null, null);
        }
    }
}
