package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.memory.spi.Allocator;
import org.quiver.memory.spi.Allocators;

/**
 * A consumer that outlives every allocator (at every OSGi shutdown the allocator bundles stop first): closing its
 * view reports the leak, naming each buffer's real backend, and never fails, although the default pool has no
 * backend left; its buffers stay valid and are freed by their own retired allocators.
 */
class ConsumerLeakWithoutBackendTest {

    /** libc's aligned_alloc and free under a name, counting what it holds. */
    static final class Libc implements Allocator {
        private static final Linker LINKER = Linker.nativeLinker();
        private static final MethodHandle ALLOC = LINKER.downcallHandle(
                LINKER.defaultLookup().find("aligned_alloc").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG));
        private static final MethodHandle FREE = LINKER.downcallHandle(
                LINKER.defaultLookup().find("free").orElseThrow(), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS));

        final String name;
        final AtomicLong blocks = new AtomicLong();

        Libc(String name) {
            this.name = name;
        }

        @Override
        public String name() {
            return name;
        }

        @Override
        public long allocate(long size, long alignment) {
            try {
                long a = ((MemorySegment) ALLOC.invokeExact(Math.max(alignment, 16),
                        (size + alignment - 1) & -alignment)).address();
                blocks.incrementAndGet();
                return a;
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }

        @Override
        public long reallocate(long address, long oldSize, long newSize, long alignment) {
            long fresh = allocate(newSize, alignment);
            MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(oldSize), 0,
                    MemorySegment.ofAddress(fresh).reinterpret(newSize), 0, Math.min(oldSize, newSize));
            free(address, oldSize, alignment);
            return fresh;
        }

        @Override
        public void free(long address, long size, long alignment) {
            try {
                FREE.invokeExact(MemorySegment.ofAddress(address));
                blocks.decrementAndGet();
            } catch (Throwable t) {
                throw new IllegalStateException(t);
            }
        }
    }

    @Test
    void theLeakIsReportedPerBackend_whenNoBackendIsLeft() throws Exception {
        Libc jemallocLike = new Libc("first");
        Libc mimallocLike = new Libc("second");
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        List<Buffer> held = new ArrayList<>();
        try (AutoCloseable listener = LeakDetection.addListener(reports::add)) {
            ConsumerPool view = ConsumerPool.open(MemoryPool.defaultPool(), "bundle com.acme.reader [42]",
                    "com.acme.reader", -1);
            Allocators.Registration first = Allocators.register(jemallocLike, 1000);
            held.add(view.allocate(1000));
            held.add(view.allocate(100));
            Allocators.Registration second = Allocators.register(mimallocLike, 2000);
            held.add(view.allocate(5000));
            assertEquals("second", ((ResizableBuffer) held.get(2)).pool().backendName());
            first.close();
            second.close();
            assertThrows(IllegalStateException.class, () -> MemoryPool.defaultPool().backendName(),
                    "no backend is available any more");
            // Nothing a consumer's view says about itself may fail now.
            assertTrue(view.toString().contains("{first=2, second=1}"), view.toString());
            assertTrue(held.get(0).toString().contains("pool=first"), held.get(0).toString());

            view.close();
            assertEquals(1, reports.size());
            LeakReport r = reports.get(0);
            assertEquals("bundle com.acme.reader [42]", r.owner());
            assertEquals(3, r.buffers());
            assertEquals(1024 + 128 + 5056, r.capacity());
            assertEquals("first, second", r.backendName());

            // The buffers stay valid, can still grow through their own retired allocator, and are freed by it.
            held.get(0).setLong(0, 7);
            ((ResizableBuffer) held.get(0)).resize(3000);
            assertEquals(7, held.get(0).getLong(0));
            for (Buffer b : held) {
                b.close();
            }
            held.clear();
            assertEquals(0, jemallocLike.blocks.get());
            assertEquals(0, mimallocLike.blocks.get());
            assertEquals(0, MemoryPool.totalAllocatedBytes());
        } finally {
            held.forEach(Buffer::close);
        }
    }
}
