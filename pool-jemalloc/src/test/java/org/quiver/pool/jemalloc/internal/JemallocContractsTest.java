package org.quiver.pool.jemalloc.internal;

import org.quiver.memory.testing.BackendContracts;

/** Every contract suite against the jemalloc pool (found by ServiceLoader) and the default pool it serves. */
class JemallocContractsTest extends BackendContracts {

    @Override
    protected String backend() {
        return "jemalloc";
    }
}
