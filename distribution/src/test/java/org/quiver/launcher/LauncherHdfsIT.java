package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The distribution's {@code cp} and {@code cat} on {@code hdfs://} URIs, against a real HDFS (one NameNode, one
 * DataNode, on 127.0.0.1) started by this test: the Hadoop client inside the io-hdfs bundle, in the launcher's
 * Felix, from the command line.
 */
class LauncherHdfsIT {

    private static final Path DIST = Path.of(System.getProperty("quiver.dist", "target/quiver")).toAbsolutePath();
    private static MiniDFSCluster cluster;
    private static String uri;

    @BeforeAll
    static void start() throws IOException {
        Configuration conf = new HdfsConfiguration();
        for (String key : new String[] {"dfs.namenode.rpc-address", "dfs.namenode.http-address",
                "dfs.namenode.servicerpc-address", "dfs.datanode.address", "dfs.datanode.http.address",
                "dfs.datanode.ipc.address"}) {
            conf.set(key, "127.0.0.1:0");
        }
        conf.setInt("dfs.replication", 1);
        Path base = Files.createDirectories(Path.of("target", "minidfs"));
        cluster = new MiniDFSCluster.Builder(conf, Files.createTempDirectory(base, "cluster").toFile())
                .numDataNodes(1).build();
        cluster.waitActive();
        uri = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

    @Test
    void cpAndCatWorkWithHdfsUris(@TempDir Path dir) throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append("row ").append(i).append('\n');
        }
        Path plain = Files.writeString(dir.resolve("rows.txt"), text);
        String remote = uri + "/launcher/rows.txt.gz";
        String[] up = launcher("cp", plain.toString(), remote + "?replication=1");
        assertEquals("0", up[0], () -> String.join("\n", up));
        assertTrue(up[1].contains("copied " + text.length() + " bytes") && up[1].contains("(gzip)"), up[1]);
        try (FSDataInputStream in = cluster.getFileSystem().open(new org.apache.hadoop.fs.Path("/launcher/rows.txt.gz"));
                var gz = new java.util.zip.GZIPInputStream(in)) {
            assertEquals(text.toString(), new String(gz.readAllBytes(), StandardCharsets.UTF_8), "Hadoop reads it");
        }
        String[] cat = launcher("cat", remote);
        assertEquals("0", cat[0], () -> String.join("\n", cat));
        assertEquals(text.toString(), cat[1]);
        assertFalse(cat[2].contains("WARN") || cat[2].contains("SLF4J"), cat[2]);
        Path back = dir.resolve("back.txt.zst");
        String[] down = launcher("cp", remote, back.toString());
        assertEquals("0", down[0], () -> String.join("\n", down));
        String[] local = launcher("cat", back.toString());
        assertEquals(text.toString(), local[1]);
        String[] missing = launcher("cat", uri + "/launcher/none.txt");
        assertEquals("1", missing[0], () -> String.join("\n", missing));
        assertTrue(missing[2].contains("/launcher/none.txt") && missing[2].contains("no such file"), missing[2]);
    }

    /** Runs the launcher; returns exit code, standard output and standard error. */
    private static String[] launcher(String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(ProcessHandle.current().info().command().orElseThrow(),
                "--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
                "-jar", DIST.resolve("lib/quiver-launcher.jar").toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile("launcher", ".out");
        Path err = Files.createTempFile("launcher", ".err");
        Process p = new ProcessBuilder(command).directory(DIST.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!p.waitFor(60, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("the launcher did not exit within 60 s: " + command);
        }
        return new String[] {Integer.toString(p.exitValue()), Files.readString(out), Files.readString(err)};
    }
}
