package org.quiver.itests.osgi;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.spi.Allocator;

/**
 * A small real allocator for the tests: libc {@code aligned_alloc}/{@code free} through FFM, counting every call.
 * Its own {@link #ranking()} is low on purpose: the service's {@code service.ranking} must win.
 * Restricted FFM calls: the surefire JVM grants native access to ALL-UNNAMED, bundles included.
 */
@SuppressWarnings("restricted")
public final class CountingAllocator implements Allocator {

    private static final MethodHandle ALIGNED_ALLOC;
    private static final MethodHandle FREE;

    static {
        Linker linker = Linker.nativeLinker();
        SymbolLookup libc = linker.defaultLookup();
        ALIGNED_ALLOC = linker.downcallHandle(libc.find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        FREE = linker.downcallHandle(libc.find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));
    }

    private final String name;
    public final AtomicLong allocations = new AtomicLong();
    public final AtomicLong reallocations = new AtomicLong();
    public final AtomicLong frees = new AtomicLong();
    public final AtomicLong outstandingBytes = new AtomicLong();

    public CountingAllocator(String name) {
        this.name = name;
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public int ranking() {
        return 1;
    }

    @Override
    public long allocate(long size, long alignment) {
        long address = raw(size, alignment);
        if (address != 0) {
            allocations.incrementAndGet();
            outstandingBytes.addAndGet(size);
        }
        return address;
    }

    private static long raw(long size, long alignment) {
        long a = Math.max(alignment, Long.BYTES);
        long rounded = (size + a - 1) & -a; // aligned_alloc wants a multiple of the alignment
        try {
            return ((MemorySegment) ALIGNED_ALLOC.invokeExact(a, rounded)).address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        long fresh = raw(newSize, alignment);
        if (fresh == 0) {
            return 0;
        }
        long n = Math.min(oldSize, newSize);
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(n), 0,
                MemorySegment.ofAddress(fresh).reinterpret(n), 0, n);
        rawFree(address);
        reallocations.incrementAndGet();
        outstandingBytes.addAndGet(newSize - oldSize);
        return fresh;
    }

    @Override
    public void free(long address, long size, long alignment) {
        rawFree(address);
        frees.incrementAndGet();
        outstandingBytes.addAndGet(-size);
    }

    private static void rawFree(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String toString() {
        return "CountingAllocator[" + name + ", allocations=" + allocations + ", frees=" + frees + "]";
    }
}
