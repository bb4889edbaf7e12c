package org.quiver.pool.mimalloc.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.testing.ProcessMemory;
import org.quiver.memory.testing.RequiredBackend;

/** mimalloc on its own: the operating system's library, growth, collection, options, a missing library. */
class MimallocAllocatorTest {

    @BeforeAll
    static void mimallocIsThere() {
        RequiredBackend.require("mimalloc");
    }

    @Test
    void servesTheDefaultPoolWhenItIsTheBestRanked() {
        assertEquals("mimalloc", MemoryPool.defaultPool().backendName());
        assertEquals(300, MemoryPool.supportedBackends().stream().filter(b -> b.name().equals("mimalloc"))
                .findFirst().orElseThrow().ranking());
    }

    @Test
    void usesTheOperatingSystemsLibrary() {
        Map<String, String> options = MemoryPool.pool("mimalloc").backendOptions();
        assertEquals("libmimalloc.so.2", options.get("library"));
        assertTrue(options.get("version").startsWith("2."), options.toString());
        assertTrue(ProcessMemory.mapped("libmimalloc.so.2.0") || ProcessMemory.mapped("libmimalloc.so.2"));
    }

    /**
     * mimalloc 2.0.9's own aligned calls misalign (256, 256), (512, 512), (1024, 1024) and reallocations at
     * alignments 256 to 1024 (reproduced from C); the allocator never returns such a block.
     */
    @Test
    void theAllocatorItselfNeverReturnsAMisalignedBlock() {
        MimallocAllocator mi = new MimallocAllocator();
        MemorySegment all = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        for (long alignment = 128; alignment <= 4096; alignment *= 2) {
            for (long size = 64; size <= 2048; size += 64) {
                long address = mi.allocate(size, alignment);
                assertEquals(0, address % alignment, "allocate size=" + size + " alignment=" + alignment);
                all.set(ValueLayout.JAVA_LONG, address, size);
                long current = size;
                for (long next : new long[] {64, 832, 1024, 256, 300 << 10, 64}) {
                    address = mi.reallocate(address, current, next, alignment);
                    assertEquals(0, address % alignment, "reallocate " + current + " -> " + next + " alignment="
                            + alignment);
                    assertEquals(size, all.get(ValueLayout.JAVA_LONG, address), "data kept");
                    current = next;
                }
                mi.free(address, current, alignment);
            }
        }
    }

    @Test
    void growthKeepsBytesAndAlignment() {
        MimallocAllocator mi = new MimallocAllocator();
        assertNull(mi.unavailableReason());
        MemorySegment all = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        long size = 64;
        long address = mi.allocate(size, 64);
        all.set(ValueLayout.JAVA_LONG, address, 0x5EED_5EEDL);
        for (long next : new long[] {100, 4096, 70_000, 1 << 20, 8 << 20, (8 << 20) + 64, 100}) {
            address = mi.reallocate(address, size, next, 64);
            assertTrue(address != 0 && address % 64 == 0, "aligned after resizing to " + next);
            assertEquals(0x5EED_5EEDL, all.get(ValueLayout.JAVA_LONG, address), "bytes kept resizing to " + next);
            if (next < MimallocAllocator.MMAP_THRESHOLD) {
                assertTrue(mi.usableSize(address) >= next); // from the threshold on, the block is the kernel's
            }
            size = next;
        }
        mi.free(address, size, 64);
        long paged = mi.allocate(100, 4096);
        assertEquals(0, paged % 4096);
        mi.free(paged, 100, 4096);
    }

    @Test
    void collectReturnsFreedMemoryToTheOperatingSystem() throws InterruptedException {
        MemoryPool pool = MemoryPool.pool("mimalloc");
        long before = ProcessMemory.residentBytes();
        List<ResizableBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < 4096; i++) {                   // 256 MiB in 64 KiB blocks, every page touched
            ResizableBuffer b = pool.allocate(64 * 1024);
            b.asSegment().fill((byte) 1);
            blocks.add(b);
        }
        long peak = ProcessMemory.residentBytes();
        blocks.forEach(ResizableBuffer::close);
        // mimalloc decommits freed memory once its delays (25 ms for pages, 500 ms for segments) have passed:
        // a collection after that returns it. Ten seconds is far more than either.
        long afterCollect = Long.MAX_VALUE;
        for (long deadline = System.nanoTime() + 10_000_000_000L; System.nanoTime() < deadline
                && peak - afterCollect <= 128L << 20; Thread.sleep(100)) {
            pool.releaseUnused();
            afterCollect = ProcessMemory.residentBytes();
        }
        assertTrue(peak - before > 200L << 20, "the blocks were resident: " + before + " -> " + peak);
        assertTrue(peak - afterCollect > 128L << 20, "mi_collect returned only " + (peak - afterCollect)
                + " bytes: resident " + peak + " -> " + afterCollect);
    }

    @Test
    void optionsCanBeReadAndSet() {
        MemoryPool pool = MemoryPool.pool("mimalloc");
        Map<String, String> options = pool.backendOptions();
        assertEquals("16", options.get("max_errors"), options.toString());
        try {
            pool.setBackendOption("max_warnings", "3");
            assertEquals("3", pool.backendOptions().get("max_warnings"));
        } finally {
            pool.setBackendOption("max_warnings", options.get("max_warnings"));
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> pool.setBackendOption("no_such_option", "1"));
        assertTrue(unknown.getMessage().contains("no_such_option") && unknown.getMessage().contains("max_errors"),
                unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> pool.setBackendOption("max_errors", "many"));
        assertTrue(bad.getMessage().contains("many"), bad.getMessage());
    }

    @Test
    void optionsFromComponentProperties() {
        MimallocAllocator mi = new MimallocAllocator(Map.of("option.max_warnings", "5"));
        try {
            assertEquals("5", mi.options().get("max_warnings"));
        } finally {
            mi.setOption("max_warnings", "16");
        }
    }

    @Test
    void aMissingLibraryIsReportedWithTheInstallHint() {
        MimallocAllocator mi = new MimallocAllocator(Map.of("library", "/nonexistent/libmimalloc.so.2"));
        assertNotNull(mi.unavailableReason());
        assertTrue(mi.unavailableReason().contains("/nonexistent/libmimalloc.so.2"), mi.unavailableReason());
        assertThrows(IllegalStateException.class, () -> mi.setOption("verbose", "0"));
        assertEquals("-1", mi.options().get("library"));
    }

    /** pyarrow's {@code print_stats()}: mimalloc's {@code mi_stats_print_out}, through a callback into Java. */
    @Test
    void printsMimallocsOwnStatistics() throws java.io.IOException {
        MemoryPool pool = MemoryPool.pool("mimalloc");
        try (ResizableBuffer b = pool.allocate(1 << 20)) {
            StringBuilder out = new StringBuilder();
            pool.printStats(out);
            String text = out.toString();
            assertTrue(text.contains("reserved"), text);
            assertTrue(text.contains("committed"), text);
        }
        StringBuilder viaDefault = new StringBuilder();
        MemoryPool.defaultPool().printStats(viaDefault);
        assertTrue(viaDefault.toString().contains("committed"), "the default pool prints its backend's");
    }
}
