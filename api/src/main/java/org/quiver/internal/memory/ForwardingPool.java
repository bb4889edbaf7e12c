package org.quiver.internal.memory;

import org.quiver.memory.MemoryPool;

/** A link that forwards to a parent pool: the backend's name and trimming are the parent's. */
abstract class ForwardingPool extends AbstractMemoryPool {

    final AbstractMemoryPool parent;

    ForwardingPool(MemoryPool parent) {
        this.parent = chainable(parent);
    }

    @Override
    final boolean dependsOn(AbstractMemoryPool pool) {
        return this == pool || parent.dependsOn(pool);
    }

    @Override
    final BackendPool backend() {
        return parent.backend();
    }

    @Override
    public final String backendName() {
        return parent.backendName();
    }

    @Override
    public final void releaseUnused() {
        parent.releaseUnused();
    }
}
