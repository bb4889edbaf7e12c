package org.quiver.launcher.testbundle;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceListener;

/**
 * The activator of a bundle that the launcher tests add to a copy of the distribution, to do what other
 * bundles may do at the worst moment. Each behaviour is switched on by a system property:
 * <ul>
 * <li>{@value #FAULTY_HOOK}: registers a JVM shutdown hook whose {@code start()} throws, as Hadoop's did once its
 * bundle had stopped (the JVM then starts no further hook and waits for none);</li>
 * <li>{@value #HOOK_MARKER}: registers a shutdown hook that writes this file after 200 ms, which it only gets to
 * do when the JVM runs its hooks to the end;</li>
 * <li>{@value #THROWING_LISTENER}: a service listener that throws (at once: the bundle then registers a
 * service), which the framework logs as an error.</li>
 * </ul>
 */
public final class Misbehaviour implements BundleActivator {

    public static final String FAULTY_HOOK = "quiver.test.faultyHook";
    public static final String HOOK_MARKER = "quiver.test.hookMarker";
    public static final String THROWING_LISTENER = "quiver.test.throwingListener";

    @Override
    public void start(BundleContext context) {
        if (Boolean.getBoolean(FAULTY_HOOK)) {
            Runtime.getRuntime().addShutdownHook(new FaultyHook());
        }
        String marker = System.getProperty(HOOK_MARKER);
        if (marker != null) {
            Runtime.getRuntime().addShutdownHook(new Thread(() -> {
                try {
                    Thread.sleep(200);
                    Files.writeString(Path.of(marker), "the shutdown hooks ran to the end\n");
                } catch (InterruptedException e) {
                    Thread.currentThread().interrupt();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            }, "marker-hook"));
        }
        if (Boolean.getBoolean(THROWING_LISTENER)) {
            ServiceListener listener = event -> {
                throw new IllegalStateException("a listener that fails on purpose");
            };
            context.addServiceListener(listener);
            // an event for it at once (this bundle starts last: no other bundle registers anything after it)
            context.registerService(Runnable.class, () -> { }, null);
        }
    }

    @Override
    public void stop(BundleContext context) {
    }

    /** A hook the JVM cannot start. */
    static final class FaultyHook extends Thread {
        FaultyHook() {
            super("faulty-hook");
        }

        @Override
        public synchronized void start() {
            throw new NoClassDefFoundError("a hook that cannot start, as Hadoop's after its bundle stopped");
        }
    }
}
