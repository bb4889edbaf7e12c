package org.quiver.pool.system.internal;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Map;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.quiver.internal.kit.Libc;
import org.quiver.memory.spi.Allocator;
import org.quiver.internal.kit.NativeLibrary;

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
@Component(service = Allocator.class, property = "service.ranking:Integer=" + SystemAllocator.RANKING)
public final class SystemAllocator implements Allocator {

    /** This backend's ranking: the lowest of Quiver's backends: it serves when neither of the others can. */
    public static final int RANKING = 100;

    /** Default size from which blocks are mmapped. */
    public static final long DEFAULT_MMAP_THRESHOLD = 1L << 20;
    public static final String THRESHOLD_PROPERTY = "quiver.system.mmap.threshold";

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
        return RANKING;
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
        if (mapped(size, alignment)) {
            return map(size);
        }
        // aligned_alloc wants the size to be a multiple of the alignment.
        long rounded = (size + alignment - 1) & -alignment;
        return Libc.alignedAlloc(alignment, rounded);
    }

    private long map(long size) {
        long length = pages(size);
        MemorySegment p = Libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS,
                -1, 0L);
        if (p.address() == Libc.MAP_FAILED) {
            return 0;
        }
        // Best effort: transparent huge pages cut page faults about fourfold on large blocks.
        int ignored = Libc.madvise(p, length, Libc.MADV_HUGEPAGE);
        return p.address();
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        boolean wasMapped = mapped(oldSize, alignment);
        boolean willMap = mapped(newSize, alignment);
        if (wasMapped && willMap) {
            long oldLength = pages(oldSize);
            long newLength = pages(newSize);
            if (oldLength == newLength) {
                return address;
            }
            MemorySegment p = Libc.mremap(MemorySegment.ofAddress(address), oldLength, newLength);
            if (p.address() == Libc.MAP_FAILED) {
                return 0;
            }
            if (newLength > oldLength) {
                int ignored = Libc.madvise(p, newLength, Libc.MADV_HUGEPAGE);
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
    }

    @Override
    public void free(long address, long size, long alignment) {
        if (mapped(size, alignment)) {
            int rc = Libc.munmap(MemorySegment.ofAddress(address), pages(size));
            if (rc != 0) {
                throw new IllegalStateException("munmap failed: address=0x" + Long.toHexString(address)
                        + " size=" + size);
            }
        } else {
            Libc.free(address);
        }
    }

    @Override
    public void releaseUnused() {
        int ignored = Libc.mallocTrim(0L);
    }

    @Override
    public String toString() {
        return "SystemAllocator[mmapThreshold=" + threshold + "]";
    }

    /** What the allocator needs of the platform, checked once; {@code reason} says why not when it lacks it. */
    private record Natives(String reason, long pageSize, MemorySegment everything) {

        static Natives load() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (!os.contains("linux")) {
                return unavailable("the system allocator needs Linux (mremap, malloc_trim); os.name="
                        + System.getProperty("os.name"));
            }
            try {
                for (String f : new String[] {"aligned_alloc", "free", "mmap", "mremap", "munmap", "madvise",
                        "malloc_trim"}) {
                    if (!Libc.has(f)) {
                        return unavailable("libc functions not found: libc has no " + f);
                    }
                }
                return new Natives(null, Libc.PAGE_SIZE, MemorySegment.NULL.reinterpret(Long.MAX_VALUE));
            } catch (IllegalCallerException e) {
                return unavailable(NativeLibrary.nativeAccessDenied("org.quiver.pool.system"));
            } catch (LinkageError e) {
                return unavailable("libc functions not found: " + e);
            }
        }

        private static Natives unavailable(String reason) {
            return new Natives(reason, 4096, null);
        }
    }
}
