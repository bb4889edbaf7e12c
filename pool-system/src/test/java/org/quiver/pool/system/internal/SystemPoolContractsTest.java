package org.quiver.pool.system.internal;

import org.junit.jupiter.api.Nested;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.BufferContract;
import org.quiver.memory.testing.MisuseCatalog;
import org.quiver.memory.testing.PoolContract;

/**
 * Every contract suite against the system pool and every wrapper over it.
 */
class SystemPoolContractsTest {

    static MemoryPool system() {
        return MemoryPool.pool("system");
    }

    @Nested
    class SystemPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return system();
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
    class ProxyPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.proxy(system());
        }
    }

    @Nested
    class CappedPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.capped(system(), 1L << 40);
        }
    }

    @Nested
    class LoggingPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            // It reports its parent's counters: exact here, where only this test moves them.
            return MemoryPool.logging(system(), line -> { });
        }
    }

    @Nested
    class ProxyOverDefault extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.proxy(MemoryPool.defaultPool());
        }
    }

    @Nested
    class SystemBuffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return system();
        }
    }

    @Nested
    class CappedBuffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.capped(MemoryPool.defaultPool(), 1L << 30);
        }
    }

    @Nested
    class SystemMisuse extends MisuseCatalog {
        @Override
        protected MemoryPool pool() {
            return system();
        }
    }

    @Nested
    class ProxyMisuse extends MisuseCatalog {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.proxy(MemoryPool.defaultPool());
        }
    }
}
