package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocator;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * How the default pool is chosen (ranking, run-time switch, system property) and that switching never
 * invalidates a live buffer: each is freed and grown by the allocator that allocated it.
 */
class DefaultPoolSelectionTest {

    @AfterEach
    void backToRanking() {
        MemoryPool.setDefault((String) null);
        System.clearProperty("quiver.memory.pool");
    }

    /**
     * The backend {@link java.util.ServiceLoader} finds (here the test backend) is registered with its own ranking
     * and serves the default pool; each known backend that is not installed is listed with the module to add.
     */
    @Test
    void aBackendFoundByServiceLoaderIsTheDefault_andMissingKnownOnesSayWhatToInstall() {
        List<MemoryBackend> backends = MemoryPool.supportedBackends();
        MemoryBackend found = backends.get(0);
        assertEquals("libc", found.name());
        assertTrue(found.available());
        assertTrue(found.isDefault());
        assertEquals(100, found.ranking(), "its own ranking (the SPI's default, the system allocator's)");
        assertEquals("libc", MemoryPool.defaultPool().backendName());
        for (String missing : List.of("jemalloc", "mimalloc", "system")) {
            MemoryBackend b = backends.stream().filter(x -> x.name().equals(missing)).findFirst().orElseThrow();
            assertFalse(b.available());
            assertTrue(b.unavailableReason().contains("org.quiver.pool." + missing), b.unavailableReason());
        }
    }

    @Test
    void aHigherRankedAllocatorTakesOverAndOldBuffersStayWithTheirAllocator() {
        MemoryPool backend = MemoryPool.pool("libc");
        long backendBefore = backend.bytesAllocated();
        LibcAllocator test = new LibcAllocator("test");
        ResizableBuffer fromLibc = MemoryPool.defaultPool().allocate(1000);
        fromLibc.setLong(0, 11);
        ResizableBuffer fromTest;
        try (Allocators.Registration r = Allocators.register(test, 1000)) {
            assertEquals("test", MemoryPool.defaultPool().backendName());
            fromTest = MemoryPool.defaultPool().allocate(1000);
            assertEquals(1, test.allocations.get());
            fromTest.setLong(0, 22);
            // the old buffer grows with its own allocator
            fromLibc.resize(5000);
            assertEquals(11, fromLibc.getLong(0));
            assertEquals(1, test.allocations.get(), "the libc buffer did not move to the test allocator");
            fromLibc.close();
            assertEquals(backendBefore, backend.bytesAllocated());
        }
        // unregistered: the default is libc again, the test buffer still works and goes home when closed
        assertEquals("libc", MemoryPool.defaultPool().backendName());
        assertEquals(22, fromTest.getLong(0));
        fromTest.resize(3000);
        assertEquals(22, fromTest.getLong(0));
        fromTest.close();
        assertEquals(test.allocations.get(), test.frees.get());
        assertEquals(0, test.outstanding.get());
    }

    @Test
    void switchingAtRunTimeAndByProperty() {
        LibcAllocator other = new LibcAllocator("other");
        try (Allocators.Registration r = Allocators.register(other, 10)) {
            assertEquals("libc", MemoryPool.defaultPool().backendName(), "ranking 10 < 100");
            MemoryPool.setDefault("other");
            assertEquals("other", MemoryPool.defaultPool().backendName());
            assertTrue(MemoryPool.supportedBackends().stream().anyMatch(b -> b.name().equals("other") && b.isDefault()));
            try (Buffer b = MemoryPool.defaultPool().allocate(10)) {
                assertEquals(1, other.allocations.get());
            }
            MemoryPool.setDefault((String) null);
            assertEquals("libc", MemoryPool.defaultPool().backendName());

            System.setProperty("quiver.memory.pool", "OTHER");
            MemoryPool.setDefault((String) null); // re-reads the property
            assertEquals("other", MemoryPool.defaultPool().backendName());
            System.setProperty("quiver.memory.pool", "nonexistent");
            MemoryPool.setDefault((String) null);
            assertEquals("libc", MemoryPool.defaultPool().backendName(), "unknown override falls back");
        }
        assertEquals(0, other.outstanding.get());
    }

