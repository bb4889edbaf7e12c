package org.quiver.io.nativeio.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.quiver.internal.kit.Libc;
import org.quiver.memory.spi.MemoryGuard;

/**
 * One {@code mmap} of a file, counted: the file holds one reference, and every zero-copy buffer handed out
 * holds one more. The last release unmaps it, so no buffer ever sees unmapped memory, and a file that is
 * closed or resized leaves its old mapping to the buffers still using it.
 */
final class MappedRegion {

    private static final VarHandle REFS;

    static {
        try {
            REFS = MethodHandles.lookup().findVarHandle(MappedRegion.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The whole mapping, from its page-aligned start ({@code NULL} and 0 long when empty), unguarded. */
    private final MemorySegment mapping;
    /** The file's bytes, from the requested offset: what positions index; guarded when {@link #guard} is set. */
    final MemorySegment view;
    /**
     * Closed before the unmap, so that a thread still reading a buffer of this region gets an exception instead
     * of a SIGSEGV (see {@link org.quiver.memory.CloseSafety}); null when mappings are not guarded.
     */
    private final MemoryGuard guard;
    @SuppressWarnings("unused")
    private volatile int refs = 1;

    MappedRegion(MemorySegment mapping, MemorySegment view, MemoryGuard guard) {
        this.mapping = mapping;
        this.view = view;
        this.guard = guard;
    }

    /** Takes a reference; false once the region is unmapped (the file was closed meanwhile). */
    boolean tryRetain() {
        int r;
        do {
            r = refs;
            if (r == 0) {
                return false;
            }
        } while (!REFS.weakCompareAndSet(this, r, r + 1));
        return true;
    }

    void release() {
        if ((int) REFS.getAndAdd(this, -1) == 1 && mapping.byteSize() > 0) {
            if (guard == null) {
                Libc.munmap(mapping, mapping.byteSize());
            } else {
                guard.closeThenUnmap(mapping);
            }
        }
    }

    /** References: the file's own while it maps this region, plus one per open buffer. */
    int references() {
        return refs;
    }
}
