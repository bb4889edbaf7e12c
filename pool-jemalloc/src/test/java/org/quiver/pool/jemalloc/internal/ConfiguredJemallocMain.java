package org.quiver.pool.jemalloc.internal;

import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/** Run in a child JVM: allocates from the jemalloc that {@code quiver.jemalloc.library} names. */
public final class ConfiguredJemallocMain {

    private ConfiguredJemallocMain() {
    }

    public static void main(String[] args) {
        MemoryPool pool = MemoryPool.pool("jemalloc");
        try (ResizableBuffer b = pool.allocate(1 << 20)) {
            b.setLong(8, 42);
            b.resize(4 << 20);
            if (b.getLong(8) != 42) {
                throw new AssertionError("bytes lost");
            }
        }
        pool.releaseUnused();
        System.out.println("allocated from " + pool.backendOptions().get("library"));
        System.out.println("unmaps freed blocks from " + new JemallocAllocator().unmapsFreedBlocksFrom());
    }
}
