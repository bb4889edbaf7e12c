package org.quiver.launcher.testbundle;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;

/**
 * The activator of a bundle the platform tests put into bundle/ itself: it says in the log which version of it
 * started, and needs nothing else (it may start before any allocator does).
 */
public final class Versioned implements BundleActivator {

    private static final System.Logger LOG = System.getLogger("org.quiver.launcher.versioned");

    @Override
    public void start(BundleContext context) {
        LOG.log(System.Logger.Level.INFO, "versioned bundle " + context.getBundle().getVersion() + " started");
    }

    @Override
    public void stop(BundleContext context) {
        // nothing held
    }
}
