package org.quiver.pool.jemalloc.internal;

import java.lang.foreign.MemorySegment;
import java.util.LinkedHashMap;
import java.util.Map;

import org.quiver.internal.kit.Downcalls;
import org.quiver.memory.spi.Allocator;
import org.quiver.internal.kit.MappedBlocks;
import org.quiver.internal.kit.TextCallback;
import org.quiver.internal.kit.NativeLibrary;
import org.quiver.internal.kit.Settings;

/**
 * jemalloc through FFM.
 *
 * <p>Blocks come from {@code mallocx} with {@code MALLOCX_ALIGN(alignment)} and go back to {@code sdallocx}
 * (sized: the pool always passes the size it allocated, which spares jemalloc a metadata lookup). Growth first
 * tries {@code xallocx} (in place) and only then {@code rallocx} (may move). {@link #releaseUnused()} purges
 * every arena ({@code arena.4096.purge}), which returns dirty pages to the operating system at once.
 *
 * <p>Settings (inside OSGi the configuration {@code org.quiver.pool.jemalloc}, see {@link JemallocComponent};
 * else system properties {@code quiver.jemalloc.<name>}):
 * {@code library} (a jemalloc to use instead of the bundled one), {@code dirty_decay_ms} and
 * {@code muzzy_decay_ms} (how long freed pages are kept before they go back to the OS; 0 = at once, -1 =
 * never). The decay times can also be changed while running through {@link #setOption}.
 */
public final class JemallocAllocator implements Allocator {

    /** This backend's ranking: above the system allocator, below mimalloc. */
    public static final int RANKING = 200;

    static final String PREFIX = "quiver.jemalloc.";
    /**
     * From this size on blocks are mapped by the kernel ({@link MappedBlocks}), so that growing a large buffer
     * moves page mappings instead of copying; below it, jemalloc's own fast reuse of freed blocks serves.
     */
    static final long MMAP_THRESHOLD = 8L << 20;
    static final String DIRTY_DECAY = "dirty_decay_ms";
    static final String MUZZY_DECAY = "muzzy_decay_ms";
    /** jemalloc's MALLCTL_ARENAS_ALL: "every arena" in {@code arena.<i>.*} names. */
    private static final String ALL_ARENAS = "4096";

    private final Jemalloc je;
    private final String reason;
    /** Blocks from the mmap threshold on: mapped by the kernel, grown by mremap, not copied. */
    private final MappedBlocks blocks;
    /** jemalloc's {@code opt.retain}: freed memory stays mapped (its pages are purged, not unmapped). */
    private final boolean retains;

    /** For ServiceLoader: settings from system properties. */
    public JemallocAllocator() {
        this(Map.of(), false);
    }

    /**
     * With settings, else system properties; the bundled jemalloc is loaded as a framework loads a bundle's native
     * code (inside OSGi, from its configuration, {@link JemallocConfiguration}).
     */
    public JemallocAllocator(Map<String, ?> settings) {
        this(settings, true);
    }

    private JemallocAllocator(Map<String, ?> properties, boolean osgi) {
        Jemalloc loaded = null;
        String why;
        try {
            loaded = Jemalloc.load(Settings.lookup(properties, PREFIX, "library"), osgi);
            why = null;
        } catch (UnsatisfiedLinkError | IllegalStateException e) {
            why = e.getMessage();
        } catch (IllegalCallerException e) {
            why = NativeLibrary.nativeAccessDenied("org.quiver.pool.jemalloc");
        }
        this.je = loaded;
        this.reason = why;
        this.blocks = MappedBlocks.of(Settings.lookup(properties, PREFIX, MappedBlocks.SETTING), MMAP_THRESHOLD,
                this::ownAllocate, this::ownFree);
        this.retains = loaded != null && Boolean.TRUE.equals(loaded.mallctlReadBoolean("opt.retain"));
        if (loaded != null) {
            for (String option : new String[] {DIRTY_DECAY, MUZZY_DECAY}) {
                String v = Settings.lookup(properties, PREFIX, option);
                if (v != null) {
                    setOption(option, v);
                }
            }
        }
    }

    @Override
    public String name() {
        return "jemalloc";
    }

