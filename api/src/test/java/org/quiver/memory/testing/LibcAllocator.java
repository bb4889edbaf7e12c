package org.quiver.memory.testing;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.spi.Allocator;

/**
 * A real allocator under any name, for tests that register their own backends (hot swap, retirement, a
 * consumer outliving every allocator): libc's aligned_alloc/free, counting its calls so a test can see which
 * allocator served and freed what. {@link #libcAllocate} and {@link #libcFree} are the raw calls, for test
 * allocators that misbehave on purpose.
 *
 * <p>It is also the backend the API's own tests run on, so that they need no allocator module: the api module's
 * test run puts {@code src/test/backend} on its class path, whose {@code META-INF/services} entry makes
 * {@link java.util.ServiceLoader} find it as {@value #NAME} with the system ranking, as it finds a real backend.
 * That folder is not in the test-jar, so the backend modules that reuse these classes never see it.
 */
public class LibcAllocator implements Allocator {

    /** The name under which {@link java.util.ServiceLoader} registers it for the API's own tests. */
    public static final String NAME = "libc";

    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle ALLOC = LINKER.downcallHandle(LINKER.defaultLookup().find("aligned_alloc")
            .orElseThrow(), FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
    private static final MethodHandle FREE = LINKER.downcallHandle(LINKER.defaultLookup().find("free").orElseThrow(),
            FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

    public final String name;
    public final AtomicLong allocations = new AtomicLong();
    public final AtomicLong frees = new AtomicLong();
    /** Bytes allocated and not freed. */
    public final AtomicLong outstanding = new AtomicLong();
    public final AtomicLong closes = new AtomicLong();
    /** Calls after close: the platform promised there are none. */
    public final AtomicLong callsAfterClose = new AtomicLong();

    /** The backend of the API's own tests, {@value #NAME}, as {@link java.util.ServiceLoader} makes it. */
    public LibcAllocator() {
        this(NAME);
    }

    public LibcAllocator(String name) {
        this.name = name;
    }

    /** {@code aligned_alloc(alignment, size rounded up to the alignment)}, uncounted. */
    public static long libcAllocate(long size, long alignment) {
        try {
            return ((MemorySegment) ALLOC.invokeExact(alignment, (size + alignment - 1) & -alignment)).address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** {@code free(address)}, uncounted. */
    public static void libcFree(long address) {
        try {
            FREE.invokeExact(MemorySegment.ofAddress(address));
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    @Override
    public String name() {
        return name;
    }

    @Override
    public long allocate(long size, long alignment) {
        afterClose();
        long a = libcAllocate(size, alignment);
        if (a != 0) {
            allocations.incrementAndGet();
            outstanding.addAndGet(size);
        }
        return a;
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
        libcFree(address);
        frees.incrementAndGet();
        outstanding.addAndGet(-size);
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
