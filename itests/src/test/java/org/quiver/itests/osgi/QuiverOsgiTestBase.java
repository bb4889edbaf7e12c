package org.quiver.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertNotSame;
import static org.junit.Assert.assertNull;
import static org.junit.Assert.assertSame;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assert.fail;
import static org.ops4j.pax.exam.CoreOptions.bundle;
import static org.ops4j.pax.exam.CoreOptions.frameworkProperty;
import static org.ops4j.pax.exam.CoreOptions.junitBundles;
import static org.ops4j.pax.exam.CoreOptions.mavenBundle;
import static org.ops4j.pax.exam.CoreOptions.options;
import static org.ops4j.pax.exam.CoreOptions.systemTimeout;

import java.io.File;
import java.util.Hashtable;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.BooleanSupplier;

import org.junit.Test;
import org.ops4j.pax.exam.Option;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.FrameworkUtil;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.ServiceRegistration;
import org.osgi.util.tracker.ServiceTracker;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocator;

/**
 * The Quiver bundles inside a real OSGi framework with Declarative Services. Each subclass boots one framework
 * (the Failsafe execution leaves only that framework on the class path) and runs every test here.
 *
 * <p>The tests run in the probe bundle, which Pax Exam builds from the test classes; it imports
 * {@code org.quiver.memory} and {@code org.quiver.memory.spi} through its {@code DynamicImport-Package: *}.
 * SCR activates components asynchronously, so every service is waited for, never assumed. Each test starts and
 * ends with {@code system} serving the default pool, so the order of the tests does not matter.
 */
public abstract class QuiverOsgiTestBase {

    static final long TIMEOUT_MS = 10_000;

    static final String API_BSN = "org.quiver.api";
    static final String PLATFORM_BSN = "org.quiver.platform";
    static final String POOL_SYSTEM_BSN = "org.quiver.pool.system";
    static final String POOL_JEMALLOC_BSN = "org.quiver.pool.jemalloc";
    static final String POOL_MIMALLOC_BSN = "org.quiver.pool.mimalloc";
    static final String SCR_BSN = "org.apache.felix.scr";
    static final String IO_NATIVE_BSN = "org.quiver.io.nativeio";
    static final String LIMITED_CONSUMER_BSN = "org.quiver.itests.consumer.limited";

    /** The symbolic name of the framework's system bundle the subclass expects to run in. */
    protected abstract String expectedSystemBundle();

    // ---- provisioning (runs in the driver, outside the framework) ------------------------------------------

    protected static Option[] quiverOptions() {
        return options(
                systemTimeout(60_000),
                frameworkProperty("ds.loglevel").value("warn"),
                mavenBundle("org.osgi", "org.osgi.util.function").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.util.promise").versionAsInProject(),
                mavenBundle("org.osgi", "org.osgi.service.component").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.scr").versionAsInProject(),
                // Configuration Admin and Metatype (ConfigurationTests); Equinox exports the log API they use,
                // Felix gets it from Felix Log (FelixIT).
                mavenBundle("org.apache.felix", "org.apache.felix.configadmin").versionAsInProject(),
                mavenBundle("org.apache.felix", "org.apache.felix.metatype").versionAsInProject(),
                quiverBundle("quiver.api.jar", "quiver-api"),
                quiverBundle("quiver.platform.jar", "quiver-platform"),
                quiverBundle("quiver.pool.system.jar", "quiver-pool-system"),
                quiverBundle("quiver.pool.jemalloc.jar", "quiver-pool-jemalloc"),
                quiverBundle("quiver.pool.mimalloc.jar", "quiver-pool-mimalloc"),
                // io-native and its codecs (brotli4j is inside io-native).
                mavenBundle("commons-io", "commons-io").versionAsInProject(),
                mavenBundle("org.apache.commons", "commons-lang3").versionAsInProject(),
                mavenBundle("commons-codec", "commons-codec").versionAsInProject(),
                mavenBundle("org.apache.commons", "commons-compress").versionAsInProject(),
                mavenBundle("com.github.luben", "zstd-jni").versionAsInProject(),
                mavenBundle("at.yawk.lz4", "lz4-java").versionAsInProject(),
                quiverBundle("quiver.io.native.jar", "quiver-io-native"),
                // io-hdfs embeds the shaded Hadoop client.
                quiverBundle("quiver.io.hdfs.jar", "quiver-io-hdfs"),
                // A per-bundle limit for one of the consumer bundles AllocatorLifecycleTests installs.
                frameworkProperty("quiver.bundle.limit." + LIMITED_CONSUMER_BSN).value("1m"),
                junitBundles());
    }

