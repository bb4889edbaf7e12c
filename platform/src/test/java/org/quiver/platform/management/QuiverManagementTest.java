package org.quiver.platform.management;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanServerConnection;
import javax.management.MBeanServerFactory;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.openmbean.CompositeData;
import javax.management.openmbean.TabularData;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.ChildPool;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.spi.Allocators;
import org.quiver.memory.testing.LibcAllocator;

/**
 * Quiver's MXBeans on the class path, read and driven through a real JMX client: an RMI connector server on
 * 127.0.0.1, started here on the platform MBean server, and {@link JMXConnectorFactory} connected to it. Every
 * figure is checked against the pools themselves.
 */
class QuiverManagementTest {

    private static JMXConnectorServer server;
    private static JMXConnector client;
    private static MBeanServerConnection jmx;

    /** Listens on the loopback interface only. */
    private static final class Loopback implements RMIServerSocketFactory, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
        }
    }

    @BeforeAll
    static void connect() throws IOException {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        QuiverManagement.register();
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new Loopback());
        server = JMXConnectorServerFactory.newJMXConnectorServer(new JMXServiceURL("service:jmx:rmi://127.0.0.1"),
                env, ManagementFactory.getPlatformMBeanServer());
        server.start();
        client = JMXConnectorFactory.connect(server.getAddress());
        jmx = client.getMBeanServerConnection();
    }

    @AfterAll
    static void disconnect() throws Exception {
        try {
            client.close();
            server.stop();
        } finally {
            QuiverManagement.unregister();
        }
        assertEquals(Set.of(), ManagementFactory.getPlatformMBeanServer().queryNames(ObjectName.getInstance("org.quiver:*"),
                null), "unregister() leaves no Quiver MBean");
        assertEquals(0, MemoryPool.pool("system").bytesAllocated(), "every buffer was closed");
    }

    private static Object get(ObjectName name, String attribute) throws Exception {
        return jmx.getAttribute(name, attribute);
    }

    private static Object invoke(ObjectName name, String operation, Object... args) throws Exception {
        String[] signature = Arrays.stream(args).map(a -> a.getClass().getName()).toArray(String[]::new);
        return jmx.invoke(name, operation, args, signature);
    }

    /** The exception an MBean threw, as the remote client gets it. */
    private static Throwable thrownBy(org.junit.jupiter.api.function.Executable call) {
        RuntimeMBeanException e = assertThrows(RuntimeMBeanException.class, call);
        return e.getTargetException();
    }

    @Test
    void thePlatformSaysWhichBackendServesAndWhy() throws Exception {
        ObjectName platform = QuiverManagement.PLATFORM;
        assertEquals("system", get(platform, "DefaultPool"));
        assertEquals(MemoryPool.defaultPool().backendName(), get(platform, "DefaultPool"));
        assertEquals("the best-ranked available backend", get(platform, "DefaultPoolReason"));
        String[] backends = (String[]) get(platform, "Backends");
        assertTrue(Arrays.asList(backends).containsAll(Set.of("system", "jemalloc", "mimalloc")),
                Arrays.toString(backends));
        assertArrayEquals(MemoryPool.supportedBackends().stream().map(b -> b.name()).toArray(), backends);
        try (ResizableBuffer b = MemoryPool.defaultPool().allocate(100_000)) {
            assertEquals(MemoryPool.bytesAllocatedInAllPools(), get(platform, "BytesAllocatedInAllPools"));
            assertTrue((Long) get(platform, "BytesAllocatedInAllPools") >= 100_032);
        }
        assertEquals(LeakDetection.level().name(), get(platform, "LeakDetection"));
        assertEquals(LeakDetection.leaksFound(), get(platform, "LeaksFound"));
        assertEquals(Map.of(), toMap((TabularData) get(platform, "RetiredBackends")));
        assertTrue(jmx.isRegistered(QuiverManagement.backend("jemalloc")), "a known backend that is not installed");
    }

    @Test
    void aBackendsCountersAreThePools() throws Exception {
        MemoryPool system = MemoryPool.pool("system");
        ObjectName name = QuiverManagement.backend("system");
        assertEquals("org.quiver:type=MemoryBackend,name=system", name.toString());
        try (ResizableBuffer b = system.allocate(1 << 20)) {
            assertEquals(system.bytesAllocated(), get(name, "BytesAllocated"));
            assertTrue((Long) get(name, "BytesAllocated") >= 1 << 20);
            assertEquals(system.peakBytesAllocated(), get(name, "PeakBytesAllocated"));
            assertEquals(system.cumulativeBytesAllocated(), get(name, "CumulativeBytesAllocated"));
            assertEquals(system.numAllocations(), get(name, "NumAllocations"));
            assertEquals(system.bytesCached(), get(name, "BytesCached"));
        }
        assertEquals(true, get(name, "Available"));
        assertEquals(true, get(name, "Default"));
        assertNull(get(name, "UnavailableReason"));
        Map<String, String> options = toMap((TabularData) get(name, "Options"));
        assertEquals(system.backendOptions(), options);
        assertTrue(options.containsKey("mmap.threshold"), options.toString());
        invoke(name, "releaseUnused");
        assertEquals(0L, get(name, "BytesCached"));

        ObjectName jemalloc = QuiverManagement.backend("jemalloc");
        assertEquals(false, get(jemalloc, "Installed"));
        assertEquals(false, get(jemalloc, "Available"));
        assertEquals(-1, get(jemalloc, "Ranking"));
        assertEquals(-1L, get(jemalloc, "BytesAllocated"));
        assertTrue(((String) get(jemalloc, "UnavailableReason")).startsWith("not installed"),
                (String) get(jemalloc, "UnavailableReason"));
        Throwable refused = thrownBy(() -> invoke(jemalloc, "releaseUnused"));
        assertInstanceOf(IllegalArgumentException.class, refused);
        assertTrue(refused.getMessage().contains("'jemalloc' is not available"), refused.getMessage());
    }

    @SuppressWarnings("unchecked")
    private static <V> Map<String, V> toMap(TabularData table) {
        Map<String, V> out = new HashMap<>();
        for (Object row : table.values()) {
            CompositeData c = (CompositeData) row;
            out.put((String) c.get("key"), (V) c.get("value"));
        }
        return out;
    }

    @Test
    void theDefaultPoolSwitchesThroughJmxWithANotification() throws Exception {
        BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
        NotificationListener listener = (n, handback) -> heard.add(n);
        jmx.addNotificationListener(QuiverManagement.PLATFORM, listener, null, null);
        LibcAllocator libc = new LibcAllocator("jmx-libc");
        ObjectName name = QuiverManagement.backend("jmx-libc");
        try (Allocators.Registration registration = Allocators.register(libc, -1)) {
            assertTrue(jmx.isRegistered(name), "a backend registered later gets its MBean");
            assertEquals(-1, get(name, "Ranking"));

            Throwable unknown = thrownBy(() -> invoke(QuiverManagement.PLATFORM, "switchDefaultPool", "nosuch"));
            assertInstanceOf(IllegalArgumentException.class, unknown);
            assertTrue(unknown.getMessage().contains("unknown memory pool backend 'nosuch'")
                    && unknown.getMessage().contains("jmx-libc"), unknown.getMessage());
            assertEquals("system", MemoryPool.defaultPool().backendName(), "a refused switch changes nothing");

            invoke(QuiverManagement.PLATFORM, "switchDefaultPool", "jmx-libc");
            assertEquals("jmx-libc", MemoryPool.defaultPool().backendName());
            assertEquals("jmx-libc", get(QuiverManagement.PLATFORM, "DefaultPool"));
            assertEquals("'jmx-libc' set at run time", get(QuiverManagement.PLATFORM, "DefaultPoolReason"));
            assertEquals(true, get(name, "Default"));
            AttributeChangeNotification switched = (AttributeChangeNotification) heard.poll(10, TimeUnit.SECONDS);
            assertNotNull(switched, "no notification of the switch");
            assertEquals("DefaultPool", switched.getAttributeName());
            assertEquals("system", switched.getOldValue());
            assertEquals("jmx-libc", switched.getNewValue());
            assertTrue(switched.getMessage().startsWith("'jmx-libc' set at run time"), switched.getMessage());

            invoke(QuiverManagement.PLATFORM, "switchDefaultPool", "");
            assertEquals("system", MemoryPool.defaultPool().backendName());
            AttributeChangeNotification back = (AttributeChangeNotification) heard.poll(10, TimeUnit.SECONDS);
            assertNotNull(back);
            assertEquals("system", back.getNewValue());
        } finally {
            MemoryPool.setDefault((String) null);
            jmx.removeNotificationListener(QuiverManagement.PLATFORM, listener);
        }
        assertFalse(jmx.isRegistered(name), "an unregistered backend that nobody knows loses its MBean");
    }

    @Test
    void aChildPoolHasAnMBeanWhileOpenAndItsLimitIsSetThroughIt() throws Exception {
        ObjectName name;
        try (ChildPool child = MemoryPool.defaultPool().newChild("scratch, for=jmx", 4096)) {
            Set<ObjectName> found = jmx.queryNames(ObjectName.getInstance("org.quiver:type=ChildPool,*"), null);
            name = found.stream().filter(n -> n.getKeyProperty("name").contains("scratch")).findFirst().orElseThrow();
            assertEquals("\"scratch, for=jmx\"", name.getKeyProperty("name"), "quoted: it holds , and =");
            assertEquals("scratch, for=jmx", get(name, "Name"));
            assertEquals("child pool 'scratch, for=jmx'", get(name, "Owner"));
            assertEquals("system", get(name, "Backend"));
            ResizableBuffer a = child.allocate(1000);
            assertEquals(child.bytesAllocated(), get(name, "BytesAllocated"));
            assertEquals(1024L, get(name, "BytesAllocated"));
            assertEquals(1L, get(name, "LiveBuffers"));
            assertEquals(4096L, get(name, "Limit"));

            jmx.setAttribute(name, new Attribute("Limit", 2048L));
            assertEquals(2048, child.limit());
            assertThrows(MemoryLimitExceededException.class, () -> child.allocate(1500));
            Throwable negative = thrownBy(() -> jmx.setAttribute(name, new Attribute("Limit", -5L)));
            assertTrue(negative.getMessage().contains("negative limit: limit=-5"), negative.getMessage());
            assertEquals(2048, child.limit(), "a refused limit changes nothing");
            jmx.setAttribute(name, new Attribute("Limit", -1L));
            assertEquals(Long.MAX_VALUE, child.limit());
            assertEquals(-1L, get(name, "Limit"));
            a.close();
            assertEquals(1024L, get(name, "PeakBytesAllocated"));
            assertEquals(0L, get(name, "LiveBuffers"));
        }
        assertFalse(jmx.isRegistered(name), "closed: its MBean is gone");
    }

    @Test
    void leakDetectionIsSetAndLeaksAreNotified() throws Exception {
        BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
        NotificationListener listener = (n, handback) -> heard.add(n);
        jmx.addNotificationListener(QuiverManagement.PLATFORM, listener, null, null);
        LeakDetection.Level before = LeakDetection.level();
        long leaks = LeakDetection.leaksFound();
        ResizableBuffer kept;
        try {
            jmx.setAttribute(QuiverManagement.PLATFORM, new Attribute("LeakDetection", "paranoid"));
            assertEquals(LeakDetection.Level.PARANOID, LeakDetection.level());
            Throwable bogus = thrownBy(() -> jmx.setAttribute(QuiverManagement.PLATFORM,
                    new Attribute("LeakDetection", "bogus")));
            assertTrue(bogus.getMessage().contains("unknown leak detection level 'bogus'"), bogus.getMessage());
            assertEquals(LeakDetection.Level.PARANOID, LeakDetection.level());

            ChildPool leaking = MemoryPool.defaultPool().newChild("jmx-leaking");
            kept = leaking.allocate(640);
            leaking.close();
            Notification leak = heard.poll(10, TimeUnit.SECONDS);
            assertNotNull(leak, "no leak notification");
            assertEquals("org.quiver.leak", leak.getType());
            assertEquals("LEAK: child pool 'jmx-leaking': 1 buffer(s), 640 bytes from pool 'system'",
                    leak.getMessage());
            assertEquals(640L, leak.getUserData());
            assertEquals(leaks + 1, get(QuiverManagement.PLATFORM, "LeaksFound"));
        } finally {
            LeakDetection.setLevel(before);
            jmx.removeNotificationListener(QuiverManagement.PLATFORM, listener);
        }
        kept.close();
    }

    @Test
    void registeringTwiceIsNothingAndAnotherServerIsRefused() {
        QuiverManagement.register();
        assertTrue(QuiverManagement.isRegistered());
        IllegalStateException other = assertThrows(IllegalStateException.class,
                () -> QuiverManagement.register(MBeanServerFactory.newMBeanServer()));
        assertTrue(other.getMessage().contains("registered on another MBean server"), other.getMessage());
    }
}