    /**
     * A configured default whose backend is missing says why as things are when it is shown, not as they were
     * when the registry last changed (in OSGi its bundle is first starting, later stopped, and so on).
     */
    @Test
    void aMissingConfiguredDefaultIsExplainedAsItIsNow() {
        System.setProperty("quiver.memory.pool", "mimalloc");
        MemoryPool.setDefault((String) null); // re-reads the property
        try {
            assertEquals("libc", MemoryPool.defaultPool().backendName());
            String before = Backends.overrideDescription();
            assertTrue(before.startsWith("'mimalloc' from system property quiver.memory.pool is not available: "
                    + "not installed: add the module or bundle org.quiver.pool.mimalloc"), before);
            Backends.explainAbsence(
                    name -> name.equals("mimalloc") ? "stopped: quiver:start org.quiver.pool.mimalloc" : null);
            String now = Backends.overrideDescription();
            assertTrue(now.startsWith("'mimalloc' from system property quiver.memory.pool is not available: "
                    + "stopped: quiver:start org.quiver.pool.mimalloc;"), now);
        } finally {
            Backends.explainAbsence(null);
        }
    }

    @Test
    void aPoolCanBeTheDefault() {
        MemoryPool capped = MemoryPool.capped(MemoryPool.pool("libc"), 4096);
        MemoryPool.setDefault(capped);
        try (Buffer b = MemoryPool.defaultPool().allocate(4000)) {
            assertEquals(4032, capped.bytesAllocated());
            assertThrows(org.quiver.memory.MemoryLimitExceededException.class,
                    () -> MemoryPool.defaultPool().allocate(100));
        }
        assertEquals(0, capped.bytesAllocated());
    }

    /**
     * pyarrow's {@code set_memory_pool(proxy_memory_pool(default_memory_pool()))}: a proxy over the default pool
     * made the default counts every allocation of the default pool, once, whether it comes through the default
     * pool or the proxy itself, and sits on the backend that served before.
     */
    @Test
    void aProxyOfTheDefaultPoolCanBeTheDefault() {
        MemoryPool backend = MemoryPool.pool("libc");
        long backendBefore = backend.bytesAllocated();
        MemoryPool proxy = MemoryPool.proxy(MemoryPool.defaultPool());
        MemoryPool.setDefault(proxy);
        try (Buffer viaDefault = MemoryPool.defaultPool().allocate(1000);
                Buffer viaBuffer = Buffer.allocate(64);
                ResizableBuffer direct = proxy.allocate(100)) {
            assertEquals(1024 + 64 + 128, proxy.bytesAllocated(), "each allocation counted once");
            assertEquals(3, proxy.numAllocations());
            assertEquals(proxy.bytesAllocated(), MemoryPool.defaultPool().bytesAllocated(), "the default is the proxy");
            assertEquals(backendBefore + proxy.bytesAllocated(), backend.bytesAllocated(), "served by the backend");
            assertEquals("libc", MemoryPool.defaultPool().backendName());
            direct.resize(5000, true);
            assertEquals(1024 + 64 + 5056, proxy.bytesAllocated());
            assertTrue(MemoryPool.supportedBackends().getFirst().isDefault(), "the backend beneath is the default");
            MemoryPool.setDefault((MemoryPool) null); // back to ranking: the buffers go back the way they came
            assertEquals(1024 + 64 + 5056, proxy.bytesAllocated());
        }
        assertEquals(0, proxy.bytesAllocated());
        assertEquals(backendBefore, backend.bytesAllocated());
        try (Buffer again = proxy.allocate(10)) { // still over the default beneath, which is the backend again
            assertEquals(64, proxy.bytesAllocated());
            assertEquals(backendBefore + 64, backend.bytesAllocated());
        }
        assertEquals(0, proxy.bytesAllocated());
    }

    /** Chains over the default pool work as the default too; the default pool itself or a used proxy do not. */
    @Test
    void aPoolOverTheDefaultPoolIsMadeTheDefaultBeforeItAllocates() {
        List<String> lines = new ArrayList<>();
        MemoryPool proxy = MemoryPool.proxy(MemoryPool.defaultPool());
        MemoryPool chain = MemoryPool.logging(MemoryPool.capped(proxy, 1 << 20), lines::add);
        MemoryPool.setDefault(chain);
        try (Buffer b = MemoryPool.defaultPool().allocate(100)) {
            assertEquals(128, proxy.bytesAllocated());
            assertEquals(1, lines.size(), lines.toString());
        }
        assertEquals(0, proxy.bytesAllocated());
        MemoryPool.setDefault((MemoryPool) null);

        IllegalArgumentException itself = assertThrows(IllegalArgumentException.class,
                () -> MemoryPool.setDefault(MemoryPool.defaultPool()));
        assertEquals("the default pool cannot be itself: wrap it (MemoryPool.proxy(MemoryPool.defaultPool())) or"
                + " name a backend (MemoryPool.setDefault(name))", itself.getMessage());
        MemoryPool used = MemoryPool.proxy(MemoryPool.defaultPool());
        used.allocate(10).close();
        IllegalArgumentException late = assertThrows(IllegalArgumentException.class,
                () -> MemoryPool.setDefault(MemoryPool.logging(used, line -> { })));
        assertTrue(late.getMessage().startsWith("a pool over the default pool can be made the default only before it"
                + " allocates"), late.getMessage());
        assertEquals("libc", MemoryPool.defaultPool().backendName(), "a refused pool changes nothing");
        assertEquals(null, Backends.overrideDescription());
    }

