package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Nested;
import org.quiver.memory.MemoryPool;

/**
 * Every contract suite against one backend's pool, the default pool it may serve, a capped pool over it, its
 * buffers and its misuse catalogue. A backend module runs them all by extending this class with the backend's
 * name; a backend that is not available here skips (or, with {@code CI=true}, fails) through
 * {@link RequiredBackend}.
 */
public abstract class BackendContracts {

    /** The backend's name, as {@link MemoryPool#pool(String)} knows it. */
    protected abstract String backend();

    /** The backend's pool, after checking that it is available. */
    protected MemoryPool backendPool() {
        RequiredBackend.require(backend());
        return MemoryPool.pool(backend());
    }

    @Nested
    class BackendPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return backendPool();
        }
    }

    @Nested
    class DefaultPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            backendPool();
            return MemoryPool.defaultPool();
        }
    }

    @Nested
    class CappedPool extends PoolContract {
        @Override
        protected MemoryPool pool() {
            return MemoryPool.capped(backendPool(), 1L << 40);
        }
    }

    /** A child of the backend's pool (Arrow Java's child allocator), closed after each test. */
    @Nested
    class ChildPool extends PoolContract {
        private org.quiver.memory.ChildPool child;

        @Override
        protected MemoryPool pool() {
            if (child == null) {
                child = backendPool().newChild("contract", 1L << 40);
            }
            return child;
        }

        @org.junit.jupiter.api.AfterEach
        void closeTheChild() {
            if (child != null) {
                assertEquals(0, child.liveBuffers(), "a contract test left buffers in the child");
                child.close();
            }
        }
    }

    @Nested
    class Buffers extends BufferContract {
        @Override
        protected MemoryPool pool() {
            return backendPool();
        }
    }

    @Nested
    class Misuse extends MisuseCatalog {
        @Override
        protected MemoryPool pool() {
            return backendPool();
        }
    }
}
