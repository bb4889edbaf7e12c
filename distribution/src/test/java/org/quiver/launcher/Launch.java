package org.quiver.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.stream.Stream;

import org.quiver.launcher.testbundle.Misbehaviour;

/**
 * Runs the packaged distribution (target/quiver, built in the package phase) in child processes, with the JDK
 * that runs the tests, each with its own temporary folder ({@code java.io.tmpdir} and {@code TMPDIR}), so that a
 * test can check that the run left nothing there.
 */
final class Launch {

    static final Path DIST = Path.of(System.getProperty("quiver.dist", "target/quiver")).toAbsolutePath();
    static final String JAVA = ProcessHandle.current().info().command().orElseThrow();

    /** A finished child process. */
    record Run(int exit, String out, String err) {
        @Override
        public String toString() {
            return "exit " + exit + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    private final Path home;
    private final Path tmp;
    private final List<String> jvmOptions = new ArrayList<>();
    private final Map<String, String> environment = new java.util.HashMap<>();

    private Launch(Path home, Path tmp) {
        this.home = home;
        this.tmp = tmp;
    }

    /**
     * The distribution as packaged, with {@code tmp} as its temporary folder and a data folder of its own beside it
     * ({@code QUIVER_DATA}), so that a shell or a server never touches the distribution's data/.
     */
    static Launch of(Path tmp) {
        return new Launch(DIST, tmp).environment(DataFolder.ENVIRONMENT, tmp.resolveSibling("data").toString());
    }

    /** A copy of the distribution (links to its files) with the {@link Misbehaviour} bundle added. */
    static Launch withMisbehaviour(Path dir, Path tmp) throws IOException {
        Path home = Files.createDirectories(dir.resolve("quiver"));
        try (Stream<Path> top = Files.list(DIST)) {
            for (Path p : top.toList()) {
                if (!p.getFileName().toString().equals("bundle")) {
                    Files.createSymbolicLink(home.resolve(p.getFileName().toString()), p);
                }
            }
        }
        Path bundles = Files.createDirectories(home.resolve("bundle"));
        try (Stream<Path> jars = Files.list(DIST.resolve("bundle"))) {
            for (Path p : jars.toList()) {
                Files.createSymbolicLink(bundles.resolve(p.getFileName().toString()), p);
            }
        }
        writeMisbehaviourBundle(bundles.resolve("zz-misbehaviour.jar"));
        return new Launch(home, tmp).environment(DataFolder.ENVIRONMENT, tmp.resolveSibling("data").toString());
    }

    private static void writeMisbehaviourBundle(Path jar) throws IOException {
        writeBundle(jar, "org.quiver.launcher.misbehaviour", "1.0.0", Misbehaviour.class, "org.osgi.framework");
    }

    /**
     * Writes a bundle of the test bundle classes with {@code activator} as its activator. Written to a temporary
     * name and moved into place, so that a watcher never sees half a jar.
     */
    static void writeBundle(Path jar, String symbolicName, String version, Class<?> activator, String imports)
            throws IOException {
        Manifest manifest = new Manifest();
        Attributes main = manifest.getMainAttributes();
        main.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        main.putValue("Bundle-ManifestVersion", "2");
        main.putValue("Bundle-SymbolicName", symbolicName);
        main.putValue("Bundle-Version", version);
        main.putValue("Bundle-Activator", activator.getName());
        main.putValue("Import-Package", imports);
        Path classes = Path.of(activator.getProtectionDomain().getCodeSource().getLocation().getPath());
        String folder = activator.getPackageName().replace('.', '/');
        Path partial = jar.resolveSibling("." + jar.getFileName() + ".part");
        try (OutputStream out = Files.newOutputStream(partial); JarOutputStream zip = new JarOutputStream(out, manifest);
                Stream<Path> files = Files.list(classes.resolve(folder))) {
            for (Path c : files.toList()) {
                zip.putNextEntry(new JarEntry(folder + "/" + c.getFileName()));
                zip.write(Files.readAllBytes(c));
                zip.closeEntry();
            }
        }
        Files.move(partial, jar, java.nio.file.StandardCopyOption.REPLACE_EXISTING,
                java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    }

    /**
     * A distribution of its own under {@code dir}: links to the packaged bin/, lib/ and bundle/, a copy of etc/ to
     * edit, an empty deploy/, and its data folder beside {@code tmp}.
     */
    static Launch privateHome(Path dir, Path tmp) throws IOException {
        Path home = Files.createDirectories(dir.resolve("quiver"));
        for (String linked : List.of("bin", "lib", "bundle")) {
            Files.createSymbolicLink(home.resolve(linked), DIST.resolve(linked));
        }
        Path etc = Files.createDirectories(home.resolve("etc"));
        try (Stream<Path> files = Files.list(DIST.resolve("etc"))) {
            for (Path f : files.toList()) {
                Files.copy(f, etc.resolve(f.getFileName().toString()));
            }
        }
        Files.createDirectories(home.resolve("deploy"));
        return new Launch(home, tmp).environment(DataFolder.ENVIRONMENT, tmp.resolveSibling("data").toString());
    }

    Path home() {
        return home;
    }

    Launch jvmOption(String option) {
        jvmOptions.add(option);
        return this;
    }

    Launch environment(String name, String value) {
        environment.put(name, value);
        return this;
    }

    /** The child's command line: java, the flags bin/quiver passes, the options, the launcher, the arguments. */
    List<String> command(String... args) {
        List<String> command = new ArrayList<>(List.of(JAVA,
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-Djava.io.tmpdir=" + tmp, "-Dquiver.home=" + home,
                // The web console (server and shell) on a free port: tests never take 8181, nor each other's.
                "-Dorg.osgi.service.http.port=0"));
        command.addAll(jvmOptions);
        command.addAll(List.of("-jar", DIST.resolve("lib/quiver-launcher.jar").toString()));
        command.addAll(List.of(args));
        return command;
    }

    ProcessBuilder process(String... args) {
        return prepare(new ProcessBuilder(command(args)));
    }

    /** Sets the working folder, the temporary folder and the environment of a child process. */
    ProcessBuilder prepare(ProcessBuilder pb) {
        pb.directory(DIST.toFile());
        pb.environment().put("TMPDIR", tmp.toString());
        pb.environment().putAll(environment);
        return pb;
    }

    /** Runs one command line (no standard input). */
    Run run(String... args) throws Exception {
        return run(process(args), null);
    }

    /** Runs the shell with {@code stdin} as its input. */
    Run shell(String stdin) throws Exception {
        return run(process(), stdin);
    }

    static Run run(ProcessBuilder pb, String stdin) throws Exception {
        Process p = pb.start();
        CompletableFuture<String> out = read(p.getInputStream());
        CompletableFuture<String> err = read(p.getErrorStream());
        try (var in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin.getBytes(StandardCharsets.UTF_8));
            }
        }
        return finish(p, out, err, pb.command());
    }

    static Run finish(Process p, CompletableFuture<String> out, CompletableFuture<String> err, List<String> command)
            throws Exception {
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            p.waitFor(10, TimeUnit.SECONDS);
            throw new AssertionError("the launcher did not exit within 60 s: " + command);
        }
        return new Run(p.exitValue(), out.get(5, TimeUnit.SECONDS), err.get(5, TimeUnit.SECONDS));
    }

    /** Reads a stream to its end in a thread of its own (the common pool may have one thread on two cores). */
    static CompletableFuture<String> read(InputStream stream) {
        return CompletableFuture.supplyAsync(() -> {
            try (stream) {
                return new String(stream.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }, task -> Thread.ofPlatform().daemon().name("launcher-output").start(task));
    }

    /** The names in a folder, sorted. */
    static List<String> entries(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
