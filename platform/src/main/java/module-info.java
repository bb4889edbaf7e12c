/**
 * Quiver's platform: what makes the API an OSGi platform. Inside a framework it feeds the allocator and IO
 * services into the API's registries, publishes the {@code MemoryPool} service with a view of the default pool per
 * bundle (its own statistics, limit and leak report), registers Quiver's MXBeans, and adds the {@code quiver:}
 * shell commands. Outside a framework the API finds its providers through {@link java.util.ServiceLoader}, and
 * this module offers only JMX: {@link org.quiver.platform.management.QuiverManagement#register()}, or
 * {@code -Dquiver.jmx=platform} at start.
 */
module org.quiver.platform {
    requires org.quiver.api;
    requires java.management;

    exports org.quiver.platform.management;

    provides org.quiver.internal.hooks.StartupExtension with org.quiver.platform.internal.JmxAtStart;

    requires static osgi.annotation;
    requires static osgi.core;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static org.apache.felix.gogo.runtime;
}
