package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A named child of a pool, as Arrow Java's child allocators ({@code newChildAllocator(name, ...)}): it allocates
 * from its parent (and counts there too), keeps its own statistics, may have a limit, and when it is closed with
 * buffers still live, reports them as a leak of its name (and, at the paranoid leak-detection level, where each
 * was allocated). Made by {@link MemoryPool#newChild(String)}.
 *
 * {@snippet :
 * try (ChildPool reader = MemoryPool.defaultPool().newChild("parquet reader", 512L << 20)) {
 *     Buffer page = reader.allocate(1 << 20);   // counts in reader and in the default pool; refused past 512 MiB
 *     ...
 * }                                            // a page still open here is reported: "child pool 'parquet reader'"
 * }
 *
 * <p>Live buffers stay valid when their child closes (they may have been handed to someone else) and are freed
 * by their own close, through the child, so every count stays exact. A closed child allocates nothing more. Children
 * of children are children too. In OSGi the view each bundle gets of the {@code MemoryPool} service is one.
 * Thread-safe.
 *
 * @since 1.1
 */
@ProviderType
public interface ChildPool extends MemoryPool, AutoCloseable {

    /** The name it was given. */
    String name();

    /** The pool it allocates from. */
    MemoryPool parent();

    /** Its limit in bytes, {@link Long#MAX_VALUE} when it has none. */
    long limit();

    /**
     * Changes the limit: bytes already allocated stay, even above it, and only new requests are refused
     * ({@link MemoryLimitExceededException}, naming this child).
     *
     * @param limit bytes, 0 or more; {@link Long#MAX_VALUE} for none
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    void setLimit(long limit);

    /** Buffers allocated through it and not yet freed. */
    long liveBuffers();

    /** Whether it is closed. */
    boolean isClosed();

    /**
     * Closes it: nothing more is allocated through it, and buffers still live are reported as a leak of its name
     * (they stay valid, and are freed when closed). Idempotent; never throws.
     */
    @Override
    void close();
}
