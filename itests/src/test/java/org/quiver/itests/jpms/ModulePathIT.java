package org.quiver.itests.jpms;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import javax.tools.JavaCompiler;
import javax.tools.ToolProvider;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.testing.DebianMultiarch;

/**
 * Quiver on the module path: a named application module that {@code requires org.quiver.api} only runs in a
 * child JVM with the API and pool-system jars on the module path, no class path and no {@code --add-opens}. The
 * system pool must arrive through {@code ServiceLoader} ({@code provides ... with}).
 */
class ModulePathIT {

    private static final String APP_MODULE = "org.quiver.itests.app";
    private static final String MAIN = APP_MODULE + "/org.quiver.itests.app.Main";

    private static Path apiJar;
    private static Path poolSystemJar;
    private static Path poolJemallocJar;
    private static Path poolMimallocJar;
    private static Path appModules;
    private static Path work;

    @BeforeAll
    static void compileTheApp() throws IOException {
        apiJar = jar("quiver.api.jar");
        poolSystemJar = jar("quiver.pool.system.jar");
        poolJemallocJar = jar("quiver.pool.jemalloc.jar");
        poolMimallocJar = jar("quiver.pool.mimalloc.jar");
        Path src = Path.of(required("quiver.itests.app.src"));
        work = Path.of(required("quiver.itests.work"), "jpms");
        appModules = work.resolve("modules");
        deleteTree(appModules);
        Files.createDirectories(appModules);

        List<String> args = new ArrayList<>(List.of("--release", "25", "-Xlint:all,-path", "-Werror",
                "--module-path", apiJar.toString(), "--module-source-path", src.toString(),
                "-d", appModules.toString(), "--module", APP_MODULE));
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertNotNull(javac, "no system Java compiler: the tests must run on a JDK");
        var out = new java.io.ByteArrayOutputStream();
        int rc = javac.run(null, out, out, args.toArray(String[]::new));
        assertEquals(0, rc, () -> "javac " + args + " failed:\n" + out.toString(StandardCharsets.UTF_8));
        assertTrue(Files.isRegularFile(appModules.resolve(APP_MODULE).resolve("module-info.class")));
    }

    /** The providers' kit is exported to Quiver's modules only: an application module cannot compile against it. */
    @Test
    void anApplicationModuleCannotUseTheProvidersKit() throws IOException {
        Path src = work.resolve("kit-outsider-src");
        Path module = src.resolve("org.example.outsider");
        Files.createDirectories(module.resolve("org/example/outsider"));
        Files.writeString(module.resolve("module-info.java"), "module org.example.outsider { requires org.quiver.api; }");
        Files.writeString(module.resolve("org/example/outsider/Outsider.java"), "package org.example.outsider;\n"
                + "public class Outsider { public static void main(String[] a) { "
                + "org.quiver.internal.kit.Checks.checkSize(1); } }");
        Path classes = work.resolve("kit-outsider-classes");
        try {
            var out = new java.io.ByteArrayOutputStream();
            int rc = ToolProvider.getSystemJavaCompiler().run(null, out, out, "--release", "25", "--module-path",
                    apiJar.toString(), "--module-source-path", src.toString(), "-d", classes.toString(), "--module",
                    "org.example.outsider");
            String message = out.toString(StandardCharsets.UTF_8);
            assertNotEquals(0, rc, message);
            assertTrue(message.contains("package org.quiver.internal.kit is not visible"), message);
        } finally {
            deleteTree(src);
            deleteTree(classes);
        }
    }

