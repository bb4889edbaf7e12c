package org.quiver.memory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Runs a class's {@code main} in a fresh JVM with this test's class path, so that a test can detect a crash (an
 * exit status from a signal, an {@code hs_err} file) instead of being killed by it.
 *
 * <p>The child runs in a folder of its own under {@code target/} (its {@code hs_err} file lands there, core dumps
 * are off) which {@link #run} deletes before it returns, also when the child crashed or hung: nothing is left
 * behind. A child that outlives its time limit is killed, with its descendants.
 */
public final class ChildJvm {

    /** What a child JVM did. */
    public record Result(List<String> command, int exitStatus, boolean timedOut, String stdout, String stderr,
            String hsErr) {

        /** Whether the JVM itself crashed: it wrote an {@code hs_err} file or died from a fatal signal. */
        public boolean crashed() {
            return hsErr != null || exitStatus == 134 /* SIGABRT */ || exitStatus == 135 /* SIGBUS */
                    || exitStatus == 139 /* SIGSEGV */ || exitStatus == 136 /* SIGFPE */;
        }

        /** Everything a failure message needs: the command, the status, the output and the crash report. */
        public String describe() {
            return "child JVM " + (timedOut ? "timed out" : "exited with status " + exitStatus)
                    + (hsErr != null ? " and wrote an hs_err file" : "") + "\ncommand: " + String.join(" ", command)
                    + "\n--- stdout ---\n" + tail(stdout) + "\n--- stderr ---\n" + tail(stderr)
                    + (hsErr != null ? "\n--- hs_err (head) ---\n" + head(hsErr) : "");
        }

        private static String tail(String s) {
            return s.length() <= 8_000 ? s : "..." + s.substring(s.length() - 8_000);
        }

        private static String head(String s) {
            return s.length() <= 8_000 ? s : s.substring(0, 8_000) + "...";
        }
    }

    private ChildJvm() {
    }

    /**
     * Runs {@code mainClass} with {@code args} in a new JVM that has this JVM's class path and native access, plus
     * the {@code jvmOptions}; waits at most {@code timeoutSeconds}.
     */
    public static Result run(Class<?> mainClass, List<String> jvmOptions, List<String> args, long timeoutSeconds) {
        return run(mainClass, jvmOptions, Map.of(), args, timeoutSeconds);
    }

    /** {@link #run(Class, List, List, long)} with {@code environment} added to this JVM's environment. */
    public static Result run(Class<?> mainClass, List<String> jvmOptions, Map<String, String> environment,
            List<String> args, long timeoutSeconds) {
        Objects.requireNonNull(mainClass, "mainClass");
        Path work;
        try {
            Path target = Path.of("target");
            Files.createDirectories(target);
            work = Files.createTempDirectory(target.toAbsolutePath(), "child-jvm-");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try {
            List<String> command = new ArrayList<>();
            command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            command.add("-cp");
            command.add(System.getProperty("java.class.path"));
            command.add("--enable-native-access=ALL-UNNAMED");
            command.add("-XX:ErrorFile=" + work.resolve("hs_err_pid%p.log"));
            command.add("-XX:-CreateCoredumpOnCrash");
            command.add("-Djava.io.tmpdir=" + work);
            command.addAll(jvmOptions);
            command.add(mainClass.getName());
            command.addAll(args);
            ProcessBuilder builder = new ProcessBuilder(command).directory(work.toFile())
                    .redirectOutput(work.resolve("stdout").toFile()).redirectError(work.resolve("stderr").toFile());
            builder.environment().putAll(environment);
            Process process = builder.start();
            boolean finished;
            try {
                finished = process.waitFor(timeoutSeconds, TimeUnit.SECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                finished = false;
            } finally {
                if (process.isAlive()) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
            int status = process.waitFor();
            String hsErr;
            try (Stream<Path> files = Files.list(work)) {
                Path report = files.filter(p -> p.getFileName().toString().startsWith("hs_err")).findFirst()
                        .orElse(null);
                hsErr = report == null ? null : Files.readString(report, StandardCharsets.ISO_8859_1);
            }
            return new Result(List.copyOf(command), status, !finished,
                    Files.readString(work.resolve("stdout"), StandardCharsets.UTF_8),
                    Files.readString(work.resolve("stderr"), StandardCharsets.UTF_8), hsErr);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for a child JVM", e);
        } finally {
            delete(work);
        }
    }

    private static void delete(Path folder) {
        try (Stream<Path> all = Files.walk(folder)) {
            for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot delete the child JVM's folder " + folder, e);
        }
    }
}
