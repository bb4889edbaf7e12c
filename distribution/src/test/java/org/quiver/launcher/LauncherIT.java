package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.quiver.launcher.Launch.DIST;
import static org.quiver.launcher.Launch.JAVA;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.launcher.Launch.Run;
import org.quiver.launcher.testbundle.Misbehaviour;
import org.quiver.memory.testing.DebianMultiarch;

/**
 * Runs the packaged distribution (target/quiver, built in the package phase) in child processes, with the JDK
 * that runs the tests. Every child gets a fresh temporary folder, which must be empty again after each test:
 * a run leaves nothing behind, whether it ends normally, by an error or by a signal.
 */
class LauncherIT {

    @TempDir
    Path scratch;
    /** The children's java.io.tmpdir and TMPDIR. */
    private Path tmp;
    private Launch launch;

    @BeforeEach
    void freshTemporaryFolder() throws IOException {
        tmp = Files.createDirectory(scratch.resolve("tmp"));
        launch = Launch.of(tmp);
    }

    @AfterEach
    void nothingLeftInTheTemporaryFolder() throws IOException {
        assertEquals(List.of(), Launch.entries(tmp), "left behind in the launcher's temporary folder");
    }

    @Test
    void layout() {
        assertTrue(Files.isExecutable(DIST.resolve("bin/quiver")), "bin/quiver");
        assertTrue(Files.isExecutable(DIST.resolve("bin/find-jdk")), "bin/find-jdk");
        assertTrue(Files.isRegularFile(DIST.resolve("lib/quiver-launcher.jar")), "lib/quiver-launcher.jar");
        assertTrue(Files.isRegularFile(DIST.resolve("bundle/shell/org.apache.felix.gogo.shell.jar")), "the shell");
        assertTrue(Files.isRegularFile(DIST.resolve("bundle/boot/org.apache.felix.log.jar")), "the Log Service");
        assertTrue(Files.isRegularFile(DIST.resolve("etc/config.properties")), "etc/config.properties");
        assertTrue(Files.isRegularFile(DIST.resolve("etc/org.quiver.memory.cfg")), "etc/org.quiver.memory.cfg");
        assertTrue(Files.isDirectory(DIST.resolve("deploy")), "deploy/");
        assertTrue(Files.isRegularFile(DIST.resolve("etc/gosh_profile")), "etc/gosh_profile");
    }

    /** mimalloc comes from the operating system: where it is installed (always in CI) it serves the default. */
    static final boolean MIMALLOC = Files.exists(DebianMultiarch.library("libmimalloc.so.2"))
            || "true".equalsIgnoreCase(System.getenv("CI"));
    static final String DEFAULT = MIMALLOC ? "mimalloc" : "jemalloc";

