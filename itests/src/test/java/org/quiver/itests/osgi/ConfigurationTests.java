package org.quiver.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;
import static org.junit.Assume.assumeTrue;

import java.io.IOException;
import java.util.Arrays;
import java.util.Dictionary;
import java.util.HashSet;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;

import org.junit.Test;
import org.osgi.framework.ServiceReference;
import org.osgi.service.cm.Configuration;
import org.osgi.service.cm.ConfigurationAdmin;
import org.osgi.service.metatype.AttributeDefinition;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.service.metatype.ObjectClassDefinition;
import org.quiver.memory.Buffer;
import org.quiver.memory.ChildPool;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;

/**
 * Every setting of {@code org.quiver.memory} and of each allocator's configuration, changed through the real
 * Configuration Admin while the platform runs: the effect is checked, and so is the refusal of bad values (the
 * reason in {@code quiver:pools}, and the running settings kept).
 */
public abstract class ConfigurationTests extends HdfsTests {

    private ConfigurationAdmin configAdmin() {
        ServiceReference<ConfigurationAdmin> ref = context().getServiceReference(ConfigurationAdmin.class);
        assertNotNull("no ConfigurationAdmin service", ref);
        return context().getService(ref);
    }

    /** The configuration of {@code pid}, bound to no bundle (as File Install makes them). */
    private Configuration configuration(String pid) throws IOException {
        return configAdmin().getConfiguration(pid, null);
    }

    private static Dictionary<String, Object> props(Object... kv) {
        Hashtable<String, Object> p = new Hashtable<>();
        for (int i = 0; i < kv.length; i += 2) {
            p.put((String) kv[i], kv[i + 1]);
        }
        return p;
    }

    /** {@code quiver:pools}, through its service. */
    private String pools() throws Exception {
        ServiceReference<?>[] refs = context().getServiceReferences((String) null,
                "(&(osgi.command.scope=quiver)(osgi.command.function=pools))");
        assertNotNull("no quiver commands", refs);
        Object commands = context().getService(refs[0]);
        try {
            return (String) commands.getClass().getMethod("pools").invoke(commands);
        } finally {
            context().ungetService(refs[0]);
        }
    }

