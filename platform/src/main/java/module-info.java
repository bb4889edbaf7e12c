/**
 * Quiver's platform: what makes the API an OSGi platform. Inside a framework it feeds the allocator and IO
 * services into the API's registries, publishes the {@code MemoryPool} service with a view of the default pool per
 * bundle (its own statistics, limit and leak report), and adds the {@code quiver:} shell commands. It exports
 * nothing, and does nothing outside a framework: on the module path and class path the API finds its providers
 * through {@link java.util.ServiceLoader}.
 */
module org.quiver.platform {
    requires org.quiver.api;
    requires static osgi.annotation;
    requires static osgi.core;
    requires static org.osgi.service.component.annotations;
    requires static org.osgi.service.metatype.annotations;
    requires static org.apache.felix.gogo.runtime;
}
