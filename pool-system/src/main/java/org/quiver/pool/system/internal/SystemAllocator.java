package org.quiver.pool.system.internal;

import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Map;

import org.quiver.internal.kit.Libc;
import org.quiver.internal.kit.MappedBlocks;
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
public final class SystemAllocator implements Allocator {

    /** This backend's ranking: the lowest of Quiver's backends: it serves when neither of the others can. */
    public static final int RANKING = 100;

    /** Default size from which blocks are mmapped. */
    public static final long DEFAULT_MMAP_THRESHOLD = 1L << 20;
    public static final String THRESHOLD_PROPERTY = "quiver.system.mmap.threshold";

    private static final Natives NATIVES = Natives.load();

    private final long threshold;
    /** The blocks of at least the threshold; null where the allocator is unavailable. */
    private final MappedBlocks blocks;

    /** For ServiceLoader: threshold from the system property or the default. */
    public SystemAllocator() {
        this(Long.getLong(THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD));
    }

    /**
     * With settings (inside OSGi, from its configuration {@code org.quiver.pool.system}): {@code mmap.threshold},
     * else the system property, else the default.
     */
    public SystemAllocator(Map<String, ?> settings) {
        this(threshold(settings));
    }

    /**
     * An allocator that mmaps blocks of at least {@code mmapThreshold} bytes.
     *
     * @throws IllegalArgumentException if the threshold is below one page
     */
    public SystemAllocator(long mmapThreshold) {
        this.blocks = NATIVES.reason == null ? new MappedBlocks(mmapThreshold, SystemAllocator::alignedAlloc,
                (address, size, alignment) -> Libc.free(address)) : null;
        this.threshold = mmapThreshold;
    }

    private static long threshold(Map<String, ?> settings) {
        Object v = settings == null ? null : settings.get(MappedBlocks.SETTING);
        return v == null ? Long.getLong(THRESHOLD_PROPERTY, DEFAULT_MMAP_THRESHOLD) : MappedBlocks.threshold(v.toString());
    }

    /** The size from which blocks are mmapped. */
    public long mmapThreshold() {
        return threshold;
    }

    /** {@code mmap.threshold}: fixed for this allocator's life (its configuration makes a new one to change it). */
    @Override
    public Map<String, String> options() {
        return Map.of(MappedBlocks.SETTING, Long.toString(threshold));
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

    @Override
    public long allocate(long size, long alignment) {
        return blocks.mapped(size, alignment) ? blocks.map(size) : alignedAlloc(size, alignment);
    }

    private static long alignedAlloc(long size, long alignment) {
        // aligned_alloc wants the size to be a multiple of the alignment.
        long rounded = (size + alignment - 1) & -alignment;
        return Libc.alignedAlloc(alignment, rounded);
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        if (blocks.takes(oldSize, newSize, alignment)) {
            return blocks.reallocate(address, oldSize, newSize, alignment);
        }
        // realloc would lose the alignment (measured: address % 64 = 16), so a fresh aligned block and a copy.
        long fresh = alignedAlloc(newSize, alignment);
        if (fresh == 0) {
            return 0;
        }
        long n = Math.min(oldSize, newSize);
        MemorySegment.copy(NATIVES.everything, address, NATIVES.everything, fresh, n);
        Libc.free(address);
        return fresh;
    }

    @Override
    public void free(long address, long size, long alignment) {
        if (!blocks.unmapIfMapped(address, size, alignment)) {
            Libc.free(address);
        }
    }

    @Override
    public void releaseUnused() {
        int ignored = Libc.mallocTrim(0L);
    }

    /**
     * glibc's {@code malloc_info}: every arena's bins and totals, as XML. Quiver's own mapped blocks (from the
     * mmap threshold) are not glibc's and are not in it.
     */
    @Override
    public String statistics() {
        return NATIVES.reason == null ? Libc.mallocInfo() : "";
    }

    /**
     * Quiver's own mapped blocks are unmapped on free, and so are the blocks glibc maps itself: those whose request
     * reaches its mmap threshold, which starts at 128 KiB and rises as mapped blocks are freed (up to 32 MiB), or
     * stays where {@code GLIBC_TUNABLES=glibc.malloc.mmap_threshold} or {@code MALLOC_MMAP_THRESHOLD_} put it.
     * glibc's memalign path asks for the rounded size plus the alignment plus less than 64 bytes of bookkeeping.
     */
    @Override
    public long unmapsFreedBlocksFrom() {
        if (blocks == null) {
            return Long.MAX_VALUE;
        }
        return Math.max(0, Math.min(blocks.threshold(), glibcMmapThreshold(System.getenv()) - 64));
    }

    /** The lowest mmap threshold glibc may use in this process, from its environment. */
    static long glibcMmapThreshold(Map<String, String> environment) {
        long lowest = 128 * 1024; // DEFAULT_MMAP_THRESHOLD_MIN: where glibc starts, before any mapped block is freed
        Long tuned = null;
        String tunables = environment.get("GLIBC_TUNABLES");
        if (tunables != null) {
            for (String entry : tunables.split(":")) {
                int eq = entry.indexOf('=');
                if (eq > 0 && entry.substring(0, eq).trim().equals("glibc.malloc.mmap_threshold")) {
                    tuned = parseSize(entry.substring(eq + 1));
                }
            }
        }
        String legacy = environment.get("MALLOC_MMAP_THRESHOLD_");
        if (tuned == null && legacy != null) {
            tuned = parseSize(legacy);
        }
        return tuned != null ? tuned : lowest;
    }

    /** A number as glibc reads one (decimal, or hex with 0x); null when glibc would ignore it. */
    private static Long parseSize(String value) {
        String v = value.trim().toLowerCase(Locale.ROOT);
        try {
            long n = v.startsWith("0x") ? Long.parseUnsignedLong(v.substring(2), 16) : Long.parseLong(v);
            return n < 0 ? null : n;
        } catch (NumberFormatException e) {
            return null;
        }
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
                // Libc's initializer failing: most often the API module lacks native access, which its cause says
                Throwable cause = e instanceof ExceptionInInitializerError && e.getCause() != null ? e.getCause() : e;
                return unavailable(cause instanceof IllegalCallerException ? cause.getMessage()
                        : "libc functions not found: " + cause);
            }
        }

        private static Natives unavailable(String reason) {
            return new Natives(reason, 4096, null);
        }
    }
}
