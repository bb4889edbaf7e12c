package org.quiver.internal.memory;

import java.util.Objects;

import org.quiver.memory.Device;
import org.quiver.memory.MemoryManager;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/** The CPU: main memory, and its memory managers (one per pool). */
public final class CpuDevice implements Device {

    public static final CpuDevice INSTANCE = new CpuDevice();

    private final MemoryManager defaultManager = new CpuMemoryManager(null);

    private CpuDevice() {
    }

    public static MemoryManager memoryManager(MemoryPool pool) {
        return new CpuMemoryManager(Objects.requireNonNull(pool, "pool"));
    }

    @Override
    public String typeName() {
        return "cpu";
    }

    @Override
    public int deviceId() {
        return 0;
    }

    @Override
    public boolean isCpu() {
        return true;
    }

    @Override
    public MemoryManager defaultMemoryManager() {
        return defaultManager;
    }

    @Override
    public String toString() {
        return "CpuDevice";
    }

    /** A CPU memory manager; {@code pool == null} means the default pool at the time of each call. */
    private record CpuMemoryManager(MemoryPool fixedPool) implements MemoryManager {
        @Override
        public Device device() {
            return INSTANCE;
        }

        @Override
        public MemoryPool pool() {
            return fixedPool == null ? MemoryPool.defaultPool() : fixedPool;
        }

        @Override
        public ResizableBuffer allocate(long size) {
            return pool().allocate(size);
        }
    }
}
