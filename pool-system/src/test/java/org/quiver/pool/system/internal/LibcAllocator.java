package org.quiver.pool.system.internal;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.spi.Allocator;

/**
 * A second, independent real allocator for the hot-swap tests: libc's aligned_alloc/free under another name,
 * counting its calls so a test can see which allocator served and freed what.
 */
class LibcAllocator implements Allocator {

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("aligned_alloc")
            .orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    final String name;
    final AtomicLong allocations = new AtomicLong();
    final AtomicLong frees = new AtomicLong();
    final AtomicLong outstanding = new AtomicLong();
    final AtomicLong closes = new AtomicLong();
    /** Calls after close: the platform promised there are none. */
    final AtomicLong callsAfterClose = new AtomicLong();

    LibcAllocator(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long allocate(long size, long alignment) {
        afterClose();
        try {
            long a = ((MemorySegment) ALLOC.invokeExact(alignment, (size + alignment - 1) & -alignment)).address();
            if (a != 0) {
                allocations.incrementAndGet();
                outstanding.addAndGet(size);
            }
            return a;
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        long fresh = allocate(newSize, alignment);
        if (fresh != 0) {
            MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(oldSize), 0,
                    MemorySegment.ofAddress(fresh).reinterpret(newSize), 0, Math.min(oldSize, newSize));
            free(address, oldSize, alignment);
        }
        return fresh;
    }

    @Override
    public void free(long address, long size, long alignment) {
        afterClose();
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
            frees.incrementAndGet();
            outstanding.addAndGet(-size);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public void close() {
        closes.incrementAndGet();
    }

    private void afterClose() {
        if (closes.get() != 0) {
            callsAfterClose.incrementAndGet();
        }
    }
}
