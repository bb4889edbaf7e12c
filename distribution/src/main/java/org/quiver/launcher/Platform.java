package org.quiver.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.ServiceLoader;

import org.apache.felix.main.AutoProcessor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;
import org.osgi.framework.startlevel.FrameworkStartLevel;

/**
 * Starts the framework the way Felix's own launcher does: {@code etc/config.properties} read by Felix Main (with
 * {@code ${...}} substitution and system properties on top), the bundles installed, updated and started by Felix's
 * {@link AutoProcessor}: the Log Service and SPI Fly at start level 1 ({@code felix.auto.start.1}), every bundle of
 * {@code bundle/} at level 2 ({@code felix.auto.deploy.dir}), the web console at level 3 and the Gogo shell at level
 * 4. Start levels, not a list, order them: the framework starts at level 2 (all a one-command run needs); the
 * server raises it to the web console's level, the shell to its own.
 */
final class Platform {

    /** The start level of the web console (HTTP on the loopback interface): the server's and the shell's. */
    static final int WEB_LEVEL = 3;

    /** The start level of the Gogo shell: reached only in the interactive shell (one command runs at level 2). */
    static final int SHELL_LEVEL = 4;

    private Platform() {
    }

    /**
     * Installs (or, from a persistent cache, updates) and starts the bundles at start level 1.
     *
     * @param storage where the framework keeps its cache
     * @param clean   whether to start from an empty cache (a one-command run)
     */
    static Framework start(Path home, Path storage, boolean clean, Main.RunFolder run) throws Exception {
        return start(home, configuration(home), storage, clean, run);
    }

    /**
     * The framework properties of a distribution: {@code etc/config.properties} as Felix Main reads it, with
     * {@code -D} on top.
     */
    static Map<String, String> configuration(Path home) throws Main.LaunchException {
        Path properties = home.resolve("etc/config.properties");
        if (!Files.isRegularFile(properties)) {
            throw new Main.LaunchException("no framework configuration at " + properties);
        }
        System.setProperty(org.apache.felix.main.Main.CONFIG_PROPERTIES_PROP, properties.toUri().toString());
        Map<String, String> config = org.apache.felix.main.Main.loadConfigProperties();
        org.apache.felix.main.Main.copySystemProperties(config);
        // Felix copies only felix.* and org.osgi.framework.* system properties; every key of config.properties can
        // be set with -D in QUIVER_OPTS (the web console's port, org.osgi.service.http.port, among them).
        for (String key : java.util.List.copyOf(config.keySet())) {
            String set = System.getProperty(key);
            if (set != null) {
                config.put(key, set);
            }
        }
        return config;
    }

    /**
     * Starts the framework with {@code config} (see {@link #configuration}), to which this adds the launcher's own
     * properties.
     */
    static Framework start(Path home, Map<String, String> config, Path storage, boolean clean, Main.RunFolder run)
            throws Exception {
        Logs.quietLibraries();
        boolean freshCache = !Files.isDirectory(storage);
        config.put(Constants.FRAMEWORK_STORAGE, storage.toString());
        if (clean) {
            config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
            // A one-command run stays at level 2: the web console and the shell are not even installed (measured:
            // installing them into the fresh cache took a fifth of the run).
            config.remove("felix.auto.start." + WEB_LEVEL);
            config.remove("felix.auto.start." + SHELL_LEVEL);
        }
        config.put(Constants.FRAMEWORK_BEGINNING_STARTLEVEL, Integer.toString(WEB_LEVEL - 1));
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
        if (!clean) {
            followTheDistribution(framework.getBundleContext(), home.resolve("bundle"),
                    storage.resolveSibling(FINGERPRINT), freshCache);
        }
        framework.start();
        return framework;
    }

    /** Beside the cache: the fingerprint of bundle/ the cache was last brought up to. */
    static final String FINGERPRINT = "distribution.sha256";