    @Test
    void theAppFindsTheSystemPoolThroughServiceLoaderOnTheModulePath() throws Exception {
        Run run = java("ok", List.of(poolSystemJar), "--enable-native-access=org.quiver.api,org.quiver.pool.system");
        assertEquals(0, run.exitCode, run::describe);
        assertFalse(run.stderr.contains("WARNING"), run::describe);

        Map<String, String> out = run.values();
        assertEquals(APP_MODULE, out.get("app.module"), run::describe);
        assertEquals("org.quiver.api", out.get("api.module"), run::describe);
        assertEquals("org.quiver.pool.system", out.get("pool.system.module"), "bound as a service provider");
        assertEquals("", out.get("class.path"), "nothing on the class path");
        assertEquals("true", out.get("api.native.access"), run::describe);
        assertEquals("available:true,default:true,ranking:100", out.get("backend.system"), run::describe);
        assertTrue(out.get("backend.jemalloc").startsWith("available:false,default:false"), run::describe);
        assertTrue(out.get("backend.mimalloc").startsWith("available:false,default:false"), run::describe);
        assertEquals("system", out.get("default.backend"), run::describe);
        assertEquals("1024", out.get("buffer.capacity"), run::describe);
        assertEquals("true", out.get("buffer.aligned64"), run::describe);
        assertEquals("1024", out.get("allocated.delta"), run::describe);
        assertEquals("ok", out.get("readback"), run::describe);
        assertEquals("0", out.get("allocated.after.close"), run::describe);
        assertEquals("0", out.get("total.after.close"), run::describe);
        assertTrue(out.containsKey("done"), run::describe);
    }

    /** All three providers on the module path: found by ServiceLoader and ranked as in OSGi. */
    @Test
    void allThreeProvidersAreFoundAndRankedMimallocJemallocSystem() throws Exception {
        Run run = java("all", List.of(poolSystemJar, poolJemallocJar, poolMimallocJar), "--enable-native-access="
                + "org.quiver.api,org.quiver.pool.system,org.quiver.pool.jemalloc,org.quiver.pool.mimalloc");
        assertEquals(0, run.exitCode, run::describe);
        assertFalse(run.stderr.contains("WARNING"), run::describe);
        Map<String, String> out = run.values();
        boolean mimalloc = Files.exists(DebianMultiarch.library("libmimalloc.so.2"))
                || "true".equalsIgnoreCase(System.getenv("CI"));
        if (mimalloc) {
            assertEquals("available:true,default:true,ranking:300", out.get("backend.mimalloc"), run::describe);
            assertEquals("available:true,default:false,ranking:200", out.get("backend.jemalloc"), run::describe);
            assertEquals("mimalloc", out.get("default.backend"), run::describe);
            assertEquals("ok,outstanding:0", out.get("pool.mimalloc"), run::describe);
        } else {
            assertTrue(out.get("backend.mimalloc").contains("apt-get install libmimalloc2.0"), run::describe);
            assertEquals("available:true,default:true,ranking:200", out.get("backend.jemalloc"), run::describe);
        }
        assertEquals("available:true,default:false,ranking:100", out.get("backend.system"), run::describe);
        assertEquals("ok,outstanding:0", out.get("pool.jemalloc"), run::describe);
        assertEquals("ok,outstanding:0", out.get("pool.system"), run::describe);
        List<String> order = out.keySet().stream().filter(k -> k.startsWith("backend.")).toList();
        assertEquals(List.of("backend.mimalloc", "backend.jemalloc", "backend.system"), order, "best first");
        assertEquals("ok", out.get("readback"), run::describe);
        assertEquals("0", out.get("total.after.close"), run::describe);
        assertTrue(out.containsKey("done"), run::describe);
    }

