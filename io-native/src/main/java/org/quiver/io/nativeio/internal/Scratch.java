package org.quiver.io.nativeio.internal;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * Per-thread native memory for moving {@code byte[]} data to and from the kernel: heap arrays cannot be handed
 * to a blocking system call (only critical calls may pin them, and a read from disk may block), so they go
 * through this segment, as the JDK's own streams go through a native buffer.
 */
final class Scratch {

    /** Large enough that a syscall's cost dwarfs the copy; array IO larger than this goes in chunks. */
    static final int SIZE = 64 << 10;

    private static final ThreadLocal<MemorySegment> SEGMENT =
            ThreadLocal.withInitial(() -> Arena.ofAuto().allocate(SIZE, 64));

    private Scratch() {
    }

    static MemorySegment get() {
        return SEGMENT.get();
    }
}
