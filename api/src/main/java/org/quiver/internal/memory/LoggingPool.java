package org.quiver.internal.memory;

import java.util.function.Consumer;

import org.quiver.memory.MemoryPool;

/**
 * Logs every allocate, reallocate and free, then forwards it: pyarrow's {@code logging_memory_pool}. Its
 * statistics are the parent's.
 */
public final class LoggingPool extends ForwardingPool {

    private static final System.Logger LOG = System.getLogger("org.quiver.memory");

    private final Consumer<String> sink;

    public LoggingPool(MemoryPool parent, Consumer<String> sink) {
        super(parent);
        this.sink = sink;
    }

    private void log(String line) {
        if (sink != null) {
            sink.accept(line);
        } else {
            LOG.log(System.Logger.Level.DEBUG, line);
        }
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        parent.allocateInto(buffer, capacity);
        log("allocate: size=" + capacity + " alignment=" + buffer.alignment + " address=0x"
                + Long.toHexString(buffer.address) + " backend=" + backendName());
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long oldAddress = buffer.address;
        parent.reallocateIn(buffer, newCapacity);
        log("reallocate: oldSize=" + old + " newSize=" + newCapacity + " alignment=" + buffer.alignment
                + " address=0x" + Long.toHexString(oldAddress) + " -> 0x" + Long.toHexString(buffer.address)
                + " backend=" + backendName());
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        long address = buffer.address;
        parent.freeFrom(buffer);
        log("free: size=" + capacity + " alignment=" + buffer.alignment + " address=0x" + Long.toHexString(address)
                + " backend=" + backendName());
    }

    @Override
    public long bytesAllocated() {
        return parent.bytesAllocated();
    }

    @Override
    public long maxMemory() {
        return parent.maxMemory();
    }

    @Override
    public long totalBytesAllocated() {
        return parent.totalBytesAllocated();
    }

    @Override
    public long numAllocations() {
        return parent.numAllocations();
    }
}
