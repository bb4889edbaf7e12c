package org.quiver.memory.spi;

import java.lang.foreign.MemorySegment;

import org.quiver.internal.kit.Libc;
import org.quiver.internal.memory.Guard;
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

    private final Guard guard = new Guard();

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
        return guard.segment(address, size);
    }

    /** The same memory as {@code unguarded}, valid until this guard closes. */
    public MemorySegment guard(MemorySegment unguarded) {
        MemorySegment s = segment(unguarded.address(), unguarded.byteSize());
        return unguarded.isReadOnly() ? s.asReadOnly() : s;
    }

    /** Whether the guard is still open. */
    public boolean isOpen() {
        return guard.isOpen();
    }

    /**
     * Closes the guard, then runs {@code free}, once no thread can touch the memory: a few milliseconds after the
     * close, on another thread (a thread that was inside an access when the guard closed may make one more before
     * it throws: JDK-8364167). When a native call holds one of its segments (a file read into it, for example),
     * the close happens as soon as that call returns. Never throws for that reason.
     */
    public void closeThen(Runnable free) {
        guard.closeThen(() -> Guards.afterGrace(free));
    }

    /**
     * Closes the guard, then unmaps {@code mapping} (memory a provider mapped with {@code mmap}, a file's for
     * example): as soon as no thread can reach it through the guard, its pages are replaced by empty anonymous
     * memory, so that what it mapped is released at once (the file can be unmapped from the process, its file
     * system unmounted); the address range itself is unmapped a few milliseconds later ({@link #closeThen}).
     *
     * @since 1.1
     */
    public void closeThenUnmap(MemorySegment mapping) {
        guard.closeThen(() -> {
            if (!Libc.replaceWithAnonymous(mapping, mapping.byteSize())) {
                Libc.munmap(mapping, mapping.byteSize()); // the kernel refused: release it now, as before
                return;
            }
            Guards.afterGrace(() -> Libc.munmap(mapping, mapping.byteSize()));
        });
    }

    /**
     * Closes the guard now, if no native call holds one of its segments.
     *
     * @return false, having changed nothing, while a native call holds one of its segments
     */
    public boolean tryClose() {
        return guard.tryClose();
    }
}