    /**
     * io-native and its codecs as modules (zstd-jni, brotli4j and Commons Compress are named modules, lz4-java an
     * automatic one): the API finds io-native through ServiceLoader, every codec loads its natives, and
     * {@code file:} URIs open through the registry. The platform module is resolved beside them, without any OSGi
     * jar: it requires the framework only statically, and changes nothing outside a framework.
     */
    @Test
    void ioNativeServesFilesAndEveryCodecOnTheModulePath() throws Exception {
        List<Path> modules = new ArrayList<>(List.of(poolSystemJar, jar("quiver.io.native.jar"),
                jar("quiver.platform.jar")));
        for (String codec : required("quiver.codec.jars").split(",")) {
            modules.add(Path.of(codec));
        }
        Path dir = work.resolve("io-files");
        deleteTree(dir);
        Files.createDirectories(dir);
        Run run = java("io", modules, "--enable-native-access=org.quiver.api,org.quiver.pool.system,"
                + "org.quiver.io.nativeio,com.github.luben.zstd_jni,org.lz4.java,com.aayushatharva.brotli4j",
                List.of("--add-modules", "org.quiver.platform"), List.of("io", dir.toString()));
        assertEquals(0, run.exitCode, run::describe);
        assertFalse(run.stderr.contains("WARNING"), run::describe);
        Map<String, String> out = run.values();
        assertEquals("org.quiver.io.nativeio", out.get("io.module"), run::describe);
        assertEquals("[file]", out.get("schemes"), run::describe);
        for (String codec : List.of("uncompressed", "gzip", "zstd", "lz4", "bz2", "brotli", "snappy")) {
            assertEquals("ok", out.get("codec." + codec), () -> codec + "\n" + run.describe());
        }
        assertEquals("7", out.get("listed"), run::describe);
        assertEquals("ok", out.get("map"), run::describe);
        assertEquals("ok", out.get("osfile"), run::describe);
        assertEquals("0", out.get("outstanding"), run::describe);
        assertTrue(out.containsKey("done"), run::describe);
    }

    /**
     * io-hdfs as a module, with the shaded Hadoop client as the automatic modules hadoop.client.api and
     * hadoop.client.runtime: the API finds it through ServiceLoader, and it reads and writes a real HDFS (started
     * by this JVM), plain and zstd-compressed.
     */
    @Test
    void ioHdfsServesHdfsUrisOnTheModulePath() throws Exception {
        String cluster = org.quiver.itests.TestHdfs.start();
        List<Path> modules = new ArrayList<>(List.of(poolSystemJar, jar("quiver.io.native.jar"),
                jar("quiver.io.hdfs.jar")));
        for (String dependency : (required("quiver.codec.jars") + "," + required("quiver.hadoop.jars")).split(",")) {
            modules.add(Path.of(dependency));
        }
        Run run = java("hdfs", modules, "--enable-native-access=org.quiver.api,org.quiver.pool.system,"
                + "org.quiver.io.nativeio,com.github.luben.zstd_jni,org.lz4.java,com.aayushatharva.brotli4j",
                // Hadoop's shaded protobuf reads arrays through sun.misc.Unsafe (JDK 25 warns once otherwise).
                List.of("--sun-misc-unsafe-memory-access=allow"), List.of("hdfs", cluster + "/jpms"));
        assertEquals(0, run.exitCode, run::describe);
        assertFalse(run.stderr.contains("WARNING"), run::describe);
        Map<String, String> out = run.values();
        assertEquals("org.quiver.io.hdfs", out.get("hdfs.module"), run::describe);
        assertEquals("automatic", out.get("hadoop.module"), run::describe);
        assertTrue(out.get("schemes").contains("hdfs"), run::describe);
        assertEquals("ok", out.get("write.read"), run::describe);
        assertEquals("ok", out.get("zstd"), run::describe);
        assertEquals("2", out.get("listed"), run::describe);
        assertEquals("0", out.get("outstanding"), run::describe);
        assertTrue(out.containsKey("done"), run::describe);
    }

    /** The test HDFS keeps its web servers' temporary folders in its own folder, not in java.io.tmpdir. */
    @Test
    void theTestHdfsPutsNothingInTheTemporaryFolder() throws IOException {
        assertEquals(List.of(), org.quiver.itests.TestHdfs.leftInTheTemporaryFolder());
    }

