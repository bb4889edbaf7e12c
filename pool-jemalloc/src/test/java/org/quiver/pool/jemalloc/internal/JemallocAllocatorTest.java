package org.quiver.pool.jemalloc.internal;

import java.io.IOException;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.testing.DebianMultiarch;
import org.quiver.memory.testing.ProcessMemory;
import org.quiver.memory.testing.RequiredBackend;

/** jemalloc on its own: the bundled build, growth, purging, options, and builds that cannot load. */
class JemallocAllocatorTest {

    /** Debian's libjemalloc2: initial-exec TLS. .ci/run installs it to prove the error and its fix. */
    static final Path DEBIAN_JEMALLOC = DebianMultiarch.library("libjemalloc.so.2");

    @BeforeAll
    static void jemallocIsThere() {
        RequiredBackend.require("jemalloc");
    }

    @Test
    void servesTheDefaultPoolWhenItIsTheBestRanked() {
        // Only api and pool-jemalloc are on this module's test class path.
        assertEquals("jemalloc", MemoryPool.defaultPool().backendName());
        assertEquals(200, MemoryPool.supportedBackends().stream().filter(b -> b.name().equals("jemalloc"))
                .findFirst().orElseThrow().ranking());
    }

    @Test
    void usesTheBundledBuildByPath() {
        Map<String, String> options = MemoryPool.pool("jemalloc").backendOptions();
        String library = options.get("library");
        assertTrue(library.endsWith("/" + System.mapLibraryName("jemalloc")), library);
        assertTrue(library.contains("quiver-native"), "copied out of the jar: " + library);
        // LWJGL builds from a clone without tags: jemalloc says "0.0.0-0-g000000missing_version_try_git_fetch_tags",
        // which is no version; what can be told instead is said.
        assertTrue(options.get("version").startsWith("unknown, newer than 5.3.0 (it has free_sized"),
                options.toString());
        assertTrue(options.get("version").contains("0.0.0-0-g000000missing_version_try_git_fetch_tags"),
                options.toString());
        assertTrue(options.get("build").matches("LWJGL \\d+\\.\\d+\\.\\d+'s build of jemalloc git commit [0-9a-f]{40}"),
                options.toString());
        assertTrue(Integer.parseInt(options.get("narenas")) >= 1, options.toString());
        // Copied once per content: a second allocator opens the same file.
        JemallocAllocator second = new JemallocAllocator();
        assertNull(second.unavailableReason());
        assertEquals(library, second.options().get("library"));
    }

    @Test
    void aRealVersionIsShownAsTheLibrarySaysIt() {
        assertEquals("5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c",
                JemallocAllocator.version("5.3.0-0-g54eaed1d8b56b1aa528be3bdd1877e59c56fa90c", false));
        assertEquals("unknown; the library reports \"0.0.0-0-g000000missing_version_try_git_fetch_tags\" (built "
                + "from a git clone without tags)",
                JemallocAllocator.version("0.0.0-0-g000000missing_version_try_git_fetch_tags", false));
    }

    @Test
    void growthKeepsBytesAlignmentAndTheSizeClassJemallocReports() {
        JemallocAllocator je = new JemallocAllocator();
        long size = 64;
        long address = je.allocate(size, 64);
        assertTrue(address != 0);
        MemorySegment all = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        all.set(ValueLayout.JAVA_LONG, address, 0x5EED_5EEDL);
        for (long next : new long[] {100, 4096, 4097, 70_000, 1 << 20, (1 << 20) + 4096, 8 << 20, (8 << 20) + 64}) {
            address = je.reallocate(address, size, next, 64);
            assertTrue(address != 0 && address % 64 == 0, "aligned after growing to " + next);
            assertEquals(0x5EED_5EEDL, all.get(ValueLayout.JAVA_LONG, address),
                    "bytes kept growing to " + next);
            if (next < JemallocAllocator.MMAP_THRESHOLD) {
                assertTrue(je.usableSize(address) >= next); // from the threshold on, the block is the kernel's
            }
            size = next;
        }
        // Shrinking goes through rallocx: the size class follows.
        address = je.reallocate(address, size, 128, 64);
        assertEquals(128, je.usableSize(address));
        je.free(address, 128, 64);
    }

    @Test
    void purgeReturnsFreedMemoryToTheOperatingSystem() {
        MemoryPool pool = MemoryPool.pool("jemalloc");
        pool.setBackendOption("dirty_decay_ms", "-1"); // keep every freed page until purged
        try {
            List<ResizableBuffer> blocks = new ArrayList<>();
            for (int i = 0; i < 4096; i++) {               // 256 MiB in 64 KiB blocks, every page touched
                ResizableBuffer b = pool.allocate(64 * 1024);
                b.asSegment().fill((byte) 1);
                blocks.add(b);
            }
            blocks.forEach(ResizableBuffer::close);
            long afterFree = ProcessMemory.residentBytes();
            pool.releaseUnused();
            long afterPurge = ProcessMemory.residentBytes();
            assertTrue(afterFree - afterPurge > 128L << 20, "purge returned only " + (afterFree - afterPurge)
                    + " bytes: resident " + afterFree + " -> " + afterPurge);
        } finally {
            pool.setBackendOption("dirty_decay_ms", "10000");
        }
    }

