package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.launcher.Launch.Run;
import org.quiver.launcher.testbundle.Deployed;
import org.quiver.launcher.testbundle.Versioned;

/**
 * The distribution as an operator runs it for months: the headless server and its SIGTERM stop, the data folder
 * that remembers installed bundles across restarts (and {@code quiver clean}), the deploy/ folder, etc/*.cfg
 * applied while it runs, {@code mvn:} URLs, the log folder, and one-command runs beside a running platform.
 * Each test has a distribution of its own (etc/ and deploy/ to edit) and leaves nothing in its temporary folder.
 */
class PlatformIT {

    private static final String DEPLOYED = "org.quiver.launcher.deployed";
    private static final String IMPORTS = "org.osgi.framework,org.quiver.memory";
    private static final long WAIT_MS = 30_000;

    @TempDir
    Path scratch;
    private Path tmp;
    private Launch launch;
    private Process server;

    @BeforeEach
    void privateDistribution() throws IOException {
        tmp = Files.createDirectory(scratch.resolve("tmp"));
        launch = Launch.privateHome(scratch, tmp)
                .jvmOption("-Dorg.ops4j.pax.url.mvn.localRepository=" + System.getProperty("quiver.m2",
                        System.getProperty("user.home") + "/.m2/repository"));
    }

