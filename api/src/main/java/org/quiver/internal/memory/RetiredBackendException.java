package org.quiver.internal.memory;

/**
 * An allocation reached a backend whose allocator was unregistered. The default pool catches it and asks its
 * new delegate; anyone holding the backend's pool directly sees it.
 */
final class RetiredBackendException extends IllegalStateException {

    private static final long serialVersionUID = 1L;

    RetiredBackendException(String backend, long size) {
        super("memory pool backend '" + backend + "' was unregistered (its bundle stopped or its registration was "
                + "closed) and allocates no more: size=" + size + ". Its live buffers stay valid. Allocate from "
                + "MemoryPool.defaultPool(), or look the backend up again with MemoryPool.pool(name).");
    }
}
