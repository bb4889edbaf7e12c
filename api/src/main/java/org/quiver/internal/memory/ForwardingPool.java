package org.quiver.internal.memory;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.quiver.memory.MemoryPool;

/**
 * A link that forwards to a parent pool: the backend's name and trimming are the parent's.
 *
 * <p>A link over the default pool ({@code MemoryPool.proxy(MemoryPool.defaultPool())}) forwards to the live
 * default, unless it is made the default pool itself: then it would forward to itself, so it sits from then on on
 * the default beneath it ({@link DefaultPool#BENEATH}: the backend chosen by name, property or ranking, which still
 * follows backends coming and going), as pyarrow's proxy sits on the pool {@code default_memory_pool()} returned.
 * Which of the two a link forwards to is fixed once, by its first allocation or by its installation, so that every
 * buffer is freed along the path that allocated it and the accounting stays exact.
 */
abstract class ForwardingPool extends AbstractMemoryPool {

    private static final int UNSET = 0;
    private static final int LIVE = 1;
    private static final int BENEATH = 2;
    private static final VarHandle OVER_DEFAULT;

    static {
        try {
            OVER_DEFAULT = MethodHandles.lookup().findVarHandle(ForwardingPool.class, "overDefault", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The pool this link was given. */
    private final AbstractMemoryPool given;
    /** For a link over the default pool: {@link #UNSET}, {@link #LIVE} or {@link #BENEATH}. */
    private volatile int overDefault;

    ForwardingPool(MemoryPool parent) {
        this.given = chainable(parent);
    }

    /** The parent, once this link's place is fixed (reallocations, frees, statistics). */
    final AbstractMemoryPool parentLink() {
        AbstractMemoryPool p = given;
        return p == DefaultPool.INSTANCE && overDefault == BENEATH ? DefaultPool.BENEATH : p;
    }

    /** The parent for an allocation: the first one fixes a link over the default pool to the live default. */
    final AbstractMemoryPool parentToAllocate() {
        AbstractMemoryPool p = given;
        if (p != DefaultPool.INSTANCE) {
            return p;
        }
        int state = overDefault;
        if (state == UNSET) {
            OVER_DEFAULT.compareAndSet(this, UNSET, LIVE);
            state = overDefault;
        }
        return state == BENEATH ? DefaultPool.BENEATH : p;
    }

    /**
     * Prepares {@code pool} to be the default pool: the link of its chain over the default pool (if any) is fixed
     * to the default beneath. Idempotent.
     *
     * @throws IllegalArgumentException if {@code pool} is the default pool, or its link over the default pool has
     *                                  allocated through the live default already (its buffers' path is fixed)
     */
    static void settleAsDefault(AbstractMemoryPool pool) {
        if (pool == DefaultPool.INSTANCE || pool == DefaultPool.BENEATH) {
            throw new IllegalArgumentException("the default pool cannot be itself: wrap it"
                    + " (MemoryPool.proxy(MemoryPool.defaultPool())) or name a backend (MemoryPool.setDefault(name))");
        }
        AbstractMemoryPool p = pool;
        while (p instanceof ForwardingPool link) {
            if (link.given == DefaultPool.INSTANCE) {
                if (!OVER_DEFAULT.compareAndSet(link, UNSET, BENEATH) && link.overDefault == LIVE) {
                    throw new IllegalArgumentException("a pool over the default pool can be made the default only"
                            + " before it allocates (it has allocated through the live default, and its buffers"
                            + " are freed that way): " + link + (link == pool ? "" : " in " + pool)
                            + "; make a new one, MemoryPool.setDefault(MemoryPool.proxy(MemoryPool.defaultPool())),"
                            + " and install it first");
                }
                return;
            }
            p = link.given;
        }
    }

    @Override
    final boolean dependsOn(AbstractMemoryPool pool) {
        return this == pool || parentLink().dependsOn(pool);
    }

    @Override
    final BackendPool backend() {
        return parentLink().backend();
    }

    @Override
    public final String backendName() {
        return parentLink().backendName();
    }

    @Override
    public final void releaseUnused() {
        parentLink().releaseUnused();
    }
}
