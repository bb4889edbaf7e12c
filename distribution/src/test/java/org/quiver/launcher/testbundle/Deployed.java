package org.quiver.launcher.testbundle;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * The activator of a bundle the platform tests drop into {@code deploy/}: it says in the log when it starts and
 * stops, with its version, and holds one 4 KiB buffer it never frees, which the platform reports as this bundle's
 * leak when it stops.
 */
public final class Deployed implements BundleActivator {

    private static final System.Logger LOG = System.getLogger("org.quiver.launcher.deployed");
    private Buffer kept;

    @Override
    public void start(BundleContext context) {
        kept = MemoryPool.defaultPool().allocate(4096);
        LOG.log(System.Logger.Level.INFO, "deployed bundle " + context.getBundle().getVersion() + " started");
    }

    @Override
    public void stop(BundleContext context) {
        LOG.log(System.Logger.Level.INFO, "deployed bundle " + context.getBundle().getVersion() + " stopped, holding "
                + kept.capacity() + " bytes");
    }
}