    /** {@code malloc_stats_print}: jemalloc's full report (options, totals, every arena and size class). */
    @Override
    public String statistics() {
        if (je == null) {
            return "";
        }
        try (TextCallback out = new TextCallback(TextCallback.Order.OPAQUE_FIRST)) {
            je.statsPrint.invokeExact(out.function(), java.lang.foreign.MemorySegment.NULL,
                    java.lang.foreign.MemorySegment.NULL);
            return out.text();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * With {@code opt.retain} (jemalloc's default on 64-bit Linux) jemalloc never unmaps: purging gives pages back
     * with {@code madvise}, and its bookkeeping lives outside the blocks; only Quiver's own mapped blocks are
     * unmapped. Without it ({@code JE_MALLOC_CONF=retain:false}) any extent may be unmapped.
     */
    @Override
    public long unmapsFreedBlocksFrom() {
        if (je == null) {
            return Long.MAX_VALUE;
        }
        return retains ? blocks.threshold() : 0;
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    @Override
    public String unavailableReason() {
        return reason;
    }

    /** {@code MALLOCX_ALIGN(a)}: log2 of a power-of-two alignment. */
    private static int flags(long alignment) {
        return Long.numberOfTrailingZeros(alignment);
    }

    // The hot path tests the threshold here and calls the library directly: routing every allocation through an
    // interface call into the kit measured slower (64 B allocate + close, jemalloc 15.6 against 21.0 ops/us,
    // 2 forks x 5 iterations each, AMD EPYC).
    @Override
    public long allocate(long size, long alignment) {
        return blocks.mapped(size, alignment) ? blocks.map(size) : ownAllocate(size, alignment);
    }

    @Override
    public void free(long address, long size, long alignment) {
        if (!blocks.unmapIfMapped(address, size, alignment)) {
            ownFree(address, size, alignment);
        }
    }

    private long ownAllocate(long size, long alignment) {
        try {
            MemorySegment p = size < Jemalloc.LARGE
                    ? (MemorySegment) je.mallocxFast.invokeExact(size, flags(alignment))
                    : (MemorySegment) je.mallocx.invokeExact(size, flags(alignment));
            return p.address();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        if (blocks.takes(oldSize, newSize, alignment)) {
            return blocks.reallocate(address, oldSize, newSize, alignment);
        }
        int flags = flags(alignment);
        MemorySegment p = MemorySegment.ofAddress(address);
        try {
            if (newSize > oldSize) {
                // In place when the next pages are free. The block's size class must then be exactly the one of
                // newSize, or the sized free later would name the wrong class.
                long usable = (long) je.xallocx.invokeExact(p, newSize, 0L, flags);
                if (usable >= newSize && usable == (long) je.nallocx.invokeExact(newSize, flags)) {
                    return address;
                }
            }
            return ((MemorySegment) je.rallocx.invokeExact(p, newSize, flags)).address();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    private void ownFree(long address, long size, long alignment) {
        try {
            if (size < Jemalloc.LARGE) {
                je.sdallocxFast.invokeExact(MemorySegment.ofAddress(address), size, flags(alignment));
            } else {
                je.sdallocx.invokeExact(MemorySegment.ofAddress(address), size, flags(alignment));
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** Purges every arena: dirty and muzzy pages go back to the operating system now. */
    @Override
    public void releaseUnused() {
        je.mallctlVoid("arena." + ALL_ARENAS + ".purge");
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        if (je == null) {
            out.put("library", "-1");
            return Map.copyOf(out);
        }
        out.put("library", je.library);
        out.put(MappedBlocks.SETTING, Long.toString(blocks.threshold()));
        out.put("version", version(je.version(), je.hasFreeSized));
        if (je.bundled) {
            String build = Jemalloc.bundledBuild();
            if (build != null) {
                out.put("build", build);
            }
        }
        out.put(DIRTY_DECAY, Long.toString(je.mallctlReadLong("arenas." + DIRTY_DECAY)));
        out.put(MUZZY_DECAY, Long.toString(je.mallctlReadLong("arenas." + MUZZY_DECAY)));
        out.put("narenas", Integer.toString(je.mallctlReadUnsigned("arenas.narenas")));
        return Map.copyOf(out);
    }

    /**
     * What the library says its version is, unless that is the placeholder jemalloc's build writes when it is
     * built from a git clone without tags (LWJGL's builds are): then "unknown", with what can be told.
     */
    static String version(String reported, boolean hasFreeSized) {
        if (!reported.startsWith(PLACEHOLDER_VERSION)) {
            return reported;
        }
        return "unknown" + (hasFreeSized ? ", newer than 5.3.0 (it has free_sized, which came after 5.3.0)" : "")
                + "; the library reports \"" + reported + "\" (built from a git clone without tags)";
    }

    /** How jemalloc's {@code version} begins when its build found no git tag. */
    static final String PLACEHOLDER_VERSION = "0.0.0-0-g000000";

    /**
     * Sets {@code dirty_decay_ms} or {@code muzzy_decay_ms} for every arena, existing and future.
     *
     * @throws IllegalArgumentException for another option, or a value that is not an integer of at least -1
     */
    @Override
    public void setOption(String name, String value) {
        String problem = checkOption(name, value);
        if (problem != null) {
            throw new IllegalArgumentException(problem);
        }
        long ms = Long.parseLong(value.trim());
        if (je == null) {
            throw new IllegalStateException("jemalloc is not available: " + reason);
        }
        je.mallctlWriteLong("arenas." + name, ms); // arenas created from now on
        // and every arena that exists ("arena.4096.*" does not take decay times; an arena index that was never
        // initialised answers EFAULT and is skipped, it will start with the new default)
        int arenas = je.mallctlReadUnsigned("arenas.narenas");
        for (int i = 0; i < arenas; i++) {
            je.mallctlWriteLongIfExists("arena." + i + "." + name, ms);
        }
    }

    /** Why {@link #setOption} would refuse this, or null. */
    static String checkOption(String name, String value) {
        if (!DIRTY_DECAY.equals(name) && !MUZZY_DECAY.equals(name)) {
            return "unknown jemalloc option '" + name + "' (settable: " + DIRTY_DECAY + ", " + MUZZY_DECAY
                    + "): value=" + value;
        }
        long ms;
        try {
            ms = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            return "jemalloc " + name + " must be milliseconds (-1 = never): value=" + value;
        }
        return ms < -1 ? "jemalloc " + name + " must be at least -1: value=" + value : null;
    }

    @Override
    public String toString() {
        return "JemallocAllocator[" + (je == null ? "unavailable: " + reason : je.library) + "]";
    }

    /** For tests: jemalloc's own idea of a block's size. */
    long usableSize(long address) {
        try {
            return (long) je.sallocx.invokeExact(MemorySegment.ofAddress(address), 0);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }
}
