package org.quiver.platform.internal;

import java.lang.management.ManagementFactory;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import javax.management.MBeanServer;
import javax.management.ObjectName;

import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.quiver.platform.management.QuiverManagement;

/**
 * Inside OSGi: Quiver's MXBeans, registered on the platform MBean server and published as services with the
 * property {@code jmx.objectname} (under their MXBean interface), for JMX whiteboards. The framework property
 * {@code quiver.jmx} chooses: {@code platform} (the default: both), {@code whiteboard} (services only, when a JMX
 * whiteboard such as Aries JMX Whiteboard registers them, which would otherwise find them registered already) or
 * {@code off}.
 */
@Component(immediate = true)
public final class JmxComponent {

    static final String MODE_PROPERTY = "quiver.jmx";
    private static final System.Logger LOG = System.getLogger("org.quiver.jmx");

    /** The bundles' views, which JMX names and limits by bundle. */
    @Reference
    private AllocatorServices services;
    private Management management;

    @Activate
    void activate(BundleContext context) {
        String mode = context.getProperty(MODE_PROPERTY);
        mode = mode == null || mode.isBlank() ? "platform" : mode.trim().toLowerCase(Locale.ROOT);
        Management.Exporter toServices = servicesOf(context);
        Management.Exporter exporter;
        switch (mode) {
            case "off", "false" -> {
                return;
            }
            case "whiteboard" -> exporter = toServices;
            default -> {
                if (!mode.equals("platform") && !mode.equals("true")) {
                    LOG.log(System.Logger.Level.WARNING, MODE_PROPERTY + "=" + mode + " is not understood (platform,"
                            + " whiteboard or off); using platform");
                }
                MBeanServer server = ManagementFactory.getPlatformMBeanServer();
                if (server.isRegistered(QuiverManagement.PLATFORM)) {
                    LOG.log(System.Logger.Level.WARNING, QuiverManagement.PLATFORM + " is registered already (another"
                            + " Quiver runtime in this JVM); this framework's MBeans are published as services only");
                    exporter = toServices;
                } else {
                    exporter = both(Management.exportTo(server), toServices);
                }
            }
        }
        BundleViews views = services.views();
        management = Management.start(exporter, views != null ? views.forJmx() : Management.CHILD_POOLS);
    }

    @Deactivate
    void deactivate() {
        if (management != null) {
            management.stop();
            management = null;
        }
    }

    /** Each MBean as a service under its MXBean interface, with {@code jmx.objectname}. */
    private static Management.Exporter servicesOf(BundleContext context) {
        Map<ObjectName, ServiceRegistration<?>> registrations = new ConcurrentHashMap<>();
        return new Management.Exporter() {
            @Override
            public void add(ObjectName name, Object mbean, Class<?> type) {
                Dictionary<String, Object> properties = new Hashtable<>();
                properties.put("jmx.objectname", name.toString());
                registrations.put(name, context.registerService(type.getName(), mbean, properties));
            }

            @Override
            public void remove(ObjectName name) {
                ServiceRegistration<?> r = registrations.remove(name);
                if (r != null) {
                    try {
                        r.unregister();
                    } catch (IllegalStateException alreadyGone) {
                        // the framework unregistered it while stopping this bundle
                    }
                }
            }
        };
    }

    private static Management.Exporter both(Management.Exporter first, Management.Exporter second) {
        return new Management.Exporter() {
            @Override
            public void add(ObjectName name, Object mbean, Class<?> type) throws Exception {
                first.add(name, mbean, type);
                try {
                    second.add(name, mbean, type);
                } catch (Exception | LinkageError e) {
                    first.remove(name);
                    throw e;
                }
            }

            @Override
            public void remove(ObjectName name) throws Exception {
                try {
                    second.remove(name);
                } finally {
                    first.remove(name);
                }
            }
        };
    }
}
