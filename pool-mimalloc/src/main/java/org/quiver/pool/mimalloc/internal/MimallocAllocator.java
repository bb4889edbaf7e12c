package org.quiver.pool.mimalloc.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.quiver.internal.kit.Downcalls;
import org.quiver.memory.spi.Allocator;
import org.quiver.internal.kit.MappedBlocks;
import org.quiver.internal.kit.TextCallback;
import org.quiver.internal.kit.NativeLibrary;
import org.quiver.internal.kit.Settings;

/**
 * mimalloc through FFM, from the operating system ({@code libmimalloc.so.2}, Debian's {@code libmimalloc2.0})
 * or a configured path.
 *
 * <p>Blocks come from {@code mi_malloc_aligned}, grow with {@code mi_realloc_aligned} and go back to
 * {@code mi_free}; {@link #releaseUnused()} is {@code mi_collect(false)}. Every address is checked against the
 * alignment asked for, because mimalloc 2.0.9 misaligns some (see {@link #realign}). When the library is missing the
 * backend lists itself as unavailable with the reason and how to install it; nothing else is affected.
 *
 * <p>Settings (inside OSGi the configuration {@code org.quiver.pool.mimalloc}, see {@link MimallocComponent};
 * else system properties {@code quiver.mimalloc.<name>}):
 * {@code library} (a path), and {@code option.<name>} for any mimalloc option ({@code option.purge_delay},
 * {@code option.eager_commit} ...), also settable while running through {@link #setOption}. Options mimalloc
 * reads only at start-up are better given as {@code MIMALLOC_<NAME>} environment variables.
 */
public final class MimallocAllocator implements Allocator {

    /** This backend's ranking: the highest of Quiver's backends, as in Arrow's default order. */
    public static final int RANKING = 300;

    static final String PREFIX = "quiver.mimalloc.";
    /**
     * From this size on blocks are mapped by the kernel ({@link MappedBlocks}), so that growing a large buffer
     * moves page mappings instead of copying; below it, mimalloc's own fast reuse of freed blocks serves.
     */
    static final long MMAP_THRESHOLD = 8L << 20;
    /** A conservative start of mimalloc 2's huge blocks, whose own segments are unmapped when freed. */
    static final long HUGE_FROM = 8L << 20;
    static final String OPTION = "option.";
    private static final long LARGE = 1L << 20;

    private final Mimalloc mi;
    private final String reason;
    /** Blocks from the mmap threshold on: mapped by the kernel, grown by mremap, not copied. */
    private final MappedBlocks blocks;

    /** For ServiceLoader: settings from system properties. */
    public MimallocAllocator() {
        this(Map.of());
    }

    /** With settings (inside OSGi, from its configuration), else system properties. */
    public MimallocAllocator(Map<String, ?> properties) {
        Mimalloc loaded = null;
        String why = null;
        try {
            loaded = Mimalloc.load(Settings.lookup(properties, PREFIX, "library"));
        } catch (UnsatisfiedLinkError e) {
            why = e.getMessage();
        } catch (IllegalCallerException e) {
            why = NativeLibrary.nativeAccessDenied("org.quiver.pool.mimalloc");
        }
        this.mi = loaded;
        this.reason = why;
        this.blocks = MappedBlocks.of(Settings.lookup(properties, PREFIX, MappedBlocks.SETTING), MMAP_THRESHOLD,
                this::ownAllocate, this::ownFree);
        if (loaded != null) {
            for (String name : loaded.optionNames()) {
                String v = Settings.lookup(properties, PREFIX, OPTION + name);
                if (v != null) {
                    setOption(name, v);
                }
            }
        }
    }

    @Override
    public String name() {
        return "mimalloc";
    }

    @Override
    public int ranking() {
        return RANKING;
    }

