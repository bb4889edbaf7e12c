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
 * freed. Accesses cost what unguarded ones do; the close costs tens of microseconds more (about 50 in JMH on a
 * 2-core AMD EPYC, JDK 25; see {@code docs/reliability.md}). A block that a native call (a file read into it, for
 * example) is using when it is closed is freed as soon as that call returns.
 *
 * <p>An unguarded block is checked by a flag: use after close in the same thread throws too, but a thread racing
 * the close, or a view kept past it, may read or write freed memory; where the allocator unmaps freed memory that
 * crashes the JVM. That is why large blocks, where the allocators unmap, and every memory map are guarded by
 * default, and why {@link #ALL} exists.
 *
 * <p>The level comes from the system property {@code quiver.memory.closeSafety} ({@code none}, {@code large},
 * {@code all}; default {@code large}), the threshold of {@link #LARGE} from {@code
 * quiver.memory.closeSafety.largeSize} (bytes; default 1 MiB), or from {@link #setLevel} and
 * {@link #setLargeSize} at run time (the shell's {@code quiver:safety}). A change applies to blocks allocated,
 * reallocated or mapped from then on.
 *
 * @since 1.0
 */
public enum CloseSafety {
    /** Nothing is guarded: the cheapest close, and a racing close or a view kept past it may crash the JVM. */
    NONE,
    /** Blocks of at least {@link #largeSize()} bytes and every memory map are guarded (the default). */
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

    /** The size from which {@link #LARGE} guards a block. */
    public static long largeSize() {
        return Guards.largeSize();
    }

    /**
     * Changes the size from which {@link #LARGE} guards a block.
     *
     * @throws IllegalArgumentException if {@code bytes} is negative
     */
    public static void setLargeSize(long bytes) {
        Guards.setLargeSize(bytes);
    }

    /** Whether a block of {@code capacity} bytes allocated now would be guarded. */
    public static boolean guards(long capacity) {
        return Guards.guards(capacity);
    }

    /** Whether a memory map made now would be guarded. */
    public static boolean guardsMappings() {
        return Guards.guardsMappings();
    }
}