    @Test
    void decayTimesCanBeReadAndSet() {
        MemoryPool pool = MemoryPool.pool("jemalloc");
        String before = pool.backendOptions().get("muzzy_decay_ms");
        try {
            pool.setBackendOption("muzzy_decay_ms", "1234");
            assertEquals("1234", pool.backendOptions().get("muzzy_decay_ms"));
        } finally {
            pool.setBackendOption("muzzy_decay_ms", before);
        }
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> pool.setBackendOption("narenas", "4"));
        assertTrue(unknown.getMessage().contains("narenas") && unknown.getMessage().contains("dirty_decay_ms"),
                unknown.getMessage());
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> pool.setBackendOption("dirty_decay_ms", "soon"));
        assertTrue(bad.getMessage().contains("soon"), bad.getMessage());
        assertThrows(IllegalArgumentException.class, () -> pool.setBackendOption("dirty_decay_ms", "-2"));
        assertEquals(before, pool.backendOptions().get("muzzy_decay_ms"));
    }

    @Test
    void decayTimesFromComponentProperties() {
        JemallocAllocator je = new JemallocAllocator(Map.of("muzzy_decay_ms", "777"));
        try {
            assertEquals("777", je.options().get("muzzy_decay_ms"));
        } finally {
            je.setOption("muzzy_decay_ms", "0");
        }
    }

    @Test
    void aMissingConfiguredLibraryIsReported() {
        JemallocAllocator je = new JemallocAllocator(Map.of("library", "/nonexistent/libjemalloc.so"));
        assertNotNull(je.unavailableReason());
        assertTrue(je.unavailableReason().contains("/nonexistent/libjemalloc.so"), je.unavailableReason());
    }

    @Test
    void debiansJemallocIsReportedWithTheRealCauseAndTheFix() {
        RequiredBackend.requireFile(DEBIAN_JEMALLOC, "libjemalloc2");
        JemallocAllocator je = new JemallocAllocator(Map.of("library", DEBIAN_JEMALLOC.toString()));
        String reason = je.unavailableReason();
        assertNotNull(reason, "Debian's jemalloc loaded into a running JVM?");
        assertTrue(reason.contains("cannot allocate memory in static TLS block"), reason);
        assertTrue(reason.contains("GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096"), reason);
        assertTrue(reason.contains("LD_PRELOAD=" + DEBIAN_JEMALLOC), reason);
    }

    @Test
    void theFixWorks_debiansJemallocLoadsWithTheTunable() throws Exception {
        RequiredBackend.requireFile(DEBIAN_JEMALLOC, "libjemalloc2");
        String out = runConfiguredMain("-Dquiver.jemalloc.library=" + DEBIAN_JEMALLOC, "GLIBC_TUNABLES",
                "glibc.rtld.optional_static_tls=4096");
        assertTrue(out.contains("allocated from " + DEBIAN_JEMALLOC), out);
        assertTrue(Files.isRegularFile(DEBIAN_JEMALLOC));
    }

    /**
     * jemalloc retains its mappings by default ({@code opt.retain}): only the blocks Quiver maps itself (from 8 MiB)
     * are ever unmapped, so only those are guarded by default. Told not to retain, it may unmap any extent, and
     * every block is guarded.
     */
    @Test
    void unmapsOnlyTheBlocksQuiverMapsUnlessToldNotToRetain() throws Exception {
        assertEquals(8L << 20, new JemallocAllocator().unmapsFreedBlocksFrom());
        // The bundled library is copied where this JVM copies it (the build's target folder), not to /tmp.
        String out = runConfiguredMain("-Dquiver.native.dir=" + System.getProperty("quiver.native.dir",
                Path.of("target", "quiver-native").toAbsolutePath().toString()), "JE_MALLOC_CONF", "retain:false");
        assertTrue(out.contains("unmaps freed blocks from 0"), out);
    }

    /**
     * pyarrow's {@code print_stats()}: jemalloc's {@code malloc_stats_print}, through a callback into Java. The
     * bundled build (LWJGL's) is configured without statistics counters ({@code config.stats: false}), so the
     * report has its options and size classes, not allocated totals.
     */
    @Test
    void printsJemallocsOwnStatistics() throws IOException {
        MemoryPool pool = MemoryPool.pool("jemalloc");
        try (ResizableBuffer b = pool.allocate(1 << 20)) {
            StringBuilder out = new StringBuilder();
            pool.printStats(out);
            String text = out.toString();
            assertTrue(text.contains("___ Begin jemalloc statistics ___"), text);
            assertTrue(text.contains("--- End jemalloc statistics ---"), text);
            assertTrue(text.contains("opt.retain: true"), text);
            assertTrue(text.contains("config.stats: false") || text.contains("Allocated: "), text);
        }
    }

    /** Runs {@link ConfiguredJemallocMain} in a child JVM with one option and one environment variable; its output. */
    private static String runConfiguredMain(String option, String variable, String value) throws Exception {
        String java = ProcessHandle.current().info().command().orElseThrow();
        ProcessBuilder pb = new ProcessBuilder(java, "--enable-native-access=ALL-UNNAMED", "-cp",
                System.getProperty("java.class.path"), option, ConfiguredJemallocMain.class.getName());
        pb.environment().put(variable, value);
        pb.redirectErrorStream(true);
        Process p = pb.start();
        String out = new String(p.getInputStream().readAllBytes());
        assertTrue(p.waitFor(60, TimeUnit.SECONDS));
        assertEquals(0, p.exitValue(), out);
        return out;
    }
}