    private void awaitPools(String contains) {
        await(() -> {
            try {
                return pools().contains(contains);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "quiver:pools to show: " + contains);
    }

    private void awaitNoRefusal(String pid) {
        await(() -> {
            try {
                return !pools().contains("configuration refused: " + pid);
            } catch (Exception e) {
                throw new AssertionError(e);
            }
        }, "no refusal of " + pid);
    }

    private static void delete(Configuration c) {
        try {
            c.delete();
        } catch (IOException | IllegalStateException gone) {
            // already deleted
        }
    }

    @Test
    public void theMemoryConfigurationSwitchesTheDefaultPoolLiveAndRefusesBadValues() throws Exception {
        String top = startAllAllocators();
        Configuration c = configuration("org.quiver.memory");
        LeakDetection.Level before = LeakDetection.level();
        String probe = context().getBundle().getSymbolicName();
        try {
            c.update(props("default.pool", "system"));
            await(() -> "system".equals(MemoryPool.defaultPool().backendName()), "system to serve");
            awaitPools("default override: 'system' from configuration org.quiver.memory (default.pool)");

            c.update(props("default.pool", "nosuch"));
            awaitPools("configuration refused: org.quiver.memory: default.pool='nosuch' is no backend (known: ");
            assertEquals("refused: the default stays", "system", MemoryPool.defaultPool().backendName());

            c.update(props("default.pool", "ranking", "leak.detection", "paranoid"));
            await(() -> top.equals(MemoryPool.defaultPool().backendName())
                    && LeakDetection.level() == LeakDetection.Level.PARANOID, "ranking and the paranoid level");
            awaitNoRefusal("org.quiver.memory");

            c.update(props("leak.detection", "loud"));
            awaitPools("leak.detection='loud' is no level (off, sampled or paranoid)");
            assertEquals(LeakDetection.Level.PARANOID, LeakDetection.level());

            // A limit for this very bundle (the probe), in Karaf's list form and as a single key.
            c.update(props("bundle.limits", new String[] {probe + "=64k", "com.example.other=1m"}));
            ChildPool view = (ChildPool) MemoryPool.defaultPool();
            long held = view.bytesAllocated();
            await(() -> view.limit() == 65536, "the probe's limit of 64k");
            MemoryLimitExceededException e = assertThrows(MemoryLimitExceededException.class,
                    () -> view.allocate(100_000));
            assertTrue(e.getMessage(), e.getMessage().contains(probe));
            assertEquals("a refused allocation changes nothing", held, view.bytesAllocated());

            c.update(props("bundle.limit." + probe, "lots"));
            awaitPools("limit of " + probe + ": not a size: 'lots'");
            assertEquals("refused: the limit stays", 65536, view.limit());

            c.update(props("bundle.limit." + probe, "1m"));
            await(() -> view.limit() == 1 << 20, "the single-key limit");
            try (Buffer b = view.allocate(100_000)) {
                assertEquals(100_032, b.capacity());
            }

            c.delete();
            await(() -> view.limit() == Long.MAX_VALUE && LeakDetection.level() == before,
                    "deleting the configuration to take its settings back");
            awaitNoRefusal("org.quiver.memory");
            assertEquals(top, MemoryPool.defaultPool().backendName());
        } finally {
            delete(c);
        }
    }

    @Test
    public void anAllocatorConfigurationRanksAndReplacesLiveAndRefusesBadValues() throws Exception {
        startAllAllocators();
        Configuration c = configuration("org.quiver.pool.system");
        try {
            c.update(props("ranking", "1000"));
            await(() -> "system".equals(MemoryPool.defaultPool().backendName()), "system, ranked 1000, to serve");
            assertEquals(1000, backend("system").orElseThrow().ranking());

            c.update(props("ranking", "high"));
            awaitPools("configuration refused: org.quiver.pool.system: ranking='high' is not an integer");
            assertEquals("refused: the ranking stays", 1000, backend("system").orElseThrow().ranking());

            // A setting fixed for an allocator's life: a new allocator, while a buffer of the old one lives.
            MemoryPool before = MemoryPool.pool("system");
            Buffer live = before.allocate(2 << 20);
            byte[] data = pattern(1000, 5);
            live.put(0, data, 0, data.length);
            c.update(props("ranking", "1000", "mmap.threshold", "64k"));
            await(() -> "65536".equals(MemoryPool.pool("system").backendOptions().get("mmap.threshold")),
                    "a new system allocator with a 64 KiB threshold");
            awaitPools("retired: system (unregistered, ");
            byte[] read = new byte[1000];
            live.get(0, read, 0, read.length);
            assertArrayEquals("the old allocator's buffer is intact", data, read);
            live.close();
            await(() -> {
                try {
                    return !pools().contains("retired: system");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the old allocator to be closed once its last buffer is freed");
            assertEquals(1000, backend("system").orElseThrow().ranking());

            c.update(props("ranking", "1000", "mmap.threshold", "100"));
            awaitPools("mmap.threshold must be at least one page");
            assertEquals("65536", MemoryPool.pool("system").backendOptions().get("mmap.threshold"));

            c.update(props("ranking", "1000", "colour", "blue"));
            awaitPools("unknown setting 'colour' (known: mmap.threshold, ranking)");

            c.delete();
            await(() -> backend("system").map(b -> b.ranking() == 100).orElse(false)
                    && "1048576".equals(MemoryPool.pool("system").backendOptions().get("mmap.threshold")),
                    "the built-in ranking and threshold back");
            awaitNoRefusal("org.quiver.pool.system");
        } finally {
            delete(c);
        }
    }

    @Test
    public void jemallocDecayTimesApplyLiveAndABadLibraryIsRefused() throws Exception {
        startAllAllocators();
        assumeTrue("jemalloc is not available here", backend("jemalloc").orElseThrow().available());
        MemoryPool jemalloc = MemoryPool.pool("jemalloc");
        String started = jemalloc.backendOptions().get("dirty_decay_ms");
        Configuration c = configuration("org.quiver.pool.jemalloc");
        try {
            c.update(props("dirty_decay_ms", "0", "muzzy_decay_ms", 0L));
            await(() -> "0".equals(MemoryPool.pool("jemalloc").backendOptions().get("dirty_decay_ms"))
                    && "0".equals(MemoryPool.pool("jemalloc").backendOptions().get("muzzy_decay_ms")),
                    "decay times of 0");

            c.update(props("dirty_decay_ms", "soon"));
            awaitPools("jemalloc dirty_decay_ms must be milliseconds (-1 = never): value=soon");
            assertEquals("0", MemoryPool.pool("jemalloc").backendOptions().get("dirty_decay_ms"));

            c.update(props("library", "/nonexistent/libjemalloc.so.2"));
            awaitPools("configuration refused: org.quiver.pool.jemalloc: library='/nonexistent/libjemalloc.so.2'"
                    + " does not work");
            assertTrue("the bundled jemalloc keeps serving", backend("jemalloc").orElseThrow().available());
            assertFalse(pools().contains("retired: jemalloc"));

            c.delete();
            await(() -> started.equals(MemoryPool.pool("jemalloc").backendOptions().get("dirty_decay_ms")),
                    "the decay time jemalloc started with");
            awaitNoRefusal("org.quiver.pool.jemalloc");
        } finally {
            delete(c);
        }
    }

    @Test
    public void mimallocOptionsApplyLiveAndUnknownOnesAreRefused() throws Exception {
        startAllAllocators();
        assumeTrue("mimalloc is not available here", backend("mimalloc").orElseThrow().available());
        String started = MemoryPool.pool("mimalloc").backendOptions().get("eager_commit_delay");
        String changed = "7".equals(started) ? "8" : "7";
        Configuration c = configuration("org.quiver.pool.mimalloc");
        try {
            c.update(props("option.eager_commit_delay", changed, "ranking", 5));
            await(() -> changed.equals(MemoryPool.pool("mimalloc").backendOptions().get("eager_commit_delay"))
                    && backend("mimalloc").orElseThrow().ranking() == 5, "the option and the ranking");
            assertEquals("jemalloc (200) outranks mimalloc (5) now", "jemalloc",
                    MemoryPool.defaultPool().backendName());

            c.update(props("option.nosuch", "1"));
            awaitPools("configuration refused: org.quiver.pool.mimalloc: unknown setting 'option.nosuch' (known: ");
            assertEquals(changed, MemoryPool.pool("mimalloc").backendOptions().get("eager_commit_delay"));

            // A library by path: a new allocator (the same operating system library, named explicitly), while a
            // buffer of the old one lives; the live options are set on the new one too.
            String arch = System.getProperty("os.arch").equals("amd64") ? "x86_64" : System.getProperty("os.arch");
            java.nio.file.Path library = java.nio.file.Path.of("/usr/lib", arch + "-linux-gnu", "libmimalloc.so.2");
            assumeTrue("no " + library, java.nio.file.Files.exists(library));
            Buffer live = MemoryPool.pool("mimalloc").allocate(4096);
            c.update(props("option.eager_commit_delay", changed, "library", library.toString()));
            await(() -> library.toString().equals(MemoryPool.pool("mimalloc").backendOptions().get("library")),
                    "a new mimalloc allocator from " + library);
            awaitPools("retired: mimalloc (unregistered, ");
            assertEquals(changed, MemoryPool.pool("mimalloc").backendOptions().get("eager_commit_delay"));
            live.setLong(0, 7L);
            live.close();
            await(() -> {
                try {
                    return !pools().contains("retired: mimalloc");
                } catch (Exception e) {
                    throw new AssertionError(e);
                }
            }, "the old mimalloc allocator to be closed at its last free");

            c.delete();
            await(() -> started.equals(MemoryPool.pool("mimalloc").backendOptions().get("eager_commit_delay"))
                    && backend("mimalloc").orElseThrow().ranking() == 300, "the option and ranking back");
        } finally {
            delete(c);
        }
    }

    /** Consoles build their forms from Metatype: every configuration is described, with each setting. */
    @Test
    public void everyConfigurationIsDescribedForConsoles() throws Exception {
        ServiceReference<MetaTypeService> ref = context().getServiceReference(MetaTypeService.class);
        assertNotNull("no MetaTypeService", ref);
        MetaTypeService metatype = context().getService(ref);
        check(metatype, PLATFORM_BSN, "org.quiver.memory", "default.pool", "leak.detection", "bundle.limits");
        check(metatype, POOL_SYSTEM_BSN, "org.quiver.pool.system", "ranking", "mmap.threshold");
        check(metatype, POOL_JEMALLOC_BSN, "org.quiver.pool.jemalloc", "ranking", "library", "mmap.threshold",
                "dirty_decay_ms", "muzzy_decay_ms");
        check(metatype, POOL_MIMALLOC_BSN, "org.quiver.pool.mimalloc", "ranking", "library", "mmap.threshold",
                "option.eager_commit");
    }

    private void check(MetaTypeService metatype, String bsn, String pid, String... ids) {
        var info = metatype.getMetaTypeInformation(installed(bsn));
        assertNotNull(bsn + " has no metatype", info);
        assertTrue(bsn + " designates " + pid, Arrays.asList(info.getPids()).contains(pid));
        ObjectClassDefinition ocd = info.getObjectClassDefinition(pid, null);
        Set<String> found = new HashSet<>();
        for (AttributeDefinition ad : ocd.getAttributeDefinitions(ObjectClassDefinition.ALL)) {
            found.add(ad.getID());
            assertFalse(pid + " " + ad.getID() + " has a description", ad.getDescription().isBlank());
        }
        assertTrue(pid + ": " + found, found.containsAll(List.of(ids)));
    }
}