    /** Without native access for pool-system, the backend is listed as unavailable with the flag to add. */
    @Test
    void withoutNativeAccessThePoolSaysWhichFlagIsMissing() throws Exception {
        Run run = java("denied", List.of(poolSystemJar), "--enable-native-access=org.quiver.api");
        assertNotEquals(0, run.exitCode, run::describe);
        Map<String, String> out = run.values();
        String system = out.get("backend.system");
        assertNotNull(system, run::describe);
        assertTrue(system.startsWith("available:false,default:false"), run::describe);
        assertTrue(system.contains("--enable-native-access=org.quiver.pool.system"), run::describe);
        assertTrue(run.stderr.contains("no memory pool backend is available"), run::describe);
        assertFalse(out.containsKey("done"), run::describe);
    }

    /**
     * {@code -Dquiver.jmx=platform} on the module path: the platform module registers Quiver's MBeans when Quiver
     * is first used, and a JMX client connected to the app's RMI connector (127.0.0.1) reads them and acts through
     * them, and the app sees the result. Over the same connection a Flight Recorder stream (as Mission Control
     * opens one) gets Quiver's periodic statistics, and the recording the app made from its start holds the switch
     * to the system pool at start: the events work although their package is not exported.
     */
    @Test
    void jmxAndFlightRecorderServeAnApplicationOnTheModulePath() throws Exception {
        Path recording = work.resolve("modpath.jfr");
        Files.deleteIfExists(recording);
        Path stderr = work.resolve("jmx.err");
        ProcessBuilder pb = child(List.of(poolSystemJar, jar("quiver.platform.jar")),
                "--enable-native-access=org.quiver.api,org.quiver.pool.system",
                List.of("--add-modules", "org.quiver.platform,jdk.management.jfr", "-Dquiver.jmx=platform",
                        "-XX:StartFlightRecording:filename=" + recording + ",dumponexit=true"),
                List.of("jmx"));
        Process p = pb.redirectError(stderr.toFile()).start();
        StringBuilder seen = new StringBuilder();
        try (java.io.BufferedReader out = new java.io.BufferedReader(
                new java.io.InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
                java.io.Writer in = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
            String url = null;
            for (String line; url == null && (line = out.readLine()) != null;) {
                seen.append(line).append('\n');
                if (line.startsWith("jmx.url=")) {
                    url = line.substring("jmx.url=".length());
                }
            }
            if (url == null) {
                throw new AssertionError("no JMX address: " + seen + Files.readString(stderr));
            }
            try (javax.management.remote.JMXConnector client = javax.management.remote.JMXConnectorFactory
                    .connect(new javax.management.remote.JMXServiceURL(url))) {
                javax.management.MBeanServerConnection jmx = client.getMBeanServerConnection();
                javax.management.ObjectName platform = new javax.management.ObjectName("org.quiver:type=Platform");
                javax.management.ObjectName system = new javax.management.ObjectName(
                        "org.quiver:type=MemoryBackend,name=system");
                assertEquals("system", jmx.getAttribute(platform, "DefaultPool"));
                assertEquals("the best-ranked available backend", jmx.getAttribute(platform, "DefaultPoolReason"));
                long bytes = (Long) jmx.getAttribute(system, "BytesAllocated");
                assertEquals((1 << 20) + 3008, bytes, "the app's two buffers, padded to 64 bytes");
                assertEquals(bytes, jmx.getAttribute(platform, "BytesAllocatedInAllPools"));
                assertEquals(false, jmx.getAttribute(new javax.management.ObjectName(
                        "org.quiver:type=MemoryBackend,name=jemalloc"), "Installed"));
                var children = jmx.queryNames(new javax.management.ObjectName(
                        "org.quiver:type=ChildPool,name=modpath-child,*"), null);
                assertEquals(1, children.size(), children::toString);
                javax.management.ObjectName child = children.iterator().next();
                assertEquals(3008L, jmx.getAttribute(child, "BytesAllocated"));
                assertEquals(1L, jmx.getAttribute(child, "LiveBuffers"));
                assertEquals(65536L, jmx.getAttribute(child, "Limit"));
                jmx.setAttribute(child, new javax.management.Attribute("Limit", 8192L));
                jmx.setAttribute(platform, new javax.management.Attribute("LeakDetection", "off"));
                javax.management.RuntimeMBeanException unknown = org.junit.jupiter.api.Assertions.assertThrows(
                        javax.management.RuntimeMBeanException.class, () -> jmx.invoke(platform,
                                "switchDefaultPool", new Object[] {"nosuch"}, new String[] {"java.lang.String"}));
                assertTrue(unknown.getTargetException().getMessage().contains("unknown memory pool backend"),
                        unknown.getTargetException().getMessage());
                jmx.invoke(platform, "releaseUnused", new Object[0], new String[0]);

                // Flight Recorder over the same connection, as Mission Control streams it: the periodic
                // statistics of the child pool and of the system backend, live.
                Path chunks = Files.createDirectories(work.resolve("jfr-stream"));
                java.util.concurrent.CompletableFuture<jdk.jfr.consumer.RecordedEvent> childStats =
                        new java.util.concurrent.CompletableFuture<>();
                java.util.concurrent.CompletableFuture<jdk.jfr.consumer.RecordedEvent> poolStats =
                        new java.util.concurrent.CompletableFuture<>();
                try (jdk.management.jfr.RemoteRecordingStream stream = new jdk.management.jfr.RemoteRecordingStream(
                        jmx, chunks)) {
                    stream.enable("org.quiver.ChildPoolStatistics").withPeriod(java.time.Duration.ofMillis(100));
                    stream.enable("org.quiver.PoolStatistics").withPeriod(java.time.Duration.ofMillis(100));
                    stream.onEvent("org.quiver.ChildPoolStatistics", e -> {
                        if ("child pool 'modpath-child'".equals(e.getString("name"))) {
                            childStats.complete(e);
                        }
                    });
                    stream.onEvent("org.quiver.PoolStatistics", e -> {
                        if ("system".equals(e.getString("backend"))) {
                            poolStats.complete(e);
                        }
                    });
                    stream.startAsync();
                    jdk.jfr.consumer.RecordedEvent c = childStats.get(30, TimeUnit.SECONDS);
                    assertEquals(3008, c.getLong("bytesAllocated"));
                    assertEquals(1, c.getLong("liveBuffers"));
                    assertEquals(8192, c.getLong("limit"), "the limit just set through JMX");
                    jdk.jfr.consumer.RecordedEvent s = poolStats.get(30, TimeUnit.SECONDS);
                    assertEquals(bytes, s.getLong("bytesAllocated"));
                    assertTrue(s.getBoolean("isDefault"));
                }
                deleteTree(chunks);
            }
            in.write("go\n");
            in.flush();
            for (String line; (line = out.readLine()) != null;) {
                seen.append(line).append('\n');
            }
        } finally {
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                p.destroyForcibly();
            }
        }
        String err = Files.readString(stderr);
        assertEquals(0, p.exitValue(), () -> seen + err);
        Map<String, String> out = new Run(pb.command(), 0, seen.toString(), err).values();
        assertEquals("8192", out.get("child.limit"), "the limit set through JMX: " + seen);
        assertEquals("OFF", out.get("leak.detection"), seen::toString);
        assertEquals("system", out.get("default.after"), "a refused switch changes nothing");
        assertEquals("0", out.get("outstanding"), seen::toString);
        assertFalse(err.contains("WARNING"), err);

        List<jdk.jfr.consumer.RecordedEvent> events = jdk.jfr.consumer.RecordingFile.readAllEvents(recording)
                .stream().filter(e -> e.getEventType().getName().startsWith("org.quiver.")).toList();
        assertTrue(events.stream().anyMatch(e -> e.getEventType().getName().equals("org.quiver.DefaultPoolSwitched")
                && "system".equals(e.getString("to"))), () -> "no switch to system: " + events);
        Files.delete(recording);
    }

