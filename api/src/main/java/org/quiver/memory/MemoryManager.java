package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.CpuDevice;

/**
 * Allocates and moves memory on one {@link Device}: Arrow's {@code MemoryManager}.
 *
 * @since 1.0
 */
@ProviderType
public interface MemoryManager {

    /** A CPU memory manager that allocates from {@code pool}. */
    static MemoryManager cpu(MemoryPool pool) {
        return CpuDevice.memoryManager(pool);
    }

    /** The device this manager allocates on. */
    Device device();

    /** Whether the device is the CPU. */
    default boolean isCpu() {
        return device().isCpu();
    }

    /** The pool allocations come from. */
    MemoryPool pool();

    /** Allocates a buffer of {@code size} bytes on the device. */
    ResizableBuffer allocate(long size);

}
