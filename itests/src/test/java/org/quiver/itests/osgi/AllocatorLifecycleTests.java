package org.quiver.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.jar.Attributes;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.wiring.FrameworkWiring;
import org.quiver.itests.osgi.consumer.StaticEntryActivator;
import org.quiver.memory.Buffer;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.LeakReport;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The three allocator bundles together: ranking, stopping the serving allocator under live buffers, restarting
 * and updating it, a stop/start soak under load, and per-bundle accounting, limits and leak reports.
 */
public abstract class AllocatorLifecycleTests extends QuiverOsgiTestBase {

    @Test
    public void stoppingTheServingAllocatorKeeps1000LiveBuffers_andStartingItServesAgain() throws Exception {
        startAllAllocators();
        MemoryPool service = poolService();
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        MemoryPool oldMimalloc = MemoryPool.pool("mimalloc");
        long mimallocStart = oldMimalloc.bytesAllocated();
        List<ResizableBuffer> live = new ArrayList<>();
        long capacities = 0;
        try {
            for (int i = 0; i < 1000; i++) {
                ResizableBuffer b = service.allocate(1 + (i * 97) % 20_000);
                assertEquals("mimalloc", b.pool().backendName());
                fill(b, i);
                live.add(b);
                capacities += b.capacity();
            }
            assertEquals(mimallocStart + capacities, oldMimalloc.bytesAllocated());
            assertEquals(totalStart + capacities, MemoryPool.bytesAllocatedInAllPools());

            Bundle mimalloc = installed(POOL_MIMALLOC_BSN);
            mimalloc.stop();
            await(() -> backend("jemalloc").map(b -> b.isDefault()).orElse(false), "jemalloc to take over");
            assertFalse("mimalloc listed as not installed", backend("mimalloc").orElseThrow().installed());
            assertEquals("stopped: bundle org.quiver.pool.mimalloc is installed but not started (start "
                    + "org.quiver.pool.mimalloc)", backend("mimalloc").orElseThrow().unavailableReason());
            String pools = command("pools");
            assertTrue("the stopped allocator is listed with what it still holds: " + pools,
                    pools.contains("retired: mimalloc (unregistered, " + (mimallocStart + capacities) + " bytes"));
            // Every buffer is still readable, writable, and grows through the allocator that allocated it.
            for (int i = 0; i < live.size(); i++) {
                check(live.get(i), i);
                live.get(i).setByte(0, (byte) i);
                assertEquals((byte) i, live.get(i).getByte(0));
                fill(live.get(i), i);
            }
            ResizableBuffer grown = live.get(7);
            long before = grown.capacity();
            long oldSize = grown.size();
            grown.resize(oldSize + 100_000);
            check(grown, 7, oldSize);
            capacities += grown.capacity() - before;
            assertEquals(mimallocStart + capacities, oldMimalloc.bytesAllocated());
            assertThrows("a stopped backend allocates no more", IllegalStateException.class,
                    () -> oldMimalloc.allocate(64));
            try (ResizableBuffer fresh = service.allocate(4096)) {
                assertEquals("new allocations go to the next-ranked", "jemalloc", fresh.pool().backendName());
                assertEquals(totalStart + capacities + 4096, MemoryPool.bytesAllocatedInAllPools());
            }
            // Free half while the allocator is stopped.
            for (int i = 0; i < 500; i++) {
                capacities -= live.get(i).capacity();
                live.get(i).close();
            }
            assertEquals(mimallocStart + capacities, oldMimalloc.bytesAllocated());
            assertEquals(totalStart + capacities, MemoryPool.bytesAllocatedInAllPools());

            mimalloc.start();
            await(() -> backend("mimalloc").map(b -> b.isDefault() && b.available()).orElse(false),
                    "mimalloc to serve again");
            try (ResizableBuffer fresh = service.allocate(100)) {
                assertEquals("mimalloc", fresh.pool().backendName());
                assertEquals(totalStart + capacities + 128, MemoryPool.bytesAllocatedInAllPools());
            }
            for (int i = 500; i < live.size(); i++) {
                check(live.get(i), i, i == 7 ? 1 + 7 * 97 : live.get(i).size());
                live.get(i).close();
            }
            assertEquals("the old allocator freed everything it held", 0, oldMimalloc.bytesAllocated());
            assertFalse("drained: no longer listed as retired", command("pools").contains("retired:"));
            assertEquals("no leak", totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            live.forEach(Buffer::close);
            installed(POOL_MIMALLOC_BSN).start();
        }
    }

    /**
     * A known backend without an allocator says why, from its bundle's state: stopped, not resolved (with what
     * nothing provides), not installed; in quiver:pools and in MemoryPool.pool's error alike.
     */
    @Test
    public void anAllocatorBundleThatDoesNotServeIsListedWithItsState() throws Exception {
        startAllAllocators();
        Bundle mimalloc = installed(POOL_MIMALLOC_BSN);
        String location = mimalloc.getLocation();
        Bundle broken = null;
        try {
            mimalloc.stop();
            await(() -> !backend("mimalloc").orElseThrow().installed(), "mimalloc to go");
            String stopped = "stopped: bundle org.quiver.pool.mimalloc is installed but not started (start "
                    + "org.quiver.pool.mimalloc)";
            assertEquals(stopped, backend("mimalloc").orElseThrow().unavailableReason());
            assertTrue(command("pools"), command("pools").contains("unavailable: " + stopped));
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                    () -> MemoryPool.pool("mimalloc"));
            assertTrue(e.getMessage(), e.getMessage().startsWith("memory pool backend 'mimalloc' is not available: "
                    + stopped + "; known backends: "));

            mimalloc.uninstall();
            assertEquals("not installed: add the module or bundle org.quiver.pool.mimalloc",
                    backend("mimalloc").orElseThrow().unavailableReason());

            // An allocator bundle that cannot resolve: it imports a package nothing exports.
            broken = installBundle("memory:broken-mimalloc", POOL_MIMALLOC_BSN, "9.0.0",
                    "org.quiver.memory.spi, org.example.nosuch;version=\"[2,3)\"", null);
            assertThrows("it cannot start", org.osgi.framework.BundleException.class, broken::start);
            String reason = backend("mimalloc").orElseThrow().unavailableReason();
            assertTrue(reason, reason.startsWith("not resolved: bundle org.quiver.pool.mimalloc cannot resolve: "
                    + "nothing provides osgi.wiring.package (&(osgi.wiring.package=org.example.nosuch)"));
            assertTrue(reason, reason.contains("(version>=2.0.0)") && !reason.contains("org.quiver.memory.spi"));
        } finally {
            if (broken != null) {
                broken.uninstall();
            }
            if (mimalloc.getState() == Bundle.UNINSTALLED) {
                context().installBundle(location).start();
            } else {
                mimalloc.start();
            }
        }
        await(() -> backend("mimalloc").map(b -> b.available() && b.isDefault()).orElse(false),
                "the reinstalled mimalloc to serve");
    }