    @AfterEach
    void stopAndLeaveNothing() throws Exception {
        if (server != null && server.isAlive()) {
            server.destroyForcibly();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        assertEquals(List.of(), Launch.entries(tmp), "left behind in the temporary folder");
    }

    private Path data() {
        return tmp.resolveSibling("data");
    }

    private Path log() {
        return data().resolve("log").resolve(Logs.FILE);
    }

    /** Starts {@code quiver server}, and waits until it says in its log that it started. */
    private Process startServer() throws Exception {
        ProcessBuilder pb = launch.process("server");
        pb.redirectOutput(scratch.resolve("server.out").toFile());
        pb.redirectError(scratch.resolve("server.err").toFile());
        server = pb.start();
        awaitLog("server started (process " + server.pid() + ")");
        return server;
    }

    /** SIGTERM, and the exit status. */
    private int stopServer() throws Exception {
        server.toHandle().destroy(); // SIGTERM
        assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server did not stop within 30 s of SIGTERM");
        return server.exitValue();
    }

    private String logText() throws IOException {
        return Files.exists(log()) ? Files.readString(log(), StandardCharsets.UTF_8) : "";
    }

    /** Waits until the log has {@code text} at least {@code times} times. */
    private void awaitLog(String text, int times) throws Exception {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(WAIT_MS);
        while (count(logText(), text) < times) {
            if (System.nanoTime() > deadline || (server != null && !server.isAlive())) {
                throw new AssertionError("the log does not say '" + text + "' " + times + " time(s) within "
                        + WAIT_MS + " ms (log folder: " + Launch.entries(log().getParent()) + "):\n" + logText()
                        + "\n--- stderr\n" + stderr());
            }
            Thread.sleep(100);
        }
    }

    private void awaitLog(String text) throws Exception {
        awaitLog(text, 1);
    }

    private static int count(String text, String part) {
        int n = 0;
        for (int i = text.indexOf(part); i >= 0; i = text.indexOf(part, i + 1)) {
            n++;
        }
        return n;
    }

    private String stderr() throws IOException {
        Path err = scratch.resolve("server.err");
        return Files.exists(err) ? Files.readString(err, StandardCharsets.UTF_8) : "";
    }

    private Path deployed(String version) throws IOException {
        Path jar = launch.home().resolve("deploy").resolve("deployed.jar");
        Launch.writeBundle(jar, DEPLOYED, version, Deployed.class, IMPORTS);
        return jar;
    }

    @Test
    void theServerStopsCleanlyOnSigtermAndReportsWhatBundlesStillHold() throws Exception {
        deployed("1.0.0");
        startServer();
        awaitLog("deployed bundle 1.0.0 started");
        assertEquals(0, stopServer(), "SIGTERM is the normal way to stop a server: status 0");
        String log = logText();
        assertTrue(log.contains("stopping on signal 15"), log);
        assertTrue(log.contains("deployed bundle 1.0.0 stopped, holding 4096 bytes"), log);
        assertTrue(log.matches("(?s).*bundle " + DEPLOYED.replace(".", "\\.") + " \\[\\d+\\].*4096.*"),
                "the bundle's leak is reported with its name:\n" + log);
        assertTrue(log.strip().endsWith("stopped"), "the last line says it stopped:\n" + log);
        assertEquals("", Files.readString(scratch.resolve("server.out")), "nothing on standard output");
        String err = stderr();
        assertTrue(err.contains(DEPLOYED), "the leak warning is on standard error too:\n" + err);
        assertFalse(err.contains("SEVERE") || err.contains("Exception"), err);
    }

    @Test
    void theDeployFolderInstallsUpdatesAndUninstallsAndItsBundlesOutliveARestart() throws Exception {
        startServer();
        Path jar = deployed("1.0.0");
        awaitLog("deployed bundle 1.0.0 started");
        Thread.sleep(1100); // a file time the watcher can tell from the first one's
        deployed("2.0.0");
        awaitLog("deployed bundle 2.0.0 started");
        assertTrue(logText().contains("deployed bundle 1.0.0 stopped"), logText());
        assertEquals(0, stopServer());

        startServer();
        awaitLog("deployed bundle 2.0.0 started", 2);
        Files.delete(jar);
        awaitLog("deployed bundle 2.0.0 stopped", 2); // once at the first SIGTERM, once now
        assertEquals(0, stopServer());

        Run lb = launch.shell("lb -s\n");
        assertEquals(0, lb.exit(), lb::toString);
        assertTrue(lb.out().contains("org.quiver.platform"), lb::toString);
        assertFalse(lb.out().contains(DEPLOYED), "a removed file's bundle is uninstalled:\n" + lb);
    }

    @Test
    void editingEtcWhileTheServerRunsAppliesItAndABadValueIsRefused() throws Exception {
        startServer();
        Path cfg = launch.home().resolve("etc/org.quiver.memory.cfg");
        Files.writeString(cfg, "default.pool = system\n");
        awaitLog("configuration org.quiver.memory applied: {default.pool=system}");
        Run configured = launch.run("pools"); // beside the server, from the same etc/
        assertTrue(configured.out().lines().anyMatch(l -> l.startsWith("system ") && l.contains("*")),
                configured::toString);
        assertTrue(configured.out().contains("default override: 'system' from configuration org.quiver.memory"),
                configured::toString);
        Files.writeString(cfg, "default.pool = system\nleak.detection = loud\n");
        awaitLog("configuration org.quiver.memory refused: leak.detection='loud' is no level (off, sampled or"
                + " paranoid); still running with {default.pool=system}");
        assertEquals(0, stopServer());
        assertTrue(stderr().contains("leak.detection='loud'"), "a refusal is a warning, on standard error too");

        // One command reads etc/ as well: a refused configuration applies in no part (the default stays by
        // ranking), and the refusal is listed.
        Run pools = launch.run("pools");
        assertEquals(0, pools.exit(), pools::toString);
        assertFalse(pools.out().lines().anyMatch(l -> l.startsWith("system ") && l.contains("*")), pools::toString);
        assertTrue(pools.out().contains("configuration refused: org.quiver.memory: leak.detection='loud' is no level"
                + " (off, sampled or paranoid); still running with the defaults"), pools::toString);
    }

    @Test
    void bundlesInstalledFromMavenOutliveARestartUntilClean() throws Exception {
        Run install = launch.shell("install mvn:org.osgi/org.osgi.service.metatype/1.4.1\n");
        assertEquals(0, install.exit(), install::toString);
        assertTrue(install.out().contains("Bundle ID: "), install::toString);

        Run again = launch.shell("lb -s\n");
        assertTrue(again.out().contains("org.osgi.service.metatype"), "still installed after a restart:\n" + again);

        Run clean = launch.run("clean");
        assertEquals(0, clean.exit(), clean::toString);
        assertTrue(clean.out().startsWith("removed the platform's state in " + data()), clean::toString);
        Run after = launch.shell("lb -s\n");
        assertFalse(after.out().contains("org.osgi.service.metatype"), "forgotten after clean:\n" + after);
        assertTrue(after.out().contains("org.quiver.platform"), after::toString);
    }

    @Test
    void aSecondPlatformOnTheDataIsRefusedWhileOneCommandsRunBeside() throws Exception {
        startServer();
        Run second = launch.run("server");
        assertEquals(1, second.exit(), second::toString);
        assertTrue(second.err().contains("another Quiver platform runs on " + data() + " (process " + server.pid()
                + ")"), second::toString);
        Run shell = launch.shell("pools\n");
        assertEquals(1, shell.exit(), "the shell too: " + shell);

        List<String> before = Launch.entries(data());
        Run pools = launch.run("pools");
        assertEquals(0, pools.exit(), pools::toString);
        assertTrue(pools.out().startsWith("BACKEND"), pools::toString);
        assertEquals(before, Launch.entries(data()), "one command never touches the data folder");
        assertEquals(List.of(), Launch.entries(tmp), "and leaves nothing behind");
        assertEquals(0, stopServer());
    }

    /**
     * A new release unpacked over the old one, its data folder kept: Felix's auto-deploy updates the bundles of
     * bundle/ at every start, but the ones it starts by level from a list (bundle/boot/, bundle/web/,
     * bundle/shell/) only when they are not installed, so a changed file there was never taken and the old bundle
     * ran on. The launcher follows bundle/'s content: changed files update their bundles, removed files uninstall
     * theirs.
     */
    @Test
    void aChangedDistributionIsTakenAlthoughItsFilesKeepTheirTime() throws Exception {
        Path bundles = launch.home().resolve("bundle");
        Files.delete(bundles); // the link to the packaged bundle/: this test changes its own copy
        try (var files = Files.walk(Launch.DIST.resolve("bundle"))) {
            for (Path f : files.toList()) {
                Path to = bundles.resolve(Launch.DIST.resolve("bundle").relativize(f).toString());
                if (Files.isDirectory(f)) {
                    Files.createDirectories(to);
                } else {
                    Files.copy(f, to, java.nio.file.StandardCopyOption.COPY_ATTRIBUTES);
                }
            }
        }
        String name = "org.quiver.launcher.upgraded";
        Path jar = bundles.resolve("web").resolve(name + ".jar");
        // Started at level 3 from the list, as the web console's bundles are.
        Path config = launch.home().resolve("etc/config.properties");
        Files.writeString(config, Files.readString(config).replace("file:${quiver.home}/bundle/web/quiver-webconsole.jar",
                "file:${quiver.home}/bundle/web/quiver-webconsole.jar \\\n file:${quiver.home}/bundle/web/" + name
                        + ".jar"));
        java.nio.file.attribute.FileTime released = Files.getLastModifiedTime(bundles.resolve("boot")
                .resolve("org.apache.felix.log.jar"));
        Launch.writeBundle(jar, name, "1.0.0", Versioned.class, "org.osgi.framework");
        Files.setLastModifiedTime(jar, released);
        startServer();
        awaitLog("versioned bundle 1.0.0 started");
        assertEquals(0, stopServer());

        Launch.writeBundle(jar, name, "2.0.0", Versioned.class, "org.osgi.framework");
        Files.setLastModifiedTime(jar, released); // the same time, as the next release's files have
        startServer();
        awaitLog("versioned bundle 2.0.0 started");
        assertTrue(logText().contains("the distribution's bundles changed since this data folder last ran: "),
                logText());
        assertEquals(0, stopServer());

        Files.delete(jar);
        startServer();
        awaitLog("1 whose file is gone uninstalled");
        assertEquals(0, stopServer());
        Run lb = launch.shell("lb -s\n");
        assertFalse(lb.out().contains(name), lb::toString);
        assertTrue(lb.out().contains("org.quiver.platform"), lb::toString);
        assertEquals(2, count(logText(), "the distribution's bundles changed"), "an unchanged bundle/ changes nothing");
    }

    /** The server started, stopped and started again keeps its log; the old lines stay. */
    @Test
    void theLogIsKeptAcrossRestarts() throws Exception {
        startServer();
        assertEquals(0, stopServer());
        startServer();
        assertEquals(0, stopServer());
        assertEquals(2, count(logText(), "server started"), logText());
    }
}