    @Test
    void poolsShowsAllThreeBackendsWithAvailability() throws Exception {
        Run run = launcher(null, "pools");
        assertEquals(0, run.exit(), run::toString);
        List<String> lines = run.out().lines().toList();
        assertTrue(lines.get(0).startsWith("BACKEND"), run::toString);
        // <name>  <ranking>  [*]  <bytes>  <peak>  available
        if (MIMALLOC) {
            assertTrue(lines.get(1).matches("mimalloc\\s+300\\s+\\*\\s+\\d+\\s+\\d+\\s+available"), run::toString);
            assertTrue(lines.get(2).matches("jemalloc\\s+200\\s+\\d+\\s+\\d+\\s+available"), run::toString);
        } else {
            assertTrue(lines.get(1).matches("jemalloc\\s+200\\s+\\*\\s+\\d+\\s+\\d+\\s+available"), run::toString);
            assertTrue(run.out().contains("apt-get install libmimalloc2.0"), run::toString);
        }
        assertTrue(Pattern.compile("(?m)^system\\s+100\\s+\\d+\\s+\\d+\\s+available$").matcher(run.out()).find(),
                run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void optionAndTrimCommandsReachTheBackends() throws Exception {
        Run run = launcher(null, "option", "jemalloc");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Pattern.compile("(?m)^library\\s+/.*libjemalloc\\.so$").matcher(run.out()).find(), run::toString);
        assertTrue(Pattern.compile("(?m)^dirty_decay_ms\\s+\\d+$").matcher(run.out()).find(), run::toString);
        // LWJGL's build reports a placeholder, not a version: shown as unknown, with what can be told.
        assertTrue(Pattern.compile("(?m)^version\\s+unknown, newer than 5\\.3\\.0 ").matcher(run.out()).find(),
                run::toString);
        assertTrue(Pattern.compile("(?m)^build\\s+LWJGL 3\\.3\\.6's build of jemalloc git commit [0-9a-f]{40}$")
                .matcher(run.out()).find(), run::toString);
        Run set = launcher(null, "option", "jemalloc", "muzzy_decay_ms", "250");
        assertEquals(0, set.exit(), set::toString);
        assertTrue(Pattern.compile("(?m)^muzzy_decay_ms\\s+250$").matcher(set.out()).find(), set::toString);
        Run trim = launcher(null, "trim", "system");
        assertEquals(0, trim.exit(), trim::toString);
        assertTrue(trim.out().startsWith("POOL"), trim::toString);
    }

    @Test
    void scopedCommandAndStats() throws Exception {
        Run run = launcher(null, "quiver:stats");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().startsWith("POOL"), run::toString);
        assertTrue(Pattern.compile("(?m)^default \\(" + DEFAULT + "\\)\\s+\\d+").matcher(run.out()).find(),
                run::toString);
        assertTrue(Pattern.compile("(?m)^system\\s+\\d+").matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("leak detection: "), run::toString);
        Run own = launcher(null, "stats", "system"); // pyarrow's print_stats(): glibc's malloc_info
        assertEquals(0, own.exit(), own::toString);
        assertTrue(own.out().startsWith("<malloc version=\"1\">"), own::toString);
    }

    /** The close-safety level: shown, and set from QUIVER_OPTS for a run; a wrong level is named. */
    @Test
    void safetyShowsAndSetsWhatIsGuarded() throws Exception {
        Run shown = launcher(null, "safety");
        assertEquals(0, shown.exit(), shown::toString);
        assertTrue(shown.out().startsWith("close safety: large (guarded: every memory map, the blocks each allocator"
                + " may unmap once freed (mimalloc from 8388608 bytes, jemalloc from 8388608 bytes, system from 131008"
                + " bytes))"), shown::toString);
        Run set = launcher(null, "safety", "all");
        assertEquals(0, set.exit(), set::toString);
        assertTrue(set.out().startsWith("close safety: all (every block"), set::toString);
        assertTrue(set.err().contains("-Dquiver.memory.closeSafety=none|large|all"), set::toString);
        Run wrong = launcher(null, "safety", "most");
        assertEquals(1, wrong.exit(), wrong::toString);
        assertTrue(wrong.err().contains("unknown close-safety level 'most': none, large or all"), wrong::toString);
    }

