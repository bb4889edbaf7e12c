package org.quiver.internal.memory;

import java.util.function.Consumer;

import org.quiver.memory.MemoryPool;

/**
 * Passes every allocate, reallocate and free as a line to a sink (standard output unless told otherwise), then
 * forwards it: pyarrow's {@code logging_memory_pool}. Its statistics are the parent's.
 */
public final class LoggingPool extends ForwardingPool {

    private final Consumer<String> sink;

    public LoggingPool(MemoryPool parent, Consumer<String> sink) {
        super(parent);
        this.sink = java.util.Objects.requireNonNull(sink, "sink");
    }

    private void log(String line) {
        sink.accept(line);
    }

    @Override
    void allocateInto(PoolBuffer buffer, long capacity) {
        parentToAllocate().allocateInto(buffer, capacity);
        log("allocate: size=" + capacity + " alignment=" + buffer.alignment + " address=0x"
                + Long.toHexString(buffer.address) + " backend=" + buffer.backend.backendName());
    }

    @Override
    void reallocateIn(PoolBuffer buffer, long newCapacity) {
        long old = buffer.capacity;
        long oldAddress = buffer.address;
        parentLink().reallocateIn(buffer, newCapacity);
        log("reallocate: oldSize=" + old + " newSize=" + newCapacity + " alignment=" + buffer.alignment
                + " address=0x" + Long.toHexString(oldAddress) + " -> 0x" + Long.toHexString(buffer.address)
                + " backend=" + buffer.backend.backendName());
    }

    @Override
    void freeFrom(PoolBuffer buffer) {
        long capacity = buffer.capacity;
        long address = buffer.address;
        parentLink().freeFrom(buffer);
        log("free: size=" + capacity + " alignment=" + buffer.alignment + " address=0x" + Long.toHexString(address)
                + " backend=" + buffer.backend.backendName());
    }

    @Override
    public long bytesAllocated() {
        return parentLink().bytesAllocated();
    }

    @Override
    public long peakBytesAllocated() {
        return parentLink().peakBytesAllocated();
    }

    @Override
    public long cumulativeBytesAllocated() {
        return parentLink().cumulativeBytesAllocated();
    }

    @Override
    public long numAllocations() {
        return parentLink().numAllocations();
    }
}
