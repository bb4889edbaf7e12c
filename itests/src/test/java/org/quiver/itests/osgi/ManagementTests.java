package org.quiver.itests.osgi;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.IOException;
import java.lang.management.ManagementFactory;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.rmi.server.RMIServerSocketFactory;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

import javax.management.Attribute;
import javax.management.AttributeChangeNotification;
import javax.management.MBeanServerConnection;
import javax.management.Notification;
import javax.management.NotificationListener;
import javax.management.ObjectName;
import javax.management.RuntimeMBeanException;
import javax.management.remote.JMXConnector;
import javax.management.remote.JMXConnectorFactory;
import javax.management.remote.JMXConnectorServer;
import javax.management.remote.JMXConnectorServerFactory;
import javax.management.remote.JMXServiceURL;
import javax.management.remote.rmi.RMIConnectorServer;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.quiver.memory.Buffer;
import org.quiver.memory.ChildPool;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryPool;
import org.quiver.platform.management.QuiverManagement;
import org.quiver.platform.management.QuiverPlatformMXBean;

/**
 * Quiver's MXBeans as the platform bundle registers them, read and driven through a real JMX client: an RMI
 * connector server on 127.0.0.1, started here on the platform MBean server, and a client connected to it. The
 * figures are checked against the pools, the actions against what the bundles then see.
 */
public abstract class ManagementTests extends ConfigurationTests {

    /** Listens on the loopback interface only. */
    private static final class Loopback implements RMIServerSocketFactory, java.io.Serializable {
        private static final long serialVersionUID = 1L;

        @Override
        public ServerSocket createServerSocket(int port) throws IOException {
            return new ServerSocket(port, 0, InetAddress.getLoopbackAddress());
        }
    }

    private interface JmxSession {
        void run(MBeanServerConnection jmx) throws Exception;
    }

    /**
     * Runs {@code session} with a client connected to a connector server started for it. The client runs inside
     * the probe bundle here (an operator's runs in another process): RMI resolves the classes it receives through
     * the context class loader, so that is the platform class loader, which sees {@code javax.management}, as a
     * client's outside a framework does.
     */
    private static void overJmx(JmxSession session) throws Exception {
        Thread thread = Thread.currentThread();
        ClassLoader before = thread.getContextClassLoader();
        thread.setContextClassLoader(ClassLoader.getPlatformClassLoader());
        try {
            connected(session);
        } finally {
            thread.setContextClassLoader(before);
        }
    }

    private static void connected(JmxSession session) throws Exception {
        System.setProperty("java.rmi.server.hostname", "127.0.0.1");
        Map<String, Object> env = new HashMap<>();
        env.put(RMIConnectorServer.RMI_SERVER_SOCKET_FACTORY_ATTRIBUTE, new Loopback());
        JMXConnectorServer server = JMXConnectorServerFactory.newJMXConnectorServer(
                new JMXServiceURL("service:jmx:rmi://127.0.0.1"), env, ManagementFactory.getPlatformMBeanServer());
        server.start();
        try (JMXConnector client = JMXConnectorFactory.connect(server.getAddress())) {
            session.run(client.getMBeanServerConnection());
        } finally {
            server.stop();
        }
    }

    private static Throwable thrownBy(org.junit.function.ThrowingRunnable call) {
        return assertThrows(RuntimeMBeanException.class, call).getTargetException();
    }

    @Test
    public void theMBeansFollowThePoolsAndActThroughAJmxClient() throws Exception {
        String top = startAllAllocators();
        Bundle probe = context().getBundle();
        ChildPool view = (ChildPool) MemoryPool.defaultPool();
        try (Buffer held = view.allocate(5000)) {
            overJmx(jmx -> {
                ObjectName platform = QuiverManagement.PLATFORM;
                assertEquals(top, jmx.getAttribute(platform, "DefaultPool"));
                assertEquals("the best-ranked available backend", jmx.getAttribute(platform, "DefaultPoolReason"));
                for (String backend : new String[] {"system", "jemalloc", "mimalloc"}) {
                    ObjectName name = QuiverManagement.backend(backend);
                    assertEquals(true, jmx.getAttribute(name, "Available"));
                    assertEquals(MemoryPool.pool(backend).numAllocations(), jmx.getAttribute(name, "NumAllocations"));
                    assertEquals(MemoryPool.pool(backend).bytesAllocated(), jmx.getAttribute(name, "BytesAllocated"));
                }
                assertEquals(MemoryPool.bytesAllocatedInAllPools(),
                        jmx.getAttribute(platform, "BytesAllocatedInAllPools"));

                // This bundle's own view, by its symbolic name and bundle id.
                ObjectName mine = QuiverManagement.bundlePool(probe.getSymbolicName(), probe.getBundleId());
                assertTrue(mine + " is not registered", jmx.isRegistered(mine));
                assertEquals(view.bytesAllocated(), jmx.getAttribute(mine, "BytesAllocated"));
                assertTrue((Long) jmx.getAttribute(mine, "BytesAllocated") >= 5056);
                assertEquals(view.liveBuffers(), jmx.getAttribute(mine, "LiveBuffers"));
                assertEquals("bundle " + probe.getSymbolicName() + " [" + probe.getBundleId() + "]",
                        jmx.getAttribute(mine, "Owner"));
                assertEquals(top, jmx.getAttribute(mine, "Backend"));
                jmx.setAttribute(mine, new Attribute("Limit", 1L << 20));
                assertEquals(1 << 20, view.limit());
                assertThrows(MemoryLimitExceededException.class, () -> view.allocate(2 << 20));
                Throwable negative = thrownBy(() -> jmx.setAttribute(mine, new Attribute("Limit", -7L)));
                assertTrue(negative.getMessage(), negative.getMessage().contains("negative limit: limit=-7"));
                assertEquals(1 << 20, view.limit());
                jmx.setAttribute(mine, new Attribute("Limit", -1L));
                assertEquals(Long.MAX_VALUE, view.limit());

                // Switch, with the notification a console shows.
                BlockingQueue<Notification> heard = new LinkedBlockingQueue<>();
                NotificationListener listener = (n, handback) -> heard.add(n);
                jmx.addNotificationListener(platform, listener, null, null);
                try {
                    Throwable unknown = thrownBy(() -> jmx.invoke(platform, "switchDefaultPool",
                            new Object[] {"nosuch"}, new String[] {String.class.getName()}));
                    assertTrue(unknown.getMessage(), unknown.getMessage().contains("unknown memory pool backend"));
                    assertEquals(top, MemoryPool.defaultPool().backendName());
                    jmx.invoke(platform, "switchDefaultPool", new Object[] {"system"},
                            new String[] {String.class.getName()});
                    assertEquals("system", MemoryPool.defaultPool().backendName());
                    assertEquals("the bundle's view follows", "system", jmx.getAttribute(mine, "Backend"));
                    AttributeChangeNotification n = (AttributeChangeNotification) heard.poll(10, TimeUnit.SECONDS);
                    assertNotNull("no notification of the switch", n);
                    assertEquals(top, n.getOldValue());
                    assertEquals("system", n.getNewValue());
                    jmx.invoke(platform, "switchDefaultPool", new Object[] {""},
                            new String[] {String.class.getName()});
                    assertEquals(top, MemoryPool.defaultPool().backendName());
                } finally {
                    jmx.removeNotificationListener(platform, listener);
                }
                jmx.invoke(platform, "releaseUnused", new Object[0], new String[0]);
            });
        } finally {
            MemoryPool.setDefault((String) null);
            awaitSystemDefault();
        }
    }

