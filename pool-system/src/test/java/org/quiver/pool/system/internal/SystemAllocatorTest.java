package org.quiver.pool.system.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocator;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.ProcessMemory;

/** The libc allocator: how it is found, the mmap path, trimming, configuration. */
class SystemAllocatorTest {

    @Test
    void isAvailableOnLinux() {
        SystemAllocator a = new SystemAllocator();
        assertNull(a.unavailableReason());
        assertEquals("system", a.name());
        assertEquals(SystemAllocator.DEFAULT_MMAP_THRESHOLD, a.mmapThreshold());
    }

    /**
     * The module's service entry makes ServiceLoader register it, with the system ranking, and then it serves the
     * default pool (how the API chooses among backends is tested in the api module, on its test backend).
     */
    @Test
    void isFoundByServiceLoaderWithTheSystemRankingAndServesTheDefaultPool() {
        MemoryBackend system = MemoryPool.supportedBackends().stream().filter(b -> b.name().equals("system"))
                .findFirst().orElseThrow();
        assertTrue(system.available());
        assertTrue(system.isDefault());
        assertEquals(SystemAllocator.RANKING, system.ranking());
        assertEquals("system", MemoryPool.defaultPool().backendName());
    }

    @Test
    void thresholdBelowAPageIsRefused() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> new SystemAllocator(100));
        assertTrue(e.getMessage().contains("threshold=100"), e.getMessage());
        assertEquals(1 << 16, new SystemAllocator(java.util.Map.of("mmap.threshold", "64k"))
                .mmapThreshold());
    }

    @Test
    void mmappedBlocksArePageAlignedAndGrowInPlaceOrByRemapping() {
        SystemAllocator a = new SystemAllocator(1 << 16);
        long p = a.allocate(1 << 16, 64);
        assertEquals(0, p % 4096, "mmap gives page alignment");
        Buffer view = Buffer.wrap(java.lang.foreign.MemorySegment.ofAddress(p).reinterpret(1 << 16));
        view.setLong((1 << 16) - 8, 77);
        long q = a.reallocate(p, 1 << 16, 1 << 24, 64);
        assertEquals(0, q % 4096);
        Buffer grown = Buffer.wrap(java.lang.foreign.MemorySegment.ofAddress(q).reinterpret(1 << 24));
        assertEquals(77, grown.getLong((1 << 16) - 8));
        grown.setLong((1 << 24) - 8, 88);
        long r = a.reallocate(q, 1 << 24, 1000, 64); // back below the threshold: copied to aligned_alloc
        assertEquals(0, r % 64);
        a.free(r, 1000, 64);
        assertEquals(0, a.allocate(1L << 50, 64), "mmap of a petabyte fails cleanly");
    }

    @Test
    void aPoolWithASmallThresholdPassesTheContract() {
        // a second system allocator with another threshold, so the mmap path also serves 64 KiB buffers
        SystemAllocator small = new SystemAllocator(1 << 16);
        try (Allocators.Registration r = Allocators.register(new LibcNamed("system-small", small), 1)) {
            MemoryPool pool = MemoryPool.pool("system-small");
            try (ResizableBuffer b = pool.allocate(70_000)) {
                b.setInt(69_996, 5);
                b.resize(10_000_000);
                assertEquals(5, b.getInt(69_996));
                b.resize(100);
            }
            assertEquals(0, pool.bytesAllocated());
        }
    }

    /** Heap fragmentation pinned by one live block; malloc_trim hands the free pages back. */
    @Test
    void releaseUnusedReturnsFreedMemoryToTheOperatingSystem() throws Exception {
        MemoryPool pool = MemoryPool.pool("system");
        List<ResizableBuffer> blocks = new ArrayList<>();
        for (int i = 0; i < 3200; i++) { // 200 MiB in 64 KiB blocks: below glibc's own mmap threshold
            ResizableBuffer b = pool.allocate(64 << 10);
            b.fill((byte) 1); // touch every page
            blocks.add(b);
        }
        ResizableBuffer pin = blocks.remove(blocks.size() - 1);
        blocks.forEach(Buffer::close);
        long afterFree = ProcessMemory.residentBytes();
        pool.releaseUnused();
        long afterTrim = ProcessMemory.residentBytes();
        pin.close();
        assertTrue(afterFree - afterTrim > 100L << 20,
                "malloc_trim returned " + ((afterFree - afterTrim) >> 20) + " MiB (resident " + (afterFree >> 20)
                        + " -> " + (afterTrim >> 20) + " MiB)");
    }

    /** Renames an allocator, so a second instance can be registered beside the ServiceLoader one. */
    private record LibcNamed(String name, SystemAllocator delegate) implements Allocator {
        @Override
        public long allocate(long size, long alignment) {
            return delegate.allocate(size, alignment);
        }

        @Override
        public long reallocate(long address, long oldSize, long newSize, long alignment) {
            return delegate.reallocate(address, oldSize, newSize, alignment);
        }

        @Override
        public void free(long address, long size, long alignment) {
            delegate.free(address, size, alignment);
        }
    }

    /**
     * glibc maps (and unmaps on free) every block whose request reaches its mmap threshold, 128 KiB where it
     * starts, or where its tunables fix it; the system pool must report the lowest, less glibc's bookkeeping.
     */
    @Test
    void unmapsWhatGlibcOrQuiverMaps() {
        assertEquals(128 * 1024, SystemAllocator.glibcMmapThreshold(Map.of()));
        assertEquals(65536, SystemAllocator.glibcMmapThreshold(
                Map.of("GLIBC_TUNABLES", "glibc.rtld.optional_static_tls=4096:glibc.malloc.mmap_threshold=65536")));
        assertEquals(0x40000, SystemAllocator.glibcMmapThreshold(Map.of("MALLOC_MMAP_THRESHOLD_", "0x40000")));
        assertEquals(4096, SystemAllocator.glibcMmapThreshold(Map.of("MALLOC_MMAP_THRESHOLD_", "0x40000",
                "GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=4096")), "the tunable wins");
        assertEquals(128 * 1024, SystemAllocator.glibcMmapThreshold(Map.of("MALLOC_MMAP_THRESHOLD_", "lots")),
                "glibc ignores what it cannot read");
        if (System.getenv("GLIBC_TUNABLES") == null && System.getenv("MALLOC_MMAP_THRESHOLD_") == null) {
            assertEquals(128 * 1024 - 64, new SystemAllocator().unmapsFreedBlocksFrom());
            assertEquals(64 * 1024, new SystemAllocator(64 * 1024).unmapsFreedBlocksFrom(),
                    "Quiver's own mapped blocks, when its threshold is lower");
        }
    }

    /** pyarrow's {@code print_stats()}: glibc's {@code malloc_info}, its arenas as XML. */
    @Test
    void printsGlibcsOwnStatistics() throws java.io.IOException {
        StringBuilder out = new StringBuilder();
        MemoryPool.pool("system").printStats(out);
        String xml = out.toString();
        assertTrue(xml.startsWith("<malloc version=\"1\">") && xml.strip().endsWith("</malloc>"), xml);
        assertTrue(xml.contains("<heap nr=\"0\">"), xml);
    }
}
