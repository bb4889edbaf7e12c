package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.memory.testing.LibcAllocator;
import org.quiver.memory.spi.Allocators;

/**
 * A consumer that outlives every allocator (at every OSGi shutdown the allocator bundles stop first): closing its
 * view reports the leak, naming each buffer's real backend, and never fails, although the default pool has no
 * backend left; its buffers stay valid and are freed by their own retired allocators.
 */
@Tag("no-backend") // runs in a JVM of its own, where no backend is installed: see api/pom.xml
class ConsumerLeakWithoutBackendTest {

    @Test
    void theLeakIsReportedPerBackend_whenNoBackendIsLeft() throws Exception {
        LibcAllocator jemallocLike = new LibcAllocator("first");
        LibcAllocator mimallocLike = new LibcAllocator("second");
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        List<Buffer> held = new ArrayList<>();
        try (LeakDetection.Registration listener = LeakDetection.addListener(reports::add)) {
            ConsumerPool view = ConsumerPool.open(MemoryPool.defaultPool(), "bundle com.acme.reader [42]",
                    Long.MAX_VALUE);
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
            assertEquals(0, jemallocLike.outstanding.get());
            assertEquals(0, mimallocLike.outstanding.get());
            assertEquals(0, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            held.forEach(Buffer::close);
        }
    }
}
