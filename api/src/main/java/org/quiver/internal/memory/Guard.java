package org.quiver.internal.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * A shared arena over any address: what guards a pool block, and what {@link org.quiver.memory.spi.MemoryGuard}
 * wraps for providers. Its close runs the next step at once (or when a native call lets go of the memory); the
 * grace before memory is unmapped ({@link Guards#afterGrace}) is the caller's.
 */
public final class Guard {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment everything = NativeMemory.everything(arena);

    /** The segment of {@code size} bytes at {@code address}, valid until this guard closes. */
    public MemorySegment segment(long address, long size) {
        return everything.asSlice(address, size);
    }

    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /** Closes now; false, changing nothing, while a native call holds one of its segments. */
    public boolean tryClose() {
        return Guards.tryClose(arena);
    }

    /** Closes, then runs {@code then}: at once, or on a virtual thread when a native call lets go. */
    public void closeThen(Runnable then) {
        Guards.closeThen(arena, then);
    }
}
