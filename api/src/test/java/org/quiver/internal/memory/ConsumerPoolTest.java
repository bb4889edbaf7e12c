package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.quiver.memory.Buffer;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.LeakReport;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;

/** A consumer's view (what each OSGi bundle gets): its own counters, a limit, a report when it goes. */
class ConsumerPoolTest {

    @Test
    void countsItsOwnShare_isLimited_andReportsWhatIsLeftWhenClosed() throws Exception {
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        ConsumerPool view = ConsumerPool.open(MemoryPool.defaultPool(), "bundle test.view [7]", Long.MAX_VALUE);
        ConsumerPool other = ConsumerPool.open(MemoryPool.defaultPool(), "bundle test.other [8]", Long.MAX_VALUE);
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            Buffer kept = view.allocate(1000);
            try (Buffer b = other.allocate(100)) {
                assertEquals(1024, view.bytesAllocated());
                assertEquals(1, view.liveBuffers());
                assertEquals(128, other.bytesAllocated());
                String stats = PoolReport.stats();
                assertTrue(stats.matches("(?s).*bundle test\\.view \\[7\\]\\s+1024\\s+1024\\s+1\\s+1\\s+-\n.*"), stats);
            }
            view.setLimit(2048);
            MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class,
                    () -> view.allocate(2000));
            assertTrue(e.getMessage().contains("bundle test.view [7]") && e.getMessage().contains("limit=2048"),
                    e.getMessage());
            assertEquals(1024, view.bytesAllocated(), "a refused allocation changes nothing");
            ConsumerPool limited = ConsumerPool.open(MemoryPool.defaultPool(), "bundle test.view [9]", 512);
            assertEquals(512, limited.limit(), "a view opened with a limit");
            assertThrows(MemoryLimitExceededException.class, () -> limited.allocate(1000));
            limited.close();
            assertThrows(IllegalArgumentException.class,
                    () -> ConsumerPool.open(MemoryPool.defaultPool(), "bundle test.view [10]", -1));
            view.setLimit(Long.MAX_VALUE);
            view.allocate(4000).close();

            view.close();
            view.close(); // idempotent
            assertEquals(1, reports.size());
            LeakReport r = reports.get(0);
            assertEquals("bundle test.view [7]", r.owner());
            assertEquals(1, r.buffers());
            assertEquals(1024, r.capacity());
            assertNull(r.allocationSite(), "sites only at the paranoid level");
            assertThrows(UnsupportedOperationException.class, r::release);
            assertTrue(!PoolReport.stats().contains("test.view"), "a closed view is no longer listed");
            kept.setLong(0, 1);
            kept.close(); // still valid, freed when closed
            other.close();
            assertEquals(1, reports.size(), "nothing left in the other view");
            assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
        }
    }
}