    @Test
    void unknownCommandFailsWithAClearMessage() throws Exception {
        Run run = launcher(null, "frobnicate");
        assertEquals(1, run.exit(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().contains("unknown command 'frobnicate'"), run::toString);
        assertTrue(run.err().contains("cat, cp, limit, option, pools, safety, start, stats, stop, trim, usepool"),
                run::toString);
    }

    /** help, -h and --help: one usage, which names every command of the quiver scope (asked of a live shell). */
    @Test
    void helpNamesEveryCommand() throws Exception {
        Run help = launcher(null, "help");
        assertEquals(0, help.exit(), help::toString);
        assertEquals("", help.err(), help::toString);
        for (String flag : new String[] {"-h", "--help"}) {
            Run run = launcher(null, flag);
            assertEquals(0, run.exit(), run::toString);
            assertEquals(help.out(), run.out(), flag);
        }
        Run unknown = launcher(null, "frobnicate");
        java.util.regex.Matcher listed = Pattern.compile("The quiver commands are: ([a-z, ]+);").matcher(unknown.err());
        assertTrue(listed.find(), unknown::toString);
        for (String command : listed.group(1).split(", ")) {
            assertTrue(Pattern.compile("(?m)^\\s+" + command + "\\b").matcher(help.out()).find(),
                    () -> "--help does not name " + command + ":\n" + help.out());
        }
        Run limit = launcher(null, "help", "limit");
        assertEquals(0, limit.exit(), limit::toString);
        assertTrue(limit.out().contains("limit the memory a bundle may hold") && limit.out().contains("bundle symbolic"
                + " name"), limit::toString);
    }

    /** A command of another scope, as in the shell: quiver first, then any other. */
    @Test
    void shellCommandsOfOtherScopesRunFromTheCommandLine() throws Exception {
        Run run = launcher(null, "lb");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Pattern.compile("(?m)Active.*Quiver API").matcher(run.out()).find(), run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void aLimitForABundleThatIsNotInstalledIsRefused() throws Exception {
        Run typo = launcher(null, "limit", "org.quiver.pool.sytem", "1m");
        assertEquals(1, typo.exit(), typo::toString);
        assertTrue(typo.err().contains("no installed bundle has the symbolic name 'org.quiver.pool.sytem'"),
                typo::toString);
        assertTrue(typo.err().contains("quiver.bundle.limit.org.quiver.pool.sytem"), typo::toString);
        Run set = launcher(null, "limit", "org.quiver.pool.system", "1m");
        assertEquals(0, set.exit(), set::toString);
        assertTrue(set.out().startsWith("limit of org.quiver.pool.system: 1048576 bytes"), set::toString);
    }

    @Test
    void aLocationThatIsNeitherPathNorUriIsNamedAsTyped() throws Exception {
        Run run = launcher(null, "cat", "://bad");
        assertEquals(1, run.exit(), run::toString);
        assertTrue(run.err().contains("source '://bad' is neither a path nor a URI"), run::toString);
        assertFalse(run.err().contains(":/bad:"), run::toString);
    }

    @Test
    void aChangeThatEndsWithTheCommandSaysSo() throws Exception {
        Run run = launcher(null, "usepool", "jemalloc");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Pattern.compile("(?m)^jemalloc\\s+200\\s+\\*").matcher(run.out()).find(), run::toString);
        assertTrue(run.err().startsWith("quiver: note: usepool changed the default pool of this process only, and "
                + "it ends now"), run::toString);
        assertTrue(run.err().contains("QUIVER_DEFAULT_MEMORY_POOL"), run::toString);
        Run pools = launcher(null, "pools");
        assertEquals("", pools.err(), pools::toString);
    }

    /** Standard output is the command's result: the framework's errors go to standard error. */
    @Test
    void frameworkErrorsGoToStandardError() throws Exception {
        Run run = Launch.withMisbehaviour(scratch, tmp).jvmOption("-D" + Misbehaviour.THROWING_LISTENER + "=true")
                .run("pools");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().startsWith("BACKEND"), run::toString);
        assertFalse(run.out().contains("ERROR") || run.out().contains("Exception"), run::toString);
        assertTrue(run.err().contains("ERROR: ") && run.err().contains("a listener that fails on purpose"),
                run::toString);
    }

