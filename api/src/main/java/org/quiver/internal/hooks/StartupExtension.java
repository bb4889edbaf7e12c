package org.quiver.internal.hooks;

/**
 * Something the platform module adds when the runtime starts outside a framework, found by
 * {@link java.util.ServiceLoader} when the runtime is first used: the platform's JMX registration, when the system
 * property {@code quiver.jmx} asks for it. Inside OSGi the platform bundle does this itself, and nothing is looked
 * up.
 */
public interface StartupExtension {

    /** Called once, after the backends found at start were registered; failures are logged, not thrown. */
    void started();
}