    /**
     * A proxy of the default pool installed as the default still follows the backends: a higher-ranked one
     * registered later serves new buffers, and the old ones go back to the one that allocated them.
     */
    @Test
    void theDefaultBeneathTheProxyFollowsTheBackends() {
        MemoryPool proxy = MemoryPool.proxy(MemoryPool.defaultPool());
        MemoryPool.setDefault(proxy);
        LibcAllocator newer = new LibcAllocator("newer");
        ResizableBuffer old = MemoryPool.defaultPool().allocate(64);
        try (Allocators.Registration r = Allocators.register(newer, 10_000)) {
            try (Buffer b = MemoryPool.defaultPool().allocate(64)) {
                assertEquals("newer", MemoryPool.defaultPool().backendName());
                assertEquals(64, MemoryPool.pool("newer").bytesAllocated());
                assertEquals(128, proxy.bytesAllocated());
            }
            old.resize(1000, true); // grown by the allocator that allocated it
            assertEquals(0, MemoryPool.pool("newer").bytesAllocated());
        }
        old.close();
        assertEquals(0, proxy.bytesAllocated());
        assertEquals(0, newer.outstanding.get(), "the newer backend's memory all went back");
    }

    @Test
    void unavailableBackendsAreListedNotChosen() {
        Allocator broken = new LibcAllocator("broken") {
            @Override
            public String unavailableReason() {
                return "library libbroken.so not found";
            }
        };
        try (Allocators.Registration r = Allocators.register(broken, 5000)) {
            assertEquals("libc", MemoryPool.defaultPool().backendName());
            MemoryBackend b = MemoryPool.supportedBackends().stream().filter(x -> x.name().equals("broken"))
                    .findFirst().orElseThrow();
            assertFalse(b.available());
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> MemoryPool.pool("broken"));
            assertTrue(e.getMessage().contains("libbroken.so"), e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> MemoryPool.setDefault("broken"));
        }
    }

    /** Two threads allocate through the default pool while a third swaps allocators 50 times. */
    @Test
    void swappingUnderLoadLosesNothing() throws Exception {
        MemoryPool backend = MemoryPool.pool("libc");
        long backendBefore = backend.bytesAllocated();
        long totalBefore = MemoryPool.bytesAllocatedInAllPools();
        LibcAllocator a = new LibcAllocator("swap-a");
        AtomicBoolean stop = new AtomicBoolean();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        AtomicLong operations = new AtomicLong();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            Thread w = new Thread(() -> {
                List<ResizableBuffer> held = new ArrayList<>();
                try {
                    int i = 0;
                    while (!stop.get()) {
                        ResizableBuffer b = MemoryPool.defaultPool().allocate(64 + (i % 50) * 100);
                        b.setInt(0, i);
                        held.add(b);
                        if (held.size() > 20) {
                            ResizableBuffer old = held.remove(0);
                            int v = old.getInt(0);
                            old.resize(old.size() * 2);
                            if (old.getInt(0) != v) {
                                throw new AssertionError("value lost in resize");
                            }
                            try (Buffer s = old.slice(0, 4)) {
                                if (s.getInt(0) != v) {
                                    throw new AssertionError("slice disagrees");
                                }
                            }
                            old.close();
                        }
                        i++;
                        operations.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                } finally {
                    held.forEach(Buffer::close);
                }
            });
            w.start();
            workers.add(w);
        }
        for (int swap = 0; swap < 50; swap++) {
            try (Allocators.Registration r = Allocators.register(a, 1000)) {
                Thread.sleep(2);
            }
            Thread.sleep(2);
        }
        stop.set(true);
        for (Thread w : workers) {
            w.join();
        }
        if (failure.get() != null) {
            throw new AssertionError(failure.get());
        }
        assertTrue(operations.get() > 100, "the workers ran: " + operations.get());
        assertTrue(a.allocations.get() > 0, "the swapped-in allocator served some allocations");
        assertEquals(a.allocations.get(), a.frees.get());
        assertEquals(0, a.outstanding.get());
        assertEquals(backendBefore, backend.bytesAllocated());
        assertEquals(totalBefore, MemoryPool.bytesAllocatedInAllPools());
    }
}