    @Test
    void shellReadsCommandsFromStdinAndExitsAtTheEnd() throws Exception {
        Run run = launcher("quiver:pools\n", new String[0]);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("g! "), run::toString);
        assertTrue(Pattern.compile("(?m)^" + DEFAULT + "\\s+-?\\d+\\s+\\*").matcher(run.out()).find(), run::toString);
    }

    @Test
    void failingCommandExitsWithOne() throws Exception {
        Run run = launcher(null, "usepool", "nosuch");
        assertEquals(1, run.exit(), run::toString);
        assertEquals("", run.out(), run::toString);
        assertTrue(run.err().startsWith("quiver: usepool nosuch: "), run::toString);
    }

    @Test
    void scriptFindsTheJdkAndPassesArguments() throws Exception {
        Path javaHome = Path.of(JAVA).getParent().getParent();
        ProcessBuilder pb = launch.prepare(new ProcessBuilder("sh", DIST.resolve("bin/quiver").toString(),
                "usepool", "system"));
        pb.environment().put("JAVA_HOME", javaHome.toString());
        pb.environment().put("QUIVER_OPTS", "-Djava.io.tmpdir=" + tmp);
        Run run = Launch.run(pb, null);
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Pattern.compile("(?m)^system\\s+-?\\d+\\s+\\*").matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("default override: 'system'"), run::toString);
        // The script's JVM flags: no native-access or sun.misc.Unsafe warnings.
        assertFalse(run.err().contains("restricted method"), run::toString);
        assertFalse(run.err().contains("sun.misc.Unsafe"), run::toString);
    }

    @Test
    void environmentVariableOverridesTheDefault() throws Exception {
        Run run = launch.environment("QUIVER_DEFAULT_MEMORY_POOL", "system").run("pools");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains(
                "default override: 'system' from environment variable QUIVER_DEFAULT_MEMORY_POOL"), run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void unknownNameInTheEnvironmentIsReportedAndRankingServes() throws Exception {
        launch.environment("QUIVER_DEFAULT_MEMORY_POOL", "tcmalloc");
        Run run = launch.run("pools");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(Pattern.compile("(?m)^" + DEFAULT + "\\s+-?\\d+\\s+\\*").matcher(run.out()).find(), run::toString);
        assertTrue(run.out().contains("default override: 'tcmalloc' from environment variable "
                + "QUIVER_DEFAULT_MEMORY_POOL is unknown; the best-ranked backend serves instead. "
                + "Known backends: jemalloc, mimalloc, system"), run::toString);
        // the first use of the default pool warns once
        Run stats = launch.run("trim");
        assertEquals(0, stats.exit(), stats::toString);
        assertEquals(1, stats.err().split("memory pool 'tcmalloc'", -1).length - 1, stats::toString);
    }

    @Test
    void systemPropertyOverridesTheEnvironment() throws Exception {
        Run run = launch.environment("QUIVER_DEFAULT_MEMORY_POOL", "tcmalloc")
                .jvmOption("-Dquiver.memory.pool=system").run("pools");
        assertEquals(0, run.exit(), run::toString);
        assertTrue(run.out().contains("default override: 'system' from system property quiver.memory.pool"),
                run::toString);
        assertEquals("", run.err(), run::toString);
    }

    @Test
    void catAndCpConvertBetweenCompressionsByExtension(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 20_000; i++) {
            text.append("line ").append(i).append('\n');
        }
        Path plain = Files.writeString(dir.resolve("lines.txt"), text);
        Run cp = launcher(null, "cp", plain.toString(), dir.resolve("lines.txt.zst").toUri().toString());
        assertEquals(0, cp.exit(), cp::toString);
        assertTrue(cp.out().contains("copied " + text.length() + " bytes") && cp.out().contains("(zstd)"), cp::toString);
        Run again = launcher(null, "cp", dir.resolve("lines.txt.zst").toString(), dir.resolve("lines.txt.gz").toString());
        assertEquals(0, again.exit(), again::toString);
        try (var in = new java.util.zip.GZIPInputStream(Files.newInputStream(dir.resolve("lines.txt.gz")))) {
            assertEquals(text.toString(), new String(in.readAllBytes(), StandardCharsets.UTF_8), "zstd to gzip");
        }
        Run cat = launcher(null, "cat", dir.resolve("lines.txt.gz").toString());
        assertEquals(0, cat.exit(), cat::toString);
        assertEquals(text.toString(), cat.out());
        Run missing = launcher(null, "cat", dir.resolve("nothing.gz").toString());
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("nothing.gz") && missing.err().contains("No such file"), missing::toString);
    }

    /**
     * {@code quiver:cp -r} through the Gogo shell: a tree copied as it is, with progress as plain lines (the output
     * is a pipe here, not a terminal), and a missing source refused by name.
     */
    @Test
    void cpRecursiveCopiesATreeWithProgressLines(@TempDir Path dir) throws Exception {
        Path src = Files.createDirectories(dir.resolve("tree/a/b"));
        Files.createDirectories(dir.resolve("tree/empty"));
        byte[] big = new byte[3 << 20];
        new java.util.Random(3).nextBytes(big);
        Files.write(dir.resolve("tree/big.bin"), big);
        Files.writeString(src.resolve("small.txt.gz"), "not really gzip: copied as it is");
        Run cp = launcher(null, "cp", "-r", dir.resolve("tree").toString(), dir.resolve("copy").toString());
        assertEquals(0, cp.exit(), cp::toString);
        assertTrue(cp.out().contains("copied 2/2 files, 3.0 MiB of 3.0 MiB (100%)"), cp::toString);
        assertTrue(cp.out().contains("copied 2 files (3.0 MiB) and 4 directories from " + dir.resolve("tree")),
                cp::toString);
        assertFalse(cp.out().contains("\r"), "no bar on a pipe");
        assertArrayEquals(big, Files.readAllBytes(dir.resolve("copy/big.bin")));
        assertEquals("not really gzip: copied as it is", Files.readString(dir.resolve("copy/a/b/small.txt.gz")));
        assertTrue(Files.isDirectory(dir.resolve("copy/empty")));
        Run missing = launcher(null, "cp", "-r", dir.resolve("nothing").toString(), dir.resolve("x").toString());
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("nothing") && missing.err().contains("does not exist"), missing::toString);
    }

    /**
     * Every {@code gogo} block of the README is a shell transcript: its commands ({@code g! } lines) run in one
     * shell, and each prints what the README shows below it (blank lines and trailing blanks aside). So the README
     * cannot promise a command that does not work as shown.
     */
    @Test
    void theReadmesShellTranscriptsRunAsShown() throws Exception {
        Assumptions.assumeTrue(MIMALLOC, "the transcripts show mimalloc serving; it is not installed here");
        List<List<String>> blocks = fencedBlocks(Files.readString(README), "gogo");
        assertFalse(blocks.isEmpty(), "no gogo block in " + README);
        for (List<String> block : blocks) {
            List<String> commands = new ArrayList<>();
            List<List<String>> expected = new ArrayList<>();
            for (String line : block) {
                if (line.startsWith(PROMPT)) {
                    commands.add(line.substring(PROMPT.length()));
                    expected.add(new ArrayList<>());
                } else {
                    assertFalse(expected.isEmpty(), () -> "output before the first command in " + block);
                    expected.getLast().add(line);
                }
            }
            Run run = launch.shell(String.join("\n", commands) + "\n");
            assertEquals(0, run.exit(), run::toString);
            // Nothing on stderr but, at a data folder's first start, where the web console's password is.
            assertEquals("", run.err().replaceFirst("\\Aquiver: web console password generated for this data folder"
                    + " \\(login admin, password in [^\n]*\\)\n", ""), run::toString);
            // The shell prints a prompt before each command's output, and a last one before it stops.
            String[] segments = run.out().split(Pattern.quote(PROMPT), -1);
            assertEquals(commands.size() + 2, segments.length, run::toString);
            for (int i = 0; i < commands.size(); i++) {
                assertEquals(meaningful(expected.get(i)), meaningful(segments[i + 1].lines().toList()),
                        "the output of '" + commands.get(i) + "' as README.md shows it, and as it is");
            }
        }
    }

    private static final Path README = Path.of(System.getProperty("quiver.readme", "../README.md"));
    private static final String PROMPT = "g! ";

    /** The lines of every fenced block with this info string. */
    static List<List<String>> fencedBlocks(String markdown, String info) {
        List<List<String>> blocks = new ArrayList<>();
        List<String> current = null;
        for (String line : markdown.lines().toList()) {
            if (current == null && line.strip().equals("```" + info)) {
                current = new ArrayList<>();
            } else if (current != null && line.strip().equals("```")) {
                blocks.add(current);
                current = null;
            } else if (current != null) {
                current.add(line);
            }
        }
        return blocks;
    }

    private static List<String> meaningful(List<String> lines) {
        return lines.stream().map(String::stripTrailing).filter(l -> !l.isEmpty()).toList();
    }

    @Test
    void aSignalEndsTheShellAndLeavesNothing() throws Exception {
        Run run = signalTheShell(launch);
        assertEquals(128 + 15, run.exit(), run::toString);
    }

    /**
     * A signal while one command runs (an endless cat) ends it with the signal's status, leaves nothing, and prints
     * none of the failures the stopping framework causes under the command (a stale BundleContext and the like).
     */
    @Test
    void aSignalDuringACommandEndsItQuietly() throws Exception {
        ProcessBuilder pb = launch.process("cat", "/dev/zero");
        pb.redirectOutput(ProcessBuilder.Redirect.DISCARD);
        Process p = pb.start();
        var err = Launch.read(p.getErrorStream());
        Thread.sleep(3000); // the framework starts and the command runs; a signal earlier ends the run as well
        p.toHandle().destroy(); // SIGTERM
        assertTrue(p.waitFor(30, TimeUnit.SECONDS), "the run did not end after SIGTERM");
        String stderr = err.get(10, TimeUnit.SECONDS);
        assertEquals(128 + 15, p.exitValue(), stderr);
        assertFalse(stderr.contains("Exception") || stderr.contains("\tat ") || stderr.contains("$"), stderr);
    }

    @Test
    void anotherBundlesFailingShutdownHookDoesNotKeepTheRunFromCleaningUp() throws Exception {
        // A shutdown hook that cannot start ends the JVM's loop over the hooks: the clean-up must not be one.
        Launch faulty = Launch.withMisbehaviour(scratch, tmp).jvmOption("-D" + Misbehaviour.FAULTY_HOOK + "=true");
        Run pools = faulty.run("pools");
        assertEquals(0, pools.exit(), pools::toString);
        assertEquals(List.of(), Launch.entries(tmp), "after a command");
        Run failing = faulty.run("usepool", "nosuch");
        assertEquals(1, failing.exit(), failing::toString);
        assertEquals(List.of(), Launch.entries(tmp), "after a failing command");
        Run shell = signalTheShell(faulty);
        assertEquals(128 + 15, shell.exit(), shell::toString);
    }

    /** Starts the shell, waits for its prompt, sends SIGTERM, and waits for the end. */
    private static Run signalTheShell(Launch launch) throws Exception {
        ProcessBuilder pb = launch.process();
        Process p = pb.start();
        StringBuffer seen = new StringBuffer();
        var out = java.util.concurrent.CompletableFuture.supplyAsync(() -> {
            try (var in = p.getInputStream()) {
                byte[] chunk = new byte[4096];
                int n;
                while ((n = in.read(chunk)) > 0) {
                    seen.append(new String(chunk, 0, n, StandardCharsets.ISO_8859_1));
                }
                return seen.toString();
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().daemon().start(task));
        var err = Launch.read(p.getErrorStream());
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!seen.toString().contains("g! ") && p.isAlive() && System.nanoTime() < deadline) {
            Thread.sleep(20);
        }
        assertTrue(seen.toString().contains("g! "), () -> "no prompt: " + seen);
        p.toHandle().destroy(); // SIGTERM (Process.destroy would also close the pipes); standard input stays open
        Run run = Launch.finish(p, out, err, pb.command());
        p.getOutputStream().close();
        return run;
    }

    private Run launcher(String stdin, String... args) throws Exception {
        return stdin == null ? launch.run(args) : Launch.run(launch.process(args), stdin);
    }
}