    /**
     * The jar Maven resolved for this build: in a reactor build the one just packaged (pax-url-aether sees only
     * ~/.m2, where a fresh machine has no Quiver snapshot and an old one has a stale one). Outside Maven (an IDE)
     * fall back to the local repository.
     */
    private static Option quiverBundle(String property, String artifactId) {
        String path = System.getProperty(property);
        if (path != null && !path.isBlank() && !path.startsWith("${")) {
            File jar = new File(path);
            if (!jar.isFile()) {
                throw new IllegalStateException(property + " is not a jar: " + jar
                        + " (run the build to the package phase at least)");
            }
            return bundle(jar.toURI().toString());
        }
        return mavenBundle("org.quiver", artifactId).versionAsInProject();
    }

    // ---- tests (run inside the framework) ---------------------------------------------------------------------

    @Test
    public void bundlesAreActiveAndTheMemoryPoolServiceAppears() throws Exception {
        String top = startAllAllocators();
        BundleContext context = context();
        assertEquals("system bundle", expectedSystemBundle(), context.getBundle(0).getSymbolicName());
        for (String bsn : List.of(API_BSN, PLATFORM_BSN, POOL_SYSTEM_BSN, POOL_JEMALLOC_BSN, POOL_MIMALLOC_BSN, SCR_BSN,
                "org.osgi.service.component", "org.osgi.util.promise", "org.osgi.util.function")) {
            Bundle b = installed(bsn);
            assertEquals(bsn + " state", Bundle.ACTIVE, b.getState());
        }

        ServiceTracker<MemoryPool, MemoryPool> pools = track(MemoryPool.class);
        try {
            MemoryPool pool = pools.waitForService(TIMEOUT_MS);
            assertNotNull("no MemoryPool service after " + TIMEOUT_MS + " ms", pool);
            ServiceReference<MemoryPool> ref = pools.getServiceReference();
            assertEquals("registered by", PLATFORM_BSN, ref.getBundle().getSymbolicName());
            assertNotSame("each bundle gets its own view, not the backend pool", MemoryPool.pool(top), pool);
            assertSame("the static entry point gives a bundle the same view as the service", pool,
                    MemoryPool.defaultPool());
            assertTrue(pool.toString(), pool.toString().contains(context.getBundle().getSymbolicName()));
            assertEquals(top, pool.backendName());

            // Each allocator is an OSGi service of its bundle, with its DS ranking.
            Map<String, Integer> rankings = new TreeMap<>();
            for (ServiceReference<Allocator> r : context.getServiceReferences(Allocator.class, null)) {
                rankings.put(r.getBundle().getSymbolicName(), (Integer) r.getProperty(Constants.SERVICE_RANKING));
            }
            // the rankings the Allocator SPI documents for Quiver's backends
            assertEquals(Map.of(POOL_SYSTEM_BSN, 100, POOL_JEMALLOC_BSN, 200, POOL_MIMALLOC_BSN, 300), rankings);
            // jemalloc came through Bundle-NativeCode: the framework's copy, not one the bundle copied itself.
            String library = MemoryPool.pool("jemalloc").backendOptions().get("library");
            assertTrue(library, library.endsWith("libjemalloc.so") && !library.contains("quiver-native-"));
        } finally {
            pools.close();
        }
    }

