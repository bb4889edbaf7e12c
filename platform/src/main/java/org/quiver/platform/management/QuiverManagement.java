package org.quiver.platform.management;

import java.lang.management.ManagementFactory;
import java.util.Objects;

import javax.management.MBeanServer;
import javax.management.MalformedObjectNameException;
import javax.management.ObjectName;

import org.quiver.platform.internal.Management;

/**
 * Registers Quiver's MXBeans on an MBean server, on the module path and class path: one call,
 * {@code QuiverManagement.register()}, or the system property {@code -Dquiver.jmx=platform} (also {@code true}),
 * which registers them on the platform MBean server when Quiver is first used. Inside OSGi the platform bundle
 * registers them itself, and this class is not needed.
 *
 * <p>From then on the MBeans follow the runtime: a backend registered later gets its MBean, a child pool's MBean
 * comes with {@code newChild} and goes with {@code close()}. See the package description for the object names.
 *
 * @since 1.0
 */
public final class QuiverManagement {

    /** The domain of every Quiver object name. */
    public static final String DOMAIN = "org.quiver";

    /** {@code org.quiver:type=Platform}. */
    public static final ObjectName PLATFORM = objectName(DOMAIN + ":type=Platform");

    private static MBeanServer server;
    private static Management management;

    private QuiverManagement() {
    }

    /** The object name of a backend's MBean: {@code org.quiver:type=MemoryBackend,name=<backend>}. */
    public static ObjectName backend(String backend) {
        Objects.requireNonNull(backend, "backend");
        return objectName(DOMAIN + ":type=MemoryBackend,name=" + value(backend));
    }

    /**
     * The object name of a child pool's MBean: {@code org.quiver:type=ChildPool,name=<name>,id=<id>}, the name
     * quoted ({@link ObjectName#quote}) when it holds a character an object name does not allow unquoted.
     */
    public static ObjectName childPool(String name, long id) {
        Objects.requireNonNull(name, "name");
        return objectName(DOMAIN + ":type=ChildPool,name=" + value(name) + ",id=" + id);
    }

    /** A bundle view's: {@code org.quiver:type=BundlePool,name=<symbolic name>,id=<bundle id>}. */
    public static ObjectName bundlePool(String symbolicName, long bundleId) {
        Objects.requireNonNull(symbolicName, "symbolicName");
        return objectName(DOMAIN + ":type=BundlePool,name=" + value(symbolicName) + ",id=" + bundleId);
    }

    /** Registers the MBeans on the platform MBean server. Does nothing when they are registered there already. */
    public static void register() {
        register(ManagementFactory.getPlatformMBeanServer());
    }

    /**
     * Registers the MBeans on {@code mbeanServer}. Does nothing when they are registered there already.
     *
     * @throws IllegalStateException when they are registered on another server (unregister them first), or when
     *         another Quiver runtime in this JVM registered its MBeans there
     */
    public static synchronized void register(MBeanServer mbeanServer) {
        Objects.requireNonNull(mbeanServer, "mbeanServer");
        if (server == mbeanServer) {
            return;
        }
        if (server != null) {
            throw new IllegalStateException("Quiver's MBeans are registered on another MBean server (default domain "
                    + server.getDefaultDomain() + "); unregister them first");
        }
        if (mbeanServer.isRegistered(PLATFORM)) {
            throw new IllegalStateException(PLATFORM + " is registered already on this MBean server: by another"
                    + " Quiver runtime in this JVM (an OSGi framework's platform bundle?)");
        }
        management = Management.start(Management.exportTo(mbeanServer), Management.CHILD_POOLS);
        server = mbeanServer;
    }

    /** Unregisters the MBeans this class registered. Does nothing when there are none. */
    public static synchronized void unregister() {
        if (management != null) {
            management.stop();
            management = null;
            server = null;
        }
    }

    /** Whether this class registered the MBeans (on any server). */
    public static synchronized boolean isRegistered() {
        return management != null;
    }

    /** An object name value as it is, or quoted when it holds {@code , = : " * ?}, a line break or nothing. */
    private static String value(String v) {
        return v.isEmpty() || v.chars().anyMatch(c -> ",=:\"*?\n\\".indexOf(c) >= 0) ? ObjectName.quote(v) : v;
    }

    private static ObjectName objectName(String name) {
        try {
            return new ObjectName(name);
        } catch (MalformedObjectNameException e) {
            throw new IllegalArgumentException(e.getMessage() + ": " + name, e);
        }
    }
}
