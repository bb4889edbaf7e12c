package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Child pools (Arrow Java's child allocators): own statistics and limit, counted in the parent, leaks named. */
class ChildPoolTest {

    private final MemoryPool parent = MemoryPool.pool("libc");
    private final long parentBefore = parent.bytesAllocated();

    @AfterEach
    void nothingOutstanding() {
        assertEquals(parentBefore, parent.bytesAllocated(), "bytes left in the parent");
    }

    @Test
    void aChildCountsItsOwnAndInItsParent() {
        try (ChildPool reader = parent.newChild("reader"); ChildPool pages = reader.newChild("pages", 4096)) {
            assertEquals("reader", reader.name());
            assertSame(parent, reader.parent());
            assertEquals(Long.MAX_VALUE, reader.limit());
            try (Buffer a = reader.allocate(100); Buffer b = pages.allocate(1000)) {
                assertEquals(128 + 1024, reader.bytesAllocated(), "a grandchild's bytes count in its parent");
                assertEquals(1024, pages.bytesAllocated());
                assertEquals(2, reader.liveBuffers());
                assertEquals(1, pages.liveBuffers());
                assertEquals(parentBefore + 128 + 1024, parent.bytesAllocated());
                assertEquals("libc", pages.backendName());
                MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class,
                        () -> pages.allocate(4000));
                assertTrue(e.getMessage().contains("child pool 'pages'") && e.getMessage().contains("limit=4096"),
                        e.getMessage());
                pages.setLimit(Long.MAX_VALUE);
                pages.allocate(4000).close();
                assertEquals(1024 + 4032, pages.peakBytesAllocated());
            }
            assertEquals(0, reader.bytesAllocated());
            assertEquals(3, reader.numAllocations());
        }
    }

    /** Closed with live buffers: a leak of its name, the buffers stay valid, and are freed through it later. */
    @Test
    void closingWithLiveBuffersReportsThemByName() {
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        ChildPool child = parent.newChild("decoder");
        Buffer kept;
        try (LeakDetection.Registration l = LeakDetection.addListener(reports::add)) {
            kept = child.allocate(500);
            kept.setByte(499, (byte) 9);
            child.close();
            child.close();
        }
        assertTrue(child.isClosed());
        assertEquals(1, reports.size(), reports.toString());
        LeakReport r = reports.getFirst();
        assertEquals("child pool 'decoder'", r.owner());
        assertEquals(1, r.buffers());
        assertEquals(512, r.capacity());
        assertEquals(9, kept.getByte(499), "still valid");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> child.allocate(10));
        assertEquals("closed: child pool 'decoder' allocates nothing more", closed.getMessage());
        kept.close();
        assertEquals(0, child.bytesAllocated(), "freed through the child: every count exact");
        assertEquals(0, child.liveBuffers());
    }

    @Test
    void badArgumentsAreNamed() {
        assertEquals("name", assertThrows(NullPointerException.class, () -> parent.newChild(null)).getMessage());
        assertEquals("a child pool needs a name: name=' '",
                assertThrows(IllegalArgumentException.class, () -> parent.newChild(" ")).getMessage());
        assertEquals("negative limit: limit=-1 (Long.MAX_VALUE for none)",
                assertThrows(IllegalArgumentException.class, () -> parent.newChild("x", -1)).getMessage());
        try (ChildPool child = parent.newChild("x", 10)) {
            assertThrows(IllegalArgumentException.class, () -> child.setLimit(-5));
            assertFalse(child.isClosed());
        }
    }
}