    @Test
    public void systemBackendIsTheDefault_andAllocationIsExact() throws Exception {
        awaitSystemDefault();
        MemoryBackend system = backend("system").orElseThrow(() -> new AssertionError("system not listed: "
                + MemoryPool.supportedBackends()));
        assertTrue("system installed", system.installed());
        assertNull("system unavailable: " + system.unavailableReason(), system.unavailableReason());
        assertTrue("system available", system.available());
        assertTrue("system is the default", system.isDefault());
        assertEquals(100, system.ranking());
        for (String missing : List.of("jemalloc", "mimalloc")) {
            MemoryBackend b = backend(missing).orElseThrow(() -> new AssertionError(missing + " not listed"));
            assertFalse(missing + " installed", b.installed());
            assertFalse(missing + " available", b.available());
            assertNotNull(missing + " has a reason", b.unavailableReason());
        }

        ServiceTracker<MemoryPool, MemoryPool> pools = track(MemoryPool.class);
        try {
            MemoryPool pool = pools.waitForService(TIMEOUT_MS);
            assertNotNull("no MemoryPool service", pool);
            long start = pool.bytesAllocated();
            long totalStart = MemoryPool.bytesAllocatedInAllPools();
            long allocationsStart = pool.numAllocations();

            ResizableBuffer buffer = pool.allocate(1000);
            assertEquals(1000, buffer.size());
            assertEquals("capacity padded to 64", 1024, buffer.capacity());
            assertEquals("64-byte aligned: 0x" + Long.toHexString(buffer.address()), 0, buffer.address() % 64);
            assertEquals("system", buffer.pool().backendName());
            assertEquals(start + 1024, pool.bytesAllocated());
            assertEquals(totalStart + 1024, MemoryPool.bytesAllocatedInAllPools());
            assertEquals(allocationsStart + 1, pool.numAllocations());

            byte[] written = pattern(1000, 7);
            buffer.put(0, written, 0, written.length);
            byte[] read = new byte[1000];
            buffer.get(0, read, 0, read.length);
            assertArrayEquals(written, read);
            assertEquals(written[999], buffer.getByte(999));
            buffer.setLong(992, 0x0123_4567_89AB_CDEFL);
            assertEquals(0x0123_4567_89AB_CDEFL, buffer.getLong(992));

            // Growth keeps the bytes and the alignment, and the accounting follows.
            buffer.resize(200_000);
            assertEquals(0, buffer.address() % 64);
            assertEquals(written[10], buffer.getByte(10));
            assertEquals(0x0123_4567_89AB_CDEFL, buffer.getLong(992));
            assertEquals(start + 200_000, pool.bytesAllocated());

            // A large block (mmap path) and a page-aligned one.
            try (ResizableBuffer big = pool.allocate(3L << 20); ResizableBuffer paged = pool.allocate(100, 4096)) {
                assertEquals(0, big.address() % 64);
                assertEquals(0, paged.address() % 4096);
                big.setLong(big.size() - 8, 42L);
                assertEquals(42L, big.getLong(big.size() - 8));
                paged.setByte(99, (byte) 5);
                assertEquals(5, paged.getByte(99));
                assertEquals(start + 200_000 + (3L << 20) + 128, pool.bytesAllocated());
            }

            buffer.close();
            assertTrue(buffer.isClosed());
            assertEquals("bytes back to the start", start, pool.bytesAllocated());
            assertEquals("total back to the start", totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            pools.close();
        }
    }

    @Test
    public void theTopRankedAllocatorServesNewAllocations_andBuffersStayWithTheirAllocator() throws Exception {
        awaitSystemDefault();
        BundleContext context = context();
        MemoryPool defaultPool = MemoryPool.defaultPool();
        MemoryPool systemPool = MemoryPool.pool("system");
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        long systemStart = systemPool.bytesAllocated();

        // Allocated by system, before the swap.
        ResizableBuffer fromSystem = defaultPool.allocate(1000);
        byte[] systemBytes = pattern(1000, 3);
        fromSystem.put(0, systemBytes, 0, systemBytes.length);
        assertEquals(systemStart + 1024, systemPool.bytesAllocated());

        CountingAllocator test = new CountingAllocator("test");
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put(Constants.SERVICE_RANKING, 1000);
        ServiceRegistration<Allocator> registration = context.registerService(Allocator.class, test, properties);
        ResizableBuffer fromTest = null;
        try {
            await(() -> "test".equals(MemoryPool.defaultPool().backendName()), "the test allocator to become the default");
            MemoryBackend testBackend = backend("test").orElseThrow(() -> new AssertionError("test not listed"));
            assertEquals("service.ranking wins over Allocator.ranking()", 1000, testBackend.ranking());
            assertTrue(testBackend.isDefault());
            assertTrue(testBackend.available());
            assertEquals("best first", "test", MemoryPool.supportedBackends().get(0).name());
            MemoryBackend system = backend("system").orElseThrow();
            assertTrue(system.available());
            assertFalse("system no longer the default", system.isDefault());

            ServiceReference<MemoryPool> poolRef = context.getServiceReference(MemoryPool.class);
            assertNotNull("the MemoryPool service stays while backends change", poolRef);
            MemoryPool service = context.getService(poolRef);
            try {
                assertEquals("test", service.backendName());
            } finally {
                context.ungetService(poolRef);
            }

            MemoryPool testPool = MemoryPool.pool("test");
            fromTest = defaultPool.allocate(500);
            assertEquals("test", fromTest.pool().backendName());
            assertEquals("the test allocator allocated it", 1, test.allocations.get());
            assertEquals(0, fromTest.address() % 64);
            assertEquals(512, testPool.bytesAllocated());
            assertEquals(512, test.outstandingBytes.get());
            assertEquals("system pool untouched", systemStart + 1024, systemPool.bytesAllocated());
            byte[] testBytes = pattern(500, 11);
            fromTest.put(0, testBytes, 0, testBytes.length);

            // The system buffer is still valid, and goes back to system when closed.
            assertArrayEquals(systemBytes, fromSystem.toByteArray());
            fromSystem.setLong(0, -1L);
            assertEquals(-1L, fromSystem.getLong(0));
            fromSystem.close();
            assertEquals("freed by system", systemStart, systemPool.bytesAllocated());
            assertEquals("not freed by test", 0, test.frees.get());

            // Withdraw the test allocator: new allocations go back to system.
            registration.unregister();
            registration = null;
            await(() -> "system".equals(MemoryPool.defaultPool().backendName()), "system to be the default again");
            assertFalse("test no longer listed", backend("test").isPresent());
            assertThrows(IllegalArgumentException.class, () -> MemoryPool.pool("test"));

            try (ResizableBuffer again = defaultPool.allocate(64)) {
                assertEquals("system", again.pool().backendName());
                assertEquals(systemStart + 64, systemPool.bytesAllocated());
                assertEquals("no new allocation in the test allocator", 1, test.allocations.get());
            }

            // The test allocator's buffer survives its unregistration and is freed by it.
            byte[] read = new byte[500];
            fromTest.get(0, read, 0, read.length);
            assertArrayEquals(testBytes, read);
            fromTest.setInt(496, 77);
            assertEquals(77, fromTest.getInt(496));
            fromTest.close();
            fromTest = null;
            assertEquals("freed by the test allocator", 1, test.frees.get());
            assertEquals(0, test.outstandingBytes.get());
            assertEquals(0, testPool.bytesAllocated());
            assertEquals(systemStart, systemPool.bytesAllocated());
            assertEquals("no leak", totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            if (fromTest != null) {
                fromTest.close();
            }
            if (!fromSystem.isClosed()) {
                fromSystem.close();
            }
            if (registration != null) {
                registration.unregister();
            }
        }
        awaitSystemDefault();
    }

    @Test
    public void stoppingPoolSystemWithdrawsThePool_andStartingItBringsItBack() throws Exception {
        awaitSystemDefault();
        Bundle poolSystem = installed(POOL_SYSTEM_BSN);
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        MemoryPool oldSystemPool = MemoryPool.pool("system");

        ResizableBuffer survivor = MemoryPool.defaultPool().allocate(4000);
        byte[] bytes = pattern(4000, 5);
        survivor.put(0, bytes, 0, bytes.length);

        ServiceTracker<MemoryPool, MemoryPool> pools = track(MemoryPool.class);
        try {
            assertNotNull(pools.waitForService(TIMEOUT_MS));
            poolSystem.stop();
            try {
                assertEquals(Bundle.RESOLVED, poolSystem.getState());
                await(pools::isEmpty, "the MemoryPool service to go away");
                MemoryBackend system = backend("system").orElseThrow();
                assertFalse("system installed after its bundle stopped", system.installed());
                assertFalse(system.available());
                assertTrue("no backend available",
                        MemoryPool.supportedBackends().stream().noneMatch(MemoryBackend::available));
                assertThrows(IllegalStateException.class, () -> MemoryPool.defaultPool().allocate(8));

                // A buffer allocated before stays valid and is freed by its allocator: no leak.
                assertArrayEquals(bytes, survivor.toByteArray());
                survivor.setLong(8, 99L);
                assertEquals(99L, survivor.getLong(8));
                survivor.close();
                assertEquals(0, oldSystemPool.bytesAllocated());
                assertEquals("no leak after stopping pool-system", totalStart, MemoryPool.bytesAllocatedInAllPools());
            } finally {
                poolSystem.start();
            }
            assertEquals(Bundle.ACTIVE, poolSystem.getState());
            assertNotNull("the MemoryPool service did not come back", pools.waitForService(TIMEOUT_MS));
            awaitSystemDefault();
            try (ResizableBuffer b = pools.getService().allocate(100)) {
                assertEquals("system", b.pool().backendName());
                b.setByte(99, (byte) 1);
                assertEquals(1, b.getByte(99));
                assertEquals(totalStart + 128, MemoryPool.bytesAllocatedInAllPools());
            }
            assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            if (!survivor.isClosed()) {
                survivor.close();
            }
            pools.close();
        }
    }

    @Test
    public void restartingThePlatformBundleRepublishesThePool() throws Exception {
        awaitSystemDefault();
        Bundle platform = installed(PLATFORM_BSN);
        long totalStart = MemoryPool.bytesAllocatedInAllPools();
        ServiceTracker<MemoryPool, MemoryPool> pools = track(MemoryPool.class);
        try {
            assertNotNull(pools.waitForService(TIMEOUT_MS));
            ResizableBuffer survivor = MemoryPool.defaultPool().allocate(64);
            survivor.setLong(0, 5L);
            platform.stop();
            try {
                await(pools::isEmpty, "the MemoryPool service to go away with the platform bundle");
                assertEquals(5L, survivor.getLong(0));
                survivor.close();
                assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
                // The API alone: no allocator reaches it, and it says which bundle is missing.
                MemoryBackend system = MemoryPool.supportedBackends().stream()
                        .filter(b -> b.name().equals("system")).findFirst().orElseThrow();
                assertFalse(system.toString(), system.available());
                assertTrue(system.unavailableReason(), system.unavailableReason().contains(
                        "through the bundle org.quiver.platform, which is not running: install and start it"));
            } finally {
                platform.start();
            }
            assertNotNull("the MemoryPool service did not come back", pools.waitForService(TIMEOUT_MS));
            awaitSystemDefault();
            assertEquals("one system entry, not one per activation", 1,
                    MemoryPool.supportedBackends().stream().filter(b -> b.name().equals("system")).count());
            try (Buffer b = pools.getService().allocate(10)) {
                assertEquals(64, b.capacity());
                assertEquals(totalStart + 64, MemoryPool.bytesAllocatedInAllPools());
            }
            assertEquals(totalStart, MemoryPool.bytesAllocatedInAllPools());
        } finally {
            pools.close();
        }
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    /**
     * Starts every allocator bundle and waits for the best-ranked available one to serve the default pool:
     * mimalloc, or jemalloc where mimalloc is not installed (then the calling test is skipped, or fails in CI).
     *
     * @return the name of the backend that serves
     */
    String startAllAllocators() throws Exception {
        for (String bsn : List.of(POOL_SYSTEM_BSN, POOL_JEMALLOC_BSN, POOL_MIMALLOC_BSN)) {
            installed(bsn).start();
        }
        await(() -> backend("mimalloc").isPresent() && backend("jemalloc").isPresent()
                && backend("system").isPresent(), "all three backends to be registered");
        assertTrue("jemalloc ships its library: " + backend("jemalloc"), backend("jemalloc").get().available());
        MemoryBackend mimalloc = backend("mimalloc").get();
        if (!mimalloc.available()) {
            if ("true".equalsIgnoreCase(System.getenv("CI"))) {
                fail("mimalloc must be available in CI: " + mimalloc.unavailableReason());
            }
            org.junit.Assume.assumeTrue("mimalloc unavailable: " + mimalloc.unavailableReason(), false);
        }
        await(() -> backend("mimalloc").map(MemoryBackend::isDefault).orElse(false)
                && context().getServiceReference(MemoryPool.class) != null,
                "mimalloc to serve the default pool");
        return "mimalloc";
    }

    BundleContext context() {
        Bundle probe = FrameworkUtil.getBundle(getClass());
        assertNotNull("the test does not run inside a bundle", probe);
        return probe.getBundleContext();
    }

    Bundle installed(String symbolicName) {
        for (Bundle b : context().getBundles()) {
            if (symbolicName.equals(b.getSymbolicName())) {
                return b;
            }
        }
        throw new AssertionError("bundle " + symbolicName + " is not installed");
    }

    <S> ServiceTracker<S, S> track(Class<S> type) {
        ServiceTracker<S, S> tracker = new ServiceTracker<>(context(), type, null);
        tracker.open();
        return tracker;
    }

    static Optional<MemoryBackend> backend(String name) {
        return MemoryPool.supportedBackends().stream().filter(b -> b.name().equals(name)).findFirst();
    }

    /**
     * Leaves only the system allocator running (the tests written for it stop the other two) and waits until it
     * serves the default pool and the MemoryPool service is registered.
     */
    void awaitSystemDefault() {
        for (String bsn : List.of(POOL_MIMALLOC_BSN, POOL_JEMALLOC_BSN)) {
            Bundle b = installed(bsn);
            if (b.getState() == Bundle.ACTIVE) {
                try {
                    b.stop();
                } catch (org.osgi.framework.BundleException e) {
                    throw new AssertionError("cannot stop " + bsn, e);
                }
            }
        }
        await(() -> backend("system").map(b -> b.available() && b.isDefault()).orElse(false)
                && context().getServiceReference(MemoryPool.class) != null,
                "system to serve the default pool and the MemoryPool service to be registered");
    }

    static void await(BooleanSupplier condition, String what) {
        long deadline = System.nanoTime() + TIMEOUT_MS * 1_000_000;
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - deadline > 0) {
                fail("timed out after " + TIMEOUT_MS + " ms waiting for " + what + "; backends: "
                        + MemoryPool.supportedBackends());
            }
            try {
                Thread.sleep(10);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new AssertionError("interrupted waiting for " + what, e);
            }
        }
    }

    static byte[] pattern(int length, int seed) {
        byte[] b = new byte[length];
        for (int i = 0; i < length; i++) {
            b[i] = (byte) (i * 31 + seed);
        }
        return b;
    }
}
