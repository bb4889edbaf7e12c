package org.quiver.platform.internal;

import org.quiver.internal.hooks.StartupExtension;
import org.quiver.platform.management.QuiverManagement;

/**
 * On the module path and class path, {@code -Dquiver.jmx=platform} (or {@code true}) registers Quiver's MBeans on
 * the platform MBean server when Quiver is first used. The API finds this through {@link java.util.ServiceLoader}
 * and asks only when the property is set.
 */
public final class JmxAtStart implements StartupExtension {

    @Override
    public void started() {
        String mode = System.getProperty("quiver.jmx", "").trim();
        if (mode.equalsIgnoreCase("platform") || mode.equalsIgnoreCase("true")) {
            QuiverManagement.register();
        } else {
            System.getLogger("org.quiver.jmx").log(System.Logger.Level.WARNING, "quiver.jmx=" + mode
                    + " is not understood outside OSGi; use platform (or true) to register Quiver's MBeans on the"
                    + " platform MBean server, off for none");
        }
    }
}