    @Test
    public void updatingTheJemallocBundleKeepsItsBuffers() throws Exception {
        startAllAllocators();
        Bundle mimalloc = installed(POOL_MIMALLOC_BSN);
        mimalloc.stop();
        Bundle jemalloc = installed(POOL_JEMALLOC_BSN);
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        List<ResizableBuffer> live = new ArrayList<>();
        try {
            await(() -> backend("jemalloc").map(b -> b.isDefault()).orElse(false), "jemalloc to serve");
            for (int i = 0; i < 100; i++) {
                ResizableBuffer b = poolService().allocate(1000 + i);
                assertEquals("jemalloc", b.pool().backendName());
                fill(b, i);
                live.add(b);
            }
            // A new revision, with a new class loader: the old revision's buffers stay with the old allocator.
            jemalloc.update();
            refresh(jemalloc);
            await(() -> jemalloc.getState() == Bundle.ACTIVE, "jemalloc to be active after the update");
            await(() -> backend("jemalloc").map(b -> b.isDefault() && b.available()).orElse(false),
                    "the updated jemalloc to serve");
            try (ResizableBuffer fresh = poolService().allocate(5000)) {
                assertEquals("jemalloc", fresh.pool().backendName());
                fill(fresh, 5);
                check(fresh, 5);
            }
            for (int i = 0; i < live.size(); i++) {
                check(live.get(i), i);
                long size = live.get(i).size();
                live.get(i).resize(3000);
                check(live.get(i), i, size);
                live.get(i).close();
            }
            assertEquals("no leak across the update", totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            live.forEach(Buffer::close);
            mimalloc.start();
        }
    }

    @Test
    public void soak_allocatorBundlesStopAndStart50TimesUnderLoad() throws Exception {
        startAllAllocators();
        MemoryPool service = poolService();
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        long viewStart = service.bytesAllocated();
        AtomicLong operations = new AtomicLong();
        AtomicReference<Throwable> failure = new AtomicReference<>();
        List<List<ResizableBuffer>> held = new CopyOnWriteArrayList<>();
        java.util.concurrent.atomic.AtomicBoolean stop = new java.util.concurrent.atomic.AtomicBoolean();
        List<Thread> workers = new ArrayList<>();
        for (int t = 0; t < 2; t++) {
            List<ResizableBuffer> mine = new ArrayList<>();
            held.add(mine);
            long seed = t;
            Thread w = new Thread(() -> {
                SplittableRandom random = new SplittableRandom(seed);
                try {
                    while (!stop.get()) {
                        int size = random.nextInt(16, 50_000);
                        ResizableBuffer b = service.allocate(size);
                        long tag = random.nextLong();
                        b.setLong(0, tag);
                        b.setByte(size - 1, (byte) tag);
                        try (Buffer slice = b.slice(0, 8)) {
                            if (slice.getLong(0) != tag) {
                                throw new AssertionError("slice sees other bytes");
                            }
                        }
                        b.resize(size * 2L);
                        if (b.getLong(0) != tag || b.getByte(size - 1) != (byte) tag) {
                            throw new AssertionError("bytes lost growing " + b);
                        }
                        // Keep some buffers across swaps, so they are freed after their allocator stopped.
                        if (mine.size() < 32) {
                            mine.add(b);
                        } else {
                            mine.set(random.nextInt(mine.size()), b).close();
                        }
                        operations.incrementAndGet();
                    }
                } catch (Throwable e) {
                    failure.compareAndSet(null, e);
                }
            }, "soak-" + t);
            workers.add(w);
            w.start();
        }
        Bundle mimalloc = installed(POOL_MIMALLOC_BSN);
        Bundle jemalloc = installed(POOL_JEMALLOC_BSN);
        int cycles = 0;
        try {
            for (int i = 0; i < 50 && failure.get() == null; i++) {
                Bundle b = i % 3 == 2 ? jemalloc : mimalloc;
                b.stop();
                Thread.sleep(5);
                b.start();
                cycles++;
                long seen = operations.get();
                await(() -> operations.get() > seen, "the workers to make progress after " + seen + " operations");
            }
        } finally {
            stop.set(true);
            for (Thread w : workers) {
                w.join(TIMEOUT_MS);
            }
        }
        if (failure.get() != null) {
            throw new AssertionError("failed after " + operations.get() + " operations", failure.get());
        }
        assertEquals(50, cycles);
        long heldBytes = 0;
        for (List<ResizableBuffer> list : held) {
            for (ResizableBuffer b : list) {
                heldBytes += b.capacity();
            }
        }
        assertEquals("this bundle's view accounts exactly for what it holds", viewStart + heldBytes,
                service.bytesAllocated());
        assertEquals(totalStart + heldBytes, MemoryPool.bytesAllocatedInAllPools());
        for (List<ResizableBuffer> list : held) {
            list.forEach(Buffer::close);
        }
        assertEquals(viewStart, service.bytesAllocated());
        assertEquals("no leak after " + operations.get() + " operations", totalStart, MemoryPool.bytesAllocatedInAllPools());
        assertFalse(command("pools").contains("retired:"));
        assertTrue("enough work happened: " + operations.get(), operations.get() > 1000);
    }

    @Test
    public void eachBundleHasItsOwnAccounting_limit_andLeakReport() throws Exception {
        startAllAllocators();
        Bundle a = installConsumer("org.quiver.itests.consumer.a");
        Bundle limited = installConsumer(LIMITED_CONSUMER_BSN);
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        LeakDetection.Level level = LeakDetection.level();
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        List<Buffer> fromA = new ArrayList<>();
        try (LeakDetection.Registration listener = LeakDetection.addListener(reports::add)) {
            LeakDetection.setLevel(LeakDetection.Level.PARANOID);
            a.start();
            limited.start();
            MemoryPool poolA = poolService(a.getBundleContext());
            MemoryPool poolL = poolService(limited.getBundleContext());
            for (int i = 0; i < 3; i++) {
                fromA.add(poolA.allocate(1000));
            }
            try (Buffer small = poolL.allocate(100_000)) {
                assertEquals(3 * 1024, poolA.bytesAllocated());
                assertEquals(3, poolA.numAllocations());
                assertEquals("separate accounting", 100_032, poolL.bytesAllocated());
                assertEquals(1, poolL.numAllocations());
                String stats = command("stats");
                assertTrue(stats, stats.matches("(?s).*bundle org\\.quiver\\.itests\\.consumer\\.a \\[\\d+\\]\\s+3072\\s+3072\\s+3"
                        + "\\s+3\\s+-.*"));
                assertTrue(stats, stats.matches("(?s).*bundle " + LIMITED_CONSUMER_BSN.replace(".", "\\.")
                        + " \\[\\d+\\]\\s+100032\\s+100032\\s+1\\s+1\\s+1048576.*"));
                // The limited bundle's limit (framework property quiver.bundle.limit.<bsn> = 1m).
                MemoryLimitExceededException refused = assertThrows(MemoryLimitExceededException.class,
                        () -> poolL.allocate(2 << 20));
                assertTrue(refused.getMessage(), refused.getMessage().contains(LIMITED_CONSUMER_BSN));
                assertEquals(1 << 20, refused.limit());
                assertEquals("a refused allocation changes nothing", 100_032, poolL.bytesAllocated());
                try (Buffer other = poolA.allocate(2 << 20)) {
                    assertEquals("the other bundle has no limit", 2 << 20, other.size());
                }
            }
            // Stopping a bundle with live buffers reports them, with its name and (paranoid) the sites.
            a.stop();
            await(() -> !reports.isEmpty(), "a leak report for the stopped bundle");
            LeakReport report = reports.get(0);
            assertTrue(report.owner(), report.owner().startsWith("bundle org.quiver.itests.consumer.a ["));
            assertEquals(3, report.buffers());
            assertEquals(3 * 1024, report.capacity());
            assertNotNull("paranoid: where they were allocated", report.allocationSite());
            assertEquals(3, report.allocationSite().getSuppressed().length);
            assertTrue(report.allocationSite().getSuppressed()[0].getStackTrace()[0].toString(),
                    java.util.Arrays.stream(report.allocationSite().getSuppressed()[0].getStackTrace())
                            .anyMatch(e -> e.getMethodName().startsWith("eachBundleHasItsOwnAccounting")));
            assertThrows(UnsupportedOperationException.class, report::release);
            assertEquals("the limited bundle released nothing and is not reported", 1, reports.size());
            // They stay valid and are freed when closed.
            for (Buffer b : fromA) {
                b.asSegment().fill((byte) 1);
                b.close();
            }
            assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            LeakDetection.setLevel(level);
            fromA.forEach(Buffer::close);
            a.uninstall();
            limited.uninstall();
        }
    }

    /**
     * A bundle that allocates through the static entry points ({@code MemoryPool.defaultPool()},
     * {@code Buffer.allocate}) is accounted, limited and reported as that bundle, exactly as through the service.
     */
    @Test
    public void staticEntryPointsCountAgainstTheCallingBundle() throws Exception {
        startAllAllocators();
        String bsn = "org.quiver.itests.consumer.static";
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        List<Buffer> held = new ArrayList<>();
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        Bundle bundle = installStaticEntryBundle(bsn);
        limitCommand(bsn, "2m"); // what an operator types; for an installed bundle
        try (LeakDetection.Registration listener = LeakDetection.addListener(reports::add)) {
            bundle.start();
            java.util.function.Function<String, Object> inBundle = staticEntry(bundle);
            assertTrue(inBundle.apply("pool").toString(), inBundle.apply("pool").toString().contains(bsn));
            held.add((Buffer) inBundle.apply("defaultPool 1000000"));
            held.add((Buffer) inBundle.apply("allocate 1000"));
            MemoryLimitExceededException refused = assertThrows(MemoryLimitExceededException.class,
                    () -> inBundle.apply("defaultPool " + (8 << 20)));
            assertTrue(refused.getMessage(), refused.getMessage().contains(bsn));
            assertEquals(2 << 20, refused.limit());
            String stats = command("stats");
            assertTrue(stats, stats.matches("(?s).*bundle " + bsn.replace(".", "\\.")
                    + " \\[\\d+\\]\\s+1001024\\s+1001024\\s+2\\s+2\\s+2097152.*"));
            bundle.stop();
            await(() -> !reports.isEmpty(), "a leak report for the stopped bundle");
            assertTrue(reports.get(0).owner(), reports.get(0).owner().startsWith("bundle " + bsn + " ["));
            assertEquals(2, reports.get(0).buffers());
            assertEquals(1_001_024, reports.get(0).capacity());
        } finally {
            limitCommand(bsn, "none");
            held.forEach(Buffer::close);
            bundle.uninstall();
        }
        assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
    }

    /**
     * A bundle that outlives every allocator bundle (as at every shutdown, where they stop first): its leak is
     * still reported when it stops, naming each buffer's real backend, and nothing fails.
     */
    @Test
    public void aBundleThatOutlivesTheAllocatorsStillHasItsLeakReported() throws Exception {
        startAllAllocators();
        String bsn = "org.quiver.itests.consumer.late";
        List<LeakReport> reports = new CopyOnWriteArrayList<>();
        List<Buffer> held = new ArrayList<>();
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        Bundle bundle = installStaticEntryBundle(bsn);
        try (LeakDetection.Registration listener = LeakDetection.addListener(reports::add)) {
            bundle.start();
            java.util.function.Function<String, Object> inBundle = staticEntry(bundle);
            MemoryPool.setDefault("jemalloc");
            held.add((Buffer) inBundle.apply("defaultPool 1000"));
            held.add((Buffer) inBundle.apply("defaultPool 1000"));
            MemoryPool.setDefault("mimalloc");
            held.add((Buffer) inBundle.apply("allocate 100"));
            MemoryPool.setDefault((String) null);
            for (String allocator : List.of(POOL_MIMALLOC_BSN, POOL_JEMALLOC_BSN, POOL_SYSTEM_BSN)) {
                installed(allocator).stop();
            }
            await(() -> context().getServiceReference(MemoryPool.class) == null, "the MemoryPool service to go");
            bundle.stop();
            assertEquals("the report arrives while the bundle stops", 1, reports.size());
            LeakReport report = reports.get(0);
            assertTrue(report.owner(), report.owner().startsWith("bundle " + bsn + " ["));
            assertEquals(3, report.buffers());
            assertEquals(2 * 1024 + 128, report.capacity());
            assertEquals("jemalloc, mimalloc", report.backendName());
            for (Buffer b : held) {
                b.setByte(0, (byte) 1); // still valid
            }
        } finally {
            MemoryPool.setDefault((String) null);
            held.forEach(Buffer::close);
            bundle.uninstall();
            installed(POOL_SYSTEM_BSN).start();
            awaitSystemDefault();
        }
        assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
    }

    /**
     * The providers' kit is not API: a bundle that imports it as it would import an API package is not wired to it
     * (the export carries a mandatory attribute), while every Quiver provider is.
     */
    @Test
    public void theProvidersKitIsKeptFromBundlesThatDoNotAskForIt() throws Exception {
        Bundle outsider = installBundle("memory:kit-outsider", "org.example.kit.outsider", "1.0.0",
                "org.quiver.internal.kit", null);
        try {
            org.osgi.framework.BundleException e = assertThrows(org.osgi.framework.BundleException.class,
                    outsider::start);
            assertTrue(e.getMessage(), e.getMessage().contains("org.quiver.internal.kit"));
            assertEquals(Bundle.INSTALLED, outsider.getState());
            for (String provider : new String[] {POOL_SYSTEM_BSN, POOL_JEMALLOC_BSN, POOL_MIMALLOC_BSN}) {
                Bundle b = installed(provider);
                var wiring = b.adapt(org.osgi.framework.wiring.BundleWiring.class);
                assertNotNull(provider + " is not resolved", wiring);
                assertTrue(provider + " is not wired to the kit", wiring.getRequiredWires("osgi.wiring.package")
                        .stream().anyMatch(w -> "org.quiver.internal.kit".equals(
                                w.getCapability().getAttributes().get("osgi.wiring.package"))));
            }
        } finally {
            outsider.uninstall();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /** A bundle with one class of its own, {@link StaticEntryActivator}, copied from the probe. */
    private Bundle installStaticEntryBundle(String bsn) throws Exception {
        return installBundle("memory:" + bsn, bsn, "1.0.0", "org.osgi.framework, org.quiver.memory",
                StaticEntryActivator.class);
    }

    /**
     * Installs a bundle built here: a manifest with these headers and, when {@code activator} is given, that class
     * (copied from the probe) as its activator.
     */
    private Bundle installBundle(String location, String bsn, String version, String imports, Class<?> activator)
            throws Exception {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", bsn);
        main.putValue("Bundle-Version", version);
        main.putValue("Import-Package", imports);
        if (activator != null) {
            main.putValue("Bundle-Activator", activator.getName()); // before the stream writes the manifest
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (JarOutputStream jar = new JarOutputStream(bytes, manifest)) {
            if (activator != null) {
                String entry = activator.getName().replace('.', '/') + ".class";
                try (java.io.InputStream in = activator.getClassLoader().getResourceAsStream(entry)) {
                    assertNotNull(entry, in);
                    jar.putNextEntry(new java.util.jar.JarEntry(entry));
                    in.transferTo(jar);
                    jar.closeEntry();
                }
            }
        }
        return context().installBundle(location, new ByteArrayInputStream(bytes.toByteArray()));
    }

    /** {@code quiver:limit <bundle> <size>} through its service. */
    private void limitCommand(String bundle, String size) throws Exception {
        ServiceReference<?>[] refs = context().getServiceReferences((String) null,
                "(&(osgi.command.scope=quiver)(osgi.command.function=limit))");
        assertNotNull("no quiver commands", refs);
        Object commands = context().getService(refs[0]);
        try {
            commands.getClass().getMethod("limit", String.class, String.class).invoke(commands, bundle, size);
        } finally {
            context().ungetService(refs[0]);
        }
    }

    @SuppressWarnings("unchecked")
    private java.util.function.Function<String, Object> staticEntry(Bundle bundle) throws Exception {
        ServiceReference<?>[] refs = context().getServiceReferences(java.util.function.Function.class.getName(),
                "(itest=static-entry)");
        assertNotNull("no static-entry service", refs);
        for (ServiceReference<?> ref : refs) {
            if (ref.getBundle().equals(bundle)) {
                java.util.function.Function<String, Object> f =
                        (java.util.function.Function<String, Object>) context().getService(ref);
                assertTrue("the bundle's own class, not the probe's",
                        f.getClass().getClassLoader() != StaticEntryActivator.class.getClassLoader());
                return f;
            }
        }
        throw new AssertionError("the static-entry service of " + bundle + " is not registered");
    }


    /** A bundle with no code: its context gets services, so it is a consumer of its own. */
    private Bundle installConsumer(String bsn) throws Exception {
        return installBundle("memory:" + bsn, bsn, "1.0.0", "org.quiver.memory", null);
    }

    private MemoryPool poolService() {
        return poolService(context());
    }

    private static MemoryPool poolService(BundleContext context) {
        ServiceReference<MemoryPool> ref = context.getServiceReference(MemoryPool.class);
        assertNotNull("no MemoryPool service", ref);
        return context.getService(ref);
    }

    /** Runs a {@code quiver:} shell command through its service (Gogo is not installed here). */
    private String command(String name) throws Exception {
        ServiceReference<?>[] refs = context().getServiceReferences((String) null,
                "(&(osgi.command.scope=quiver)(osgi.command.function=" + name + "))");
        assertNotNull("no quiver commands", refs);
        Object commands = context().getService(refs[0]);
        try {
            return (String) commands.getClass().getMethod(name).invoke(commands);
        } finally {
            context().ungetService(refs[0]);
        }
    }

    private void refresh(Bundle bundle) throws InterruptedException {
        java.util.concurrent.CountDownLatch done = new java.util.concurrent.CountDownLatch(1);
        context().getBundle(0).adapt(FrameworkWiring.class).refreshBundles(List.of(bundle), e -> done.countDown());
        if (!done.await(TIMEOUT_MS, java.util.concurrent.TimeUnit.MILLISECONDS)) {
            fail("the refresh did not finish");
        }
    }

    private static void fill(Buffer b, int seed) {
        byte[] p = pattern((int) b.size(), seed);
        b.put(0, p, 0, p.length);
    }

    private static void check(Buffer b, int seed) {
        check(b, seed, b.size());
    }

    /** The first {@code length} bytes (at most 1000) are those {@link #fill} wrote. */
    private static void check(Buffer b, int seed, long length) {
        byte[] p = pattern((int) Math.min(length, 1000), seed);
        byte[] read = new byte[p.length];
        b.get(0, read, 0, read.length);
        assertArrayEquals(p, read);
    }
}
