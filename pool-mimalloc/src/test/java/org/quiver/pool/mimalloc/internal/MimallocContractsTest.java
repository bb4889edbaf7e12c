package org.quiver.pool.mimalloc.internal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.BufferContract;
import org.quiver.memory.testing.MisuseCatalog;
import org.quiver.memory.testing.PoolContract;
import org.quiver.memory.testing.RequiredBackend;

/** Every contract suite against the mimalloc pool (found by ServiceLoader) and the default pool it serves. */
class MimallocContractsTest {

    @BeforeAll
    static void mimallocIsThere() {
        RequiredBackend.require("mimalloc");
    }

    static MemoryPool mimalloc() {
        return MemoryPool.pool("mimalloc");
    }

    @Nested
    class MimallocPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return mimalloc();
        }
    }

    @Nested
    class DefaultPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.defaultPool();
        }
    }

    @Nested
    class CappedPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.capped(mimalloc(), 1L << 40);
        }
    }

    @Nested
    class MimallocBuffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return mimalloc();
        }
    }

    @Nested
    class MimallocMisuse extends MisuseCatalog {
        @Override
        protected MemoryPool pool() {
            return mimalloc();
        }
    }
}