    /**
     * Brings a persistent cache up to the distribution's {@code bundle/} when that changed (a new release unpacked
     * over the old one, its {@code data/} kept). Felix's auto-deploy updates the bundles of {@code bundle/} itself
     * at every start, but those it starts by level from a list ({@code bundle/boot/}, {@code bundle/web/},
     * {@code bundle/shell/}) it installs only when they are not installed yet: a new release's Log Service, SLF4J,
     * web console or shell was never taken, and a file that is gone left its bundle running. When the fingerprint
     * of {@code bundle/} (every file's path and content) differs from the one recorded, every installed bundle whose
     * file is in {@code bundle/} is updated from it, and one whose file is gone is uninstalled. Bundles from
     * {@code deploy/}, {@code mvn:} or elsewhere are left alone. Runs before the framework starts, so nothing is
     * running yet; a fresh cache only records the fingerprint.
     */
    static void followTheDistribution(BundleContext context, Path bundles, Path fingerprintFile, boolean freshCache)
            throws Exception {
        String now = fingerprint(bundles);
        String before = Files.exists(fingerprintFile) ? Files.readString(fingerprintFile).strip() : "";
        if (now.equals(before)) {
            return;
        }
        if (!freshCache) {
            Path dir = bundles.toAbsolutePath().normalize();
            Path real = bundles.toRealPath();
            int updated = 0;
            int uninstalled = 0;
            for (Bundle b : context.getBundles()) {
                Path file = fileOf(b.getLocation());
                Path f = file == null ? null : file.toAbsolutePath().normalize();
                if (b.getBundleId() == 0 || f == null || !(f.startsWith(dir) || f.startsWith(real))) {
                    continue;
                }
                if (Files.isRegularFile(f)) {
                    try (var in = Files.newInputStream(f)) {
                        b.update(in);
                    }
                    updated++;
                } else {
                    b.uninstall();
                    uninstalled++;
                }
            }
            System.getLogger("org.quiver.launcher").log(System.Logger.Level.INFO, "the distribution's bundles"
                    + " changed since this data folder last ran: " + updated + " bundle(s) updated from " + bundles
                    + ", " + uninstalled + " whose file is gone uninstalled");
        }
        Files.writeString(fingerprintFile, now + "\n");
    }

    /** The file a {@code file:} location names, or null for any other location. */
    private static Path fileOf(String location) {
        if (location == null || !location.startsWith("file:")) {
            return null;
        }
        try {
            return Path.of(java.net.URI.create(location));
        } catch (IllegalArgumentException | java.nio.file.FileSystemNotFoundException e) {
            return Path.of(location.substring("file:".length()));
        }
    }

    /** SHA-256 over every file under {@code dir}: its relative path and its content, in path order. */
    static String fingerprint(Path dir) throws IOException {
        java.security.MessageDigest sha;
        try {
            sha = java.security.MessageDigest.getInstance("SHA-256");
        } catch (java.security.NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
        List<Path> files;
        try (var walk = Files.walk(dir, java.nio.file.FileVisitOption.FOLLOW_LINKS)) {
            files = walk.filter(Files::isRegularFile).sorted().toList();
        }
        byte[] chunk = new byte[1 << 16];
        for (Path f : files) {
            sha.update(dir.relativize(f).toString().getBytes(java.nio.charset.StandardCharsets.UTF_8));
            sha.update((byte) 0);
            try (var in = Files.newInputStream(f)) {
                for (int n; (n = in.read(chunk)) > 0;) {
                    sha.update(chunk, 0, n);
                }
            }
        }
        return java.util.HexFormat.of().formatHex(sha.digest());
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

    /**
     * Where the web console answers ({@code http://127.0.0.1:8181/system/console/}), from the HTTP runtime's
     * endpoint once Jetty has bound its port (the port may be 0, a free one); null when it did not start within
     * 10 seconds (its bundles are missing, or the port is taken: the log says why).
     */
    static String webConsole(BundleContext context) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            try {
                ServiceReference<?>[] refs = context.getServiceReferences((String) null,
                        "(&(objectClass=org.osgi.service.servlet.runtime.HttpServiceRuntime)(osgi.http.endpoint=*))");
                if (refs != null) {
                    Object endpoint = refs[0].getProperty("osgi.http.endpoint");
                    String url = endpoint instanceof String[] all && all.length > 0 ? all[0]
                            : endpoint instanceof java.util.Collection<?> c && !c.isEmpty() ? String.valueOf(
                                    c.iterator().next()) : String.valueOf(endpoint);
                    return (url.endsWith("/") ? url : url + "/") + "system/console/";
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(100);
        }
        return null;
    }

    /** Raises the framework to {@code level} ({@link #WEB_LEVEL}, {@link #SHELL_LEVEL}) and waits until it is there. */
    static void raise(Framework framework, int level) throws InterruptedException {
        java.util.concurrent.CountDownLatch reached = new java.util.concurrent.CountDownLatch(1);
        framework.adapt(FrameworkStartLevel.class).setStartLevel(level, event -> reached.countDown());
        reached.await();
    }
}
