package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.CpuDevice;

/**
 * Where memory lives: Arrow's {@code Device}. Today the only device is the CPU ({@link #cpu()}); the type exists
 * so that code written against it keeps working when other devices come.
 *
 * @since 1.0
 */
@ProviderType
public interface Device {

    /** The CPU: main memory. */
    static Device cpu() {
        return CpuDevice.INSTANCE;
    }

    /** A short name of the device type, such as {@code "cpu"}. */
    String typeName();

    /** The device number within its type ({@code 0} for the CPU). */
    int deviceId();

    /** Whether the CPU can address this device's memory directly. */
    boolean isCpu();

    /** The memory manager allocating on this device with the default pool. */
    MemoryManager defaultMemoryManager();
}
