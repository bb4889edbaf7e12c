package org.quiver.memory.spi;

import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Backends;

/**
 * Adds allocator backends to the platform at run time.
 *
 * <p>Backends found by {@link java.util.ServiceLoader} and, inside OSGi, allocator services are registered
 * automatically. This entry point is for everything else: an application that builds its own
 * {@link Allocator}, or a test. New allocations of {@link org.quiver.memory.MemoryPool#defaultPool()} follow
 * the best-ranked available backend; buffers already allocated stay with the allocator that allocated them,
 * even after it is unregistered.
 *
 * {@snippet :
 * try (Allocators.Registration r = Allocators.register(myAllocator, 1000)) {
 *     try (Buffer b = MemoryPool.defaultPool().allocate(4096)) {   // served by myAllocator
 *         ...
 *     }
 * }
 * }
 *
 * @since 1.0
 */
public final class Allocators {

    private Allocators() {
    }

    /**
     * Registers an allocator with a ranking.
     *
     * @param allocator the backend
     * @param ranking   higher wins
     * @return a registration that unregisters the allocator when closed
     */
    public static Registration register(Allocator allocator, int ranking) {
        Objects.requireNonNull(allocator, "allocator");
        Object token = Backends.register(allocator, ranking, "registered at run time");
        return () -> Backends.unregister(token);
    }

    /**
     * A registered allocator; closing it unregisters the allocator (idempotent). Buffers it allocated stay valid.
     */
    @FunctionalInterface
    @ProviderType
    public interface Registration extends AutoCloseable {
        @Override
        void close();
    }
}