    // ---- helpers ----------------------------------------------------------------------------------------------

    private record Run(List<String> command, int exitCode, String stdout, String stderr) {
        Map<String, String> values() {
            Map<String, String> m = new LinkedHashMap<>();
            for (String line : stdout.split("\\R")) {
                int eq = line.indexOf('=');
                m.put(eq < 0 ? line.strip() : line.substring(0, eq), eq < 0 ? "" : line.substring(eq + 1).strip());
            }
            return m;
        }

        String describe() {
            return "command: " + String.join(" ", command) + "\nexit code: " + exitCode + "\nstdout:\n" + stdout
                    + "\nstderr:\n" + stderr;
        }
    }

    private static Run java(String name, List<Path> providers, String nativeAccess)
            throws IOException, InterruptedException {
        return java(name, providers, nativeAccess, List.of());
    }

    private static Run java(String name, List<Path> providers, String nativeAccess, List<String> appArgs)
            throws IOException, InterruptedException {
        return java(name, providers, nativeAccess, List.of(), appArgs);
    }

    private static Run java(String name, List<Path> providers, String nativeAccess, List<String> jvmArgs,
            List<String> appArgs) throws IOException, InterruptedException {
        ProcessBuilder pb = child(providers, nativeAccess, jvmArgs, appArgs);
        Path stdout = work.resolve(name + ".out");
        Path stderr = work.resolve(name + ".err");
        Process p = pb.redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the child JVM did not finish in 60 s: " + pb.command());
        }
        return new Run(pb.command(), p.exitValue(), Files.readString(stdout), Files.readString(stderr));
    }

    /** The child JVM: the API, {@code providers} and the app on the module path, nothing on the class path. */
    private static ProcessBuilder child(List<Path> providers, String nativeAccess, List<String> jvmArgs,
            List<String> appArgs) throws IOException {
        String javaCmd = ProcessHandle.current().info().command()
                .orElseThrow(() -> new IllegalStateException("cannot tell which java runs this test"));
        List<String> path = new ArrayList<>();
        path.add(apiJar.toString());
        providers.forEach(p -> path.add(p.toString()));
        path.add(appModules.toString());
        String modulePath = String.join(File.pathSeparator, path);
        // The child's temporary files (the jemalloc copy, the codecs' native libraries) stay under target/.
        Path tmp = Files.createDirectories(work.resolve("tmp"));
        List<String> command = new ArrayList<>(List.of(javaCmd, "--module-path", modulePath, nativeAccess,
                // Any restricted call from a module without the grant fails instead of warning.
                "--illegal-native-access=deny", "-Djava.io.tmpdir=" + tmp));
        command.addAll(jvmArgs);
        command.addAll(List.of("-m", MAIN));
        command.addAll(appArgs);
        ProcessBuilder pb = new ProcessBuilder(command);
        Map<String, String> env = pb.environment();
        env.keySet().removeIf(k -> k.equals("CLASSPATH") || k.equals("JAVA_TOOL_OPTIONS")
                || k.equals("JDK_JAVA_OPTIONS") || k.equals("_JAVA_OPTIONS") || k.startsWith("QUIVER_"));
        return pb;
    }

    private static Path jar(String property) {
        Path p = Path.of(required(property));
        assertTrue(Files.isRegularFile(p), property + " is not a jar: " + p + " (build to the package phase)");
        return p;
    }

    private static String required(String property) {
        String v = System.getProperty(property);
        assertTrue(v != null && !v.isBlank() && !v.startsWith("${"),
                "system property " + property + " is not set: run through Maven (failsafe sets it)");
        return v;
    }

    private static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> s = Files.walk(dir)) {
            for (Path p : s.sorted((a, b) -> b.getNameCount() - a.getNameCount()).toList()) {
                Files.delete(p);
            }
        }
    }
}
