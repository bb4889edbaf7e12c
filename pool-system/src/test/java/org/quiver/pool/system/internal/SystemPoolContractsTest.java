package org.quiver.pool.system.internal;

import org.junit.jupiter.api.Nested;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.BackendContracts;
import org.quiver.memory.testing.BufferContract;
import org.quiver.memory.testing.MisuseCatalog;
import org.quiver.memory.testing.PoolContract;

/**
 * Every contract suite against the system pool (the backend's suites of {@link BackendContracts}) and every
 * wrapper over it.
 */
class SystemPoolContractsTest extends BackendContracts {

    @Override
    protected String backend() {
        return "system";
    }

    static MemoryPool system() {
        return MemoryPool.pool("system");
    }

    @Nested
    class ProxyPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.proxy(system());
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
    class CappedBuffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.capped(MemoryPool.defaultPool(), 1L << 30);
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
