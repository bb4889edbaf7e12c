package org.quiver.memory.spi;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

import org.quiver.internal.memory.Guards;
import org.quiver.memory.CloseSafety;

/**
 * A guard over native memory that a provider frees itself (an IO backend's memory map, for example): segments
 * made through it throw {@link IllegalStateException} once it is closed, in every thread, also to a thread that is
 * reading them at that moment, so that the memory can be freed without crashing a racing reader. Whether to guard
 * is the platform's {@link CloseSafety} choice ({@link CloseSafety#guardsMappings()} for maps).
 *
 * <p>It is a shared {@link Arena}: accesses cost what unguarded ones do, a close costs a JVM handshake (tens of
 * microseconds). Thread-safe.
 *
 * @since 1.0
 */
public final class MemoryGuard {

    private final Arena arena = Arena.ofShared();
    private final MemorySegment everything = Guards.everything(arena);

    private MemoryGuard() {
    }

    /** A new, open guard. */
    public static MemoryGuard open() {
        return new MemoryGuard();
    }

    /**
     * The segment of {@code size} bytes at {@code address}, valid until this guard closes.
     *
     * @throws IllegalStateException if the guard is closed
     */
    public MemorySegment segment(long address, long size) {
        return everything.asSlice(address, size);
    }

    /** The same memory as {@code unguarded}, valid until this guard closes. */
    public MemorySegment guard(MemorySegment unguarded) {
        MemorySegment s = segment(unguarded.address(), unguarded.byteSize());
        return unguarded.isReadOnly() ? s.asReadOnly() : s;
    }

    /** Whether the guard is still open. */
    public boolean isOpen() {
        return arena.scope().isAlive();
    }

    /**
     * Closes the guard, then runs {@code free}, once no thread can touch the memory. When a native call holds one
     * of its segments (a file read into it, for example), both happen as soon as that call returns, on another
     * thread. Never throws for that reason.
     */
    public void closeThen(Runnable free) {
        Guards.closeThen(arena, free);
    }

    /**
     * Closes the guard now, if no native call holds one of its segments.
     *
     * @return false, having changed nothing, while a native call holds one of its segments
     */
    public boolean tryClose() {
        return Guards.tryClose(arena);
    }
}