    @Override
    public String unavailableReason() {
        return reason;
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
            MemorySegment p = size < LARGE
                    ? (MemorySegment) mi.mallocAlignedFast.invokeExact(size, alignment)
                    : (MemorySegment) mi.mallocAligned.invokeExact(size, alignment);
            long address = p.address();
            return (address & (alignment - 1)) == 0 ? address : realign(address, size, alignment);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        if (blocks.takes(oldSize, newSize, alignment)) {
            return blocks.reallocate(address, oldSize, newSize, alignment);
        }
        try {
            long moved = ((MemorySegment) mi.reallocAligned.invokeExact(MemorySegment.ofAddress(address), newSize,
                    alignment)).address();
            if (moved == 0 || (moved & (alignment - 1)) == 0) {
                return moved;
            }
            // The data is at the misaligned block now: copy it into an aligned one and free the misaligned one.
            long aligned = allocateAlignedSlow(newSize, alignment);
            if (aligned == 0) {
                // mimalloc already freed the old block, so 0 (which promises it untouched) would lose the data:
                // hand back the misaligned block; the pool's own alignment check deals with it.
                return moved;
            }
            MemorySegment.copy(MemorySegment.ofAddress(moved).reinterpret(newSize), 0,
                    MemorySegment.ofAddress(aligned).reinterpret(newSize), 0, newSize);
            mi.free.invokeExact(MemorySegment.ofAddress(moved));
            return aligned;
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * mimalloc 2.0.9 (Debian 12's {@code libmimalloc2.0}) returns misaligned blocks from {@code mi_malloc_aligned}
     * and {@code mi_realloc_aligned} for alignments 256 to 1024 when the size is a power of two at most 1024 (for
     * example (256, 256) at {@code address % 256 == 128}) and on some reallocations; measured from C, 3 million
     * random operations: every miss had an alignment of 256, 512 or 1024. Such a request goes through its
     * "natural alignment" shortcut, which the padding of 2.0.9's pages breaks. A request whose size is not a
     * multiple of the alignment skips the shortcut and takes the over-allocating path, which aligns correctly;
     * {@code mi_free} takes the result as any other block. Checked on every call, so a fixed mimalloc costs one
     * test of the low bits and another broken one is caught too.
     */
    private long realign(long misaligned, long size, long alignment) throws Throwable {
        mi.free.invokeExact(MemorySegment.ofAddress(misaligned));
        return allocateAlignedSlow(size, alignment);
    }

    /** An aligned block by the requests that avoid the shortcut (see {@link #realign}), or 0. */
    private long allocateAlignedSlow(long size, long alignment) throws Throwable {
        for (long request : new long[] {size + 8, size + alignment + 8}) {
            long address = ((MemorySegment) mi.mallocAligned.invokeExact(request, alignment)).address();
            if (address == 0 || (address & (alignment - 1)) == 0) {
                return address;
            }
            mi.free.invokeExact(MemorySegment.ofAddress(address));
        }
        throw new IllegalStateException("mimalloc " + mi.versionString() + " (" + mi.library
                + ") returns misaligned blocks: size=" + size + " alignment=" + alignment);
    }

    private void ownFree(long address, long size, long alignment) {
        try {
            if (size < LARGE) {
                mi.freeFast.invokeExact(MemorySegment.ofAddress(address));
            } else {
                mi.free.invokeExact(MemorySegment.ofAddress(address));
            }
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * {@code mi_collect(false)}: frees what the calling thread's heap keeps, and decommits (with {@code madvise})
     * the freed memory whose decommit delay has passed ({@code decommit_delay} 25 ms and {@code
     * segment_decommit_delay} 500 ms by default): memory goes back to the operating system within about half a
     * second of its free. Not {@code mi_collect(true)}: that unmaps every empty segment, and a view kept past a
     * close then faults, whatever the block's size (measured: a 64-byte buffer's view read after close and a
     * forced collection crashed the JVM).
     */
    @Override
    public void releaseUnused() {
        try {
            mi.collect.invokeExact(false);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /**
     * mimalloc keeps freed segments mapped (decommitting their pages with {@code madvise}) as long as nothing
     * forces a collection, which Quiver never does; it unmaps the segments of huge blocks (half a 32 MiB segment
     * and more, alignment included) when they are freed. Quiver maps blocks from its threshold (8 MiB) itself.
     * The secure build decommits with {@code mprotect}, so there any block may fault.
     */
    @Override
    public long unmapsFreedBlocksFrom() {
        if (mi == null) {
            return Long.MAX_VALUE;
        }
        if (mi.library.toLowerCase(java.util.Locale.ROOT).contains("secure")) {
            return 0;
        }
        return Math.min(blocks.threshold(), HUGE_FROM);
    }

    /** {@code mi_stats_print_out}: mimalloc's table of heap, segment and page counters (totals of every thread). */
    @Override
    public String statistics() {
        if (mi == null) {
            return "";
        }
        try (TextCallback out = new TextCallback(TextCallback.Order.MESSAGE_FIRST)) {
            mi.statsPrintOut.invokeExact(out.function(), MemorySegment.NULL);
            return out.text();
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    @Override
    public Map<String, String> options() {
        Map<String, String> out = new LinkedHashMap<>();
        if (mi == null) {
            out.put("library", "-1");
            return Map.copyOf(out);
        }
        out.put("library", mi.library);
        out.put(MappedBlocks.SETTING, Long.toString(blocks.threshold()));
        out.put("version", mi.versionString());
        for (String name : mi.optionNames()) {
            out.put(name, Long.toString(mi.optionGet(name)));
        }
        return Map.copyOf(out);
    }

    /**
     * Sets a mimalloc option ({@code mi_option_set}).
     *
     * @throws IllegalArgumentException for an option this mimalloc version does not have, or a non-integer value
     */
    @Override
    public void setOption(String name, String value) {
        if (mi == null) {
            throw new IllegalStateException("mimalloc is not available: " + reason);
        }
        long v;
        try {
            v = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("mimalloc option " + name + " takes an integer: value=" + value);
        }
        mi.optionSet(name, v);
    }

    /** For tests: mimalloc's own idea of a block's size. */
    long usableSize(long address) {
        try {
            return (long) mi.usableSize.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** The options this mimalloc has; none when it is not available. */
    java.util.Set<String> optionNames() {
        return mi == null ? java.util.Set.of() : mi.optionNames();
    }

    @Override
    public String toString() {
        return "MimallocAllocator[" + (mi == null ? "unavailable: " + reason : mi.library) + "]";
    }

    /** The mimalloc functions, bound once. */
    static final class Mimalloc {

        /** Option numbers of mimalloc 2.0 ({@code mi_option_t}); later versions renumbered some. */
        private static final Map<String, Integer> OPTIONS_2_0 = Map.ofEntries(Map.entry("show_errors", 0),
                Map.entry("show_stats", 1), Map.entry("verbose", 2), Map.entry("eager_commit", 3),
                Map.entry("large_os_pages", 6), Map.entry("reserve_huge_os_pages", 7),
                Map.entry("reserve_huge_os_pages_at", 8), Map.entry("reserve_os_memory", 9),
                Map.entry("page_reset", 11), Map.entry("abandoned_page_decommit", 12),
                Map.entry("eager_commit_delay", 14), Map.entry("decommit_delay", 15), Map.entry("use_numa_nodes", 16),
                Map.entry("limit_os_alloc", 17), Map.entry("os_tag", 18), Map.entry("max_errors", 19),
                Map.entry("max_warnings", 20), Map.entry("max_segment_reclaim", 21), Map.entry("allow_decommit", 22),
                Map.entry("segment_decommit_delay", 23), Map.entry("decommit_extend_delay", 24),
                Map.entry("destroy_on_exit", 25));
        /** The ones every 2.x has at the same number (2.1 renamed decommit_delay to purge_delay). */
        private static final Map<String, Integer> OPTIONS_2_X = Map.ofEntries(Map.entry("show_errors", 0),
                Map.entry("show_stats", 1), Map.entry("verbose", 2), Map.entry("eager_commit", 3),
                Map.entry("reserve_huge_os_pages", 7), Map.entry("reserve_huge_os_pages_at", 8),
                Map.entry("reserve_os_memory", 9), Map.entry("eager_commit_delay", 14), Map.entry("purge_delay", 15),
                Map.entry("use_numa_nodes", 16), Map.entry("os_tag", 18), Map.entry("max_errors", 19),
                Map.entry("max_warnings", 20), Map.entry("max_segment_reclaim", 21));

        final String library;
        final MethodHandle mallocAlignedFast;
        final MethodHandle mallocAligned;
        final MethodHandle reallocAligned;
        final MethodHandle freeFast;
        final MethodHandle free;
        final MethodHandle collect;
        final MethodHandle usableSize;
        /** {@code mi_stats_print_out(mi_output_fun*, void*)}: calls back into Java, so never critical. */
        final MethodHandle statsPrintOut;
        private final MethodHandle optionGet;
        private final MethodHandle optionSet;
        private final int version;
        private final Map<String, Integer> options;

        private Mimalloc(NativeLibrary lib) {
            this.library = lib.name();
            Linker linker = Linker.nativeLinker();
            var ptr = ValueLayout.ADDRESS;
            var sizeT = ValueLayout.JAVA_LONG;
            // critical where that is fast on this CPU and JVM: Downcalls.shortCall() says why not elsewhere
            Linker.Option[] critical = Downcalls.shortCall();
            MemorySegment malloc = lib.require("mi_malloc_aligned");
            MemorySegment freeSym = lib.require("mi_free");
            FunctionDescriptor allocDesc = FunctionDescriptor.of(ptr, sizeT, sizeT);
            this.mallocAlignedFast = linker.downcallHandle(malloc, allocDesc, critical);
            this.mallocAligned = linker.downcallHandle(malloc, allocDesc);
            this.reallocAligned = linker.downcallHandle(lib.require("mi_realloc_aligned"),
                    FunctionDescriptor.of(ptr, ptr, sizeT, sizeT));
            this.freeFast = linker.downcallHandle(freeSym, FunctionDescriptor.ofVoid(ptr), critical);
            this.free = linker.downcallHandle(freeSym, FunctionDescriptor.ofVoid(ptr));
            this.collect = linker.downcallHandle(lib.require("mi_collect"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_BOOLEAN));
            this.usableSize = linker.downcallHandle(lib.require("mi_usable_size"), FunctionDescriptor.of(sizeT, ptr),
                    critical);
            this.statsPrintOut = linker.downcallHandle(lib.require("mi_stats_print_out"),
                    FunctionDescriptor.ofVoid(ptr, ptr));
            this.optionGet = linker.downcallHandle(lib.require("mi_option_get"),
                    FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT));
            this.optionSet = linker.downcallHandle(lib.require("mi_option_set"),
                    FunctionDescriptor.ofVoid(ValueLayout.JAVA_INT, ValueLayout.JAVA_LONG));
            try {
                this.version = (int) linker.downcallHandle(lib.require("mi_version"),
                        FunctionDescriptor.of(ValueLayout.JAVA_INT)).invokeExact();
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
            this.options = version >= 200 && version < 210 ? OPTIONS_2_0 : OPTIONS_2_X;
        }

        static Mimalloc load(String configuredPath) {
            if (configuredPath != null) {
                Path path = Path.of(configuredPath);
                if (!Files.isRegularFile(path)) {
                    throw new UnsatisfiedLinkError("mimalloc library " + path + " (" + PREFIX
                            + "library) does not exist or is not a file");
                }
                return new Mimalloc(NativeLibrary.open(path));
            }
            UnsatisfiedLinkError first = null;
            for (String name : candidates()) {
                try {
                    return new Mimalloc(NativeLibrary.openByName(name));
                } catch (UnsatisfiedLinkError e) {
                    if (first == null) {
                        first = e;
                    }
                }
            }
            throw new UnsatisfiedLinkError("mimalloc not found (" + (first == null ? "" : first.getMessage())
                    + "). Install it (Debian/Ubuntu: apt-get install libmimalloc2.0; Fedora: dnf install mimalloc; "
                    + "macOS: brew install mimalloc) or set " + PREFIX + "library to the library's path");
        }

        private static List<String> candidates() {
            String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
            if (os.startsWith("mac")) {
                return List.of("libmimalloc.2.dylib", "libmimalloc.dylib");
            }
            if (os.startsWith("windows")) {
                return List.of("mimalloc.dll");
            }
            return List.of("libmimalloc.so.2", "libmimalloc.so");
        }

        java.util.Set<String> optionNames() {
            return new java.util.TreeSet<>(options.keySet());
        }

        private int option(String name) {
            Integer n = options.get(name);
            if (n == null) {
                throw new IllegalArgumentException("unknown mimalloc option '" + name + "' for mimalloc "
                        + versionString() + "; known: " + String.join(", ", optionNames()));
            }
            return n;
        }

        long optionGet(String name) {
            try {
                return (long) optionGet.invokeExact(option(name));
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
        }

        void optionSet(String name, long value) {
            int n = option(name);
            try {
                optionSet.invokeExact(n, value);
            } catch (Throwable t) {
                throw Downcalls.rethrow(t);
            }
        }

        String versionString() {
            return (version / 100) + "." + (version % 100 / 10) + "." + (version % 10);
        }
    }
}