    /**
     * Flight Recorder inside the framework: a recording made here gets the switch, the limit and the periodic
     * statistics. (Events defined as subclasses of {@code jdk.jfr.Event} failed in Felix: the bundle's class loader
     * cannot see the JFR internals their instrumented code calls.)
     */
    @Test
    public void flightRecorderRecordsInsideTheFramework() throws Exception {
        String top = startAllAllocators();
        java.nio.file.Path file = java.nio.file.Files.createTempFile("quiver-osgi", ".jfr");
        try {
            try (jdk.jfr.Recording r = new jdk.jfr.Recording()) {
                r.setToDisk(false);
                r.enable("org.quiver.DefaultPoolSwitched");
                r.enable("org.quiver.LimitExceeded");
                r.enable("org.quiver.ChildPoolStatistics").withPeriod(java.time.Duration.ofMillis(50));
                r.start();
                MemoryPool.setDefault("system");
                try (ChildPool child = MemoryPool.defaultPool().newChild("osgi-jfr", 100)) {
                    assertThrows(MemoryLimitExceededException.class, () -> child.allocate(1000));
                    Thread.sleep(300);
                }
                MemoryPool.setDefault((String) null);
                r.dump(file); // an in-memory recording is dumped while it runs
                r.stop();
            }
            java.util.List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(file);
            assertTrue(events.toString(), events.stream().anyMatch(e -> e.getEventType().getName()
                    .equals("org.quiver.DefaultPoolSwitched") && top.equals(e.getString("from"))
                    && "system".equals(e.getString("to"))));
            assertTrue(events.toString(), events.stream().anyMatch(e -> e.getEventType().getName()
                    .equals("org.quiver.LimitExceeded") && "child pool 'osgi-jfr'".equals(e.getString("pool"))
                    && e.getLong("requested") == 1024 && e.getLong("limit") == 100));
            assertTrue(events.toString(), events.stream().anyMatch(e -> e.getEventType().getName()
                    .equals("org.quiver.ChildPoolStatistics") && "child pool 'osgi-jfr'".equals(e.getString("name"))));
        } finally {
            java.nio.file.Files.deleteIfExists(file);
            MemoryPool.setDefault((String) null);
            awaitSystemDefault();
        }
    }

    @Test
    public void theMBeansArePublishedAsWhiteboardServicesAndFollowThePlatformBundle() throws Exception {
        awaitSystemDefault();
        String filter = "(jmx.objectname=" + QuiverManagement.PLATFORM + ")";
        ServiceReference<?>[] refs = context().getServiceReferences(QuiverPlatformMXBean.class.getName(), filter);
        assertNotNull("no whiteboard service " + filter, refs);
        QuiverPlatformMXBean bean = (QuiverPlatformMXBean) context().getService(refs[0]);
        try {
            assertEquals("system", bean.getDefaultPool());
        } finally {
            context().ungetService(refs[0]);
        }
        assertNotNull(context().getServiceReferences((String) null,
                "(jmx.objectname=" + QuiverManagement.backend("system") + ")"));

        Bundle platformBundle = installed(PLATFORM_BSN);
        platformBundle.stop();
        try {
            assertFalse("stopped: its MBeans are gone",
                    ManagementFactory.getPlatformMBeanServer().isRegistered(QuiverManagement.PLATFORM));
            assertEquals(0, ManagementFactory.getPlatformMBeanServer()
                    .queryNames(new ObjectName("org.quiver:*"), null).size());
        } finally {
            platformBundle.start();
        }
        await(() -> ManagementFactory.getPlatformMBeanServer().isRegistered(QuiverManagement.PLATFORM),
                "the MBeans to come back with the platform bundle");
        awaitSystemDefault();
    }
}
