package org.quiver.memory;

import org.quiver.internal.memory.Guards;

/**
 * Which memory is <em>guarded</em>: freed only after every thread has stopped using it, so that a racing close
 * (another thread reading or writing a buffer, a slice, a map buffer or one of their {@link Buffer#asSegment()
 * segment} and {@link Buffer#asByteBuffer() byte buffer} views while it is closed) or a view used after close
 * throws {@link IllegalStateException} instead of touching freed memory.
 *
 * <p>A guarded block lives in a shared {@link java.lang.foreign.Arena} of its own: every access checks it, and
 * its close makes the JVM stop each thread that is inside an access to it (a handshake) before the memory is
 * freed. Accesses cost what unguarded ones do; the close costs tens of microseconds more (50 to 90 in JMH on a
 * 2-core AMD EPYC, JDK 25; see {@code docs/reliability.md}). A block that a native call (a file read into it, for
 * example) is using when it is closed is freed as soon as that call returns.
 *
 * <p>An unguarded block is checked by a flag: use after close in the same thread throws too, but a thread racing
 * the close, or a view kept past it, may read or write freed memory (which may belong to another buffer by then).
 * Where the allocator has unmapped that memory, the JVM would crash: that is why, by default ({@link #LARGE}),
 * every block that its allocator may unmap once freed ({@link org.quiver.memory.spi.Allocator#unmapsFreedBlocksFrom()})
 * is guarded, and every memory map; {@link #ALL} guards the rest too.
 *
 * <p>The level comes from the system property {@code quiver.memory.closeSafety} ({@code none}, {@code large},
 * {@code all}; default {@code large}), an optional size from which {@link #LARGE} guards every block in every pool
 * from {@code quiver.memory.closeSafety.largeSize} (bytes; not set by default), or from {@link #setLevel} and
 * {@link #setLargeSize} at run time (the shell's {@code quiver:safety}). A change applies to blocks allocated,
 * reallocated or mapped from then on.
 *
 * @since 1.0
 */
public enum CloseSafety {
    /** Nothing is guarded: the cheapest close, and a racing close or a view kept past it may crash the JVM. */
    NONE,
    /**
     * The default: every memory map, every block that its allocator may unmap once freed (the system pool's from
     * glibc's lowest mmap threshold, about 128 KiB; jemalloc's and mimalloc's from 8 MiB, where Quiver maps them
     * itself), and every block from {@link #largeSize()} when that is set. No racing close or view kept past a
     * close crashes the JVM at this level (save the two narrow cases {@code docs/reliability.md} names); a
     * racing thread may read or write an unguarded block's freed memory.
     */
    LARGE,
    /** Every block and every memory map is guarded: no racing close crashes the JVM; each close costs more. */
    ALL;

    /** The current level. */
    public static CloseSafety level() {
        return Guards.level();
    }

    /** Changes the level for memory allocated, reallocated or mapped from now on. */
    public static void setLevel(CloseSafety level) {
        Guards.setLevel(level);
    }

    /**
     * The size from which {@link #LARGE} guards every block in every pool, whatever its allocator does with freed
     * memory; {@link Long#MAX_VALUE} when not set (the default).
     */
    public static long largeSize() {
        return Guards.largeSize();
    }

    /**
     * Changes the size from which {@link #LARGE} guards every block in every pool ({@link Long#MAX_VALUE}: none
     * beyond what the allocators may unmap). Setting 1 MiB restores the rule of release 1.0.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static void setLargeSize(long bytes) {
        Guards.setLargeSize(bytes);
    }

    /**
     * Whether a block of {@code capacity} bytes allocated now would be guarded in every pool: at {@link #ALL}, and
     * from {@link #largeSize()} at {@link #LARGE}. A pool guards more where its allocator may unmap smaller
     * blocks; {@link #isGuarded(Buffer)} tells for a buffer.
     */
    public static boolean guards(long capacity) {
        return Guards.guards(capacity);
    }

    /**
     * Whether {@code buffer}'s memory is guarded: a view of it (or of a slice) then throws after the last close,
     * and a thread racing that close throws, instead of touching freed memory. For pool buffers this was decided
     * when the block was allocated or last moved; wrapped memory counts when it belongs to an arena that can close
     * (the JDK guards it), not when it is global or on the heap.
     *
     * @since 1.1
     */
    public static boolean isGuarded(Buffer buffer) {
        java.util.Objects.requireNonNull(buffer, "buffer");
        return buffer instanceof org.quiver.internal.memory.AbstractBuffer b && Guards.guardedMemory(b);
    }

    /** Whether a memory map made now would be guarded. */
    public static boolean guardsMappings() {
        return Guards.guardsMappings();
    }
}
