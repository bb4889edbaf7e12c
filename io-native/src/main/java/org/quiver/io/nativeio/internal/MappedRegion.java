package org.quiver.io.nativeio.internal;

import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

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

    /** The whole mapping, from its page-aligned start ({@code NULL} and 0 long when empty). */
    private final MemorySegment mapping;
    /** The file's bytes, from the requested offset: what positions index. */
    final MemorySegment view;
    @SuppressWarnings("unused")
    private volatile int refs = 1;

    MappedRegion(MemorySegment mapping, MemorySegment view) {
        this.mapping = mapping;
        this.view = view;
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
            Libc.munmap(mapping, mapping.byteSize());
        }
    }

    /** References: the file's own while it maps this region, plus one per open buffer. */
    int references() {
        return refs;
    }
}
