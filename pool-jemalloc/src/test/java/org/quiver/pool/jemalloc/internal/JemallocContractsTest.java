package org.quiver.pool.jemalloc.internal;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.BufferContract;
import org.quiver.memory.testing.MisuseCatalog;
import org.quiver.memory.testing.PoolContract;
import org.quiver.memory.testing.RequiredBackend;

/** Every contract suite against the jemalloc pool (found by ServiceLoader) and the default pool it serves. */
class JemallocContractsTest {

    @BeforeAll
    static void jemallocIsThere() {
        RequiredBackend.require("jemalloc");
    }

    static MemoryPool jemalloc() {
        return MemoryPool.pool("jemalloc");
    }

    @Nested
    class JemallocPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return jemalloc();
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
            return MemoryPool.capped(jemalloc(), 1L << 40);
        }
    }

    @Nested
    class JemallocBuffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return jemalloc();
        }
    }

    @Nested
    class JemallocMisuse extends MisuseCatalog {
        @Override
        protected MemoryPool pool() {
            return jemalloc();
        }
    }
}
