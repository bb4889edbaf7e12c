package org.quiver.launcher;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Starts the framework the way Felix's own launcher does: {@code etc/config.properties} read by Felix Main (with
 * {@code ${...}} substitution and system properties on top), the bundles installed, updated and started by Felix's
 * {@link AutoProcessor}: the Log Service at start level 1 ({@code felix.auto.start.1}), every bundle of
 * {@code bundle/} at level 2 ({@code felix.auto.deploy.dir}), the Gogo shell at level 3 ({@code felix.auto.start.3}).
 * Start levels, not a list, order them: the framework starts at level 2, and the shell's level is reached only
 * when the shell is wanted.
 */
final class Platform {

    /** The start level of the Gogo shell: reached only in the interactive shell (the others run at level 2). */
    static final int SHELL_LEVEL = 3;

    private Platform() {
    }

    /**
     * Installs (or, from a persistent cache, updates) and starts the bundles at start level 1.
     *
     * @param storage where the framework keeps its cache
     * @param clean   whether to start from an empty cache (a one-command run)
     */
    static Framework start(Path home, Path storage, boolean clean, Main.RunFolder run) throws Exception {
        Path properties = home.resolve("etc/config.properties");
        if (!Files.isRegularFile(properties)) {
            throw new Main.LaunchException("no framework configuration at " + properties);
        }
        System.setProperty(org.apache.felix.main.Main.CONFIG_PROPERTIES_PROP, properties.toUri().toString());
        Map<String, String> config = org.apache.felix.main.Main.loadConfigProperties();
        org.apache.felix.main.Main.copySystemProperties(config);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        if (clean) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        }
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(SHELL_LEVEL - 1));
        // File Install's scratch folders go beside the cache (the run's folder, or data/), never to java.io.tmpdir.
        String scratch = storage.resolveSibling("fileinstall").toString();
        config.put("felix.fileinstall.tmpdir", scratch);
        config.put("quiver.fileinstall.tmpdir", scratch); // for etc/org.apache.felix.fileinstall-deploy.cfg
        // The run folder stops the framework (at the end, or on a signal); Felix's own hook would race it.
        config.put("felix.shutdown.hook", "false");
        // The shell reads its profile from etc/gosh_profile under gosh.home.
        config.put("gosh.home", home.toString());
        @SuppressWarnings({"unchecked", "rawtypes"})
        Map<String, Object> objects = (Map) config;
        objects.put("felix.log.logger", new Main.FrameworkLog());

        Framework framework = ServiceLoader.load(FrameworkFactory.class).findFirst()
                .orElseThrow(() -> new Main.LaunchException("no OSGi framework on the class path"))
                .newFramework(config);
        run.stopsWithIt(framework);
        framework.init();
        AutoProcessor.process(config, framework.getBundleContext());
        framework.start();
        return framework;
    }

    /** Whether every bundle that should run at the current start level runs (fragments and the shell aside). */
    static boolean allStarted(Framework framework) {
        int level = framework.adapt(FrameworkStartLevel.class).getStartLevel();
        for (Bundle b : framework.getBundleContext().getBundles()) {
            var startLevel = b.adapt(org.osgi.framework.startlevel.BundleStartLevel.class);
            if (b.getBundleId() != 0 && b.getHeaders().get(Constants.FRAGMENT_HOST) == null && startLevel != null
                    && startLevel.isPersistentlyStarted() && startLevel.getStartLevel() <= level
                    && b.getState() != Bundle.ACTIVE) {
                return false;
            }
        }
        return true;
    }

    /** Raises the framework to the shell's start level, and waits until the shell bundle has started. */
    static void startShell(Framework framework) throws InterruptedException, BundleException {
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(SHELL_LEVEL, event -> reached.countDown());
        reached.await();
    }
}
