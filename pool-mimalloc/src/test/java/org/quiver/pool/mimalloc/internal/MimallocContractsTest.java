package org.quiver.pool.mimalloc.internal;

import org.quiver.memory.testing.BackendContracts;

/** Every contract suite against the mimalloc pool (found by ServiceLoader) and the default pool it serves. */
class MimallocContractsTest extends BackendContracts {

    @Override
    protected String backend() {
        return "mimalloc";
    }
}
