package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.launcher.Launch.Run;
import org.quiver.launcher.testbundle.Misbehaviour;

/**
 * The distribution's {@code cp} and {@code cat} on {@code hdfs://} URIs, against a real HDFS (one NameNode, one
 * DataNode, on 127.0.0.1) started by this test: the Hadoop client inside the io-hdfs bundle, in the launcher's
 * Felix, from the command line. Each run has a fresh temporary folder, which must be empty afterwards.
 */
class LauncherHdfsIT {

    private static MiniDFSCluster cluster;
    private static String uri;

    @TempDir
    Path scratch;
    private Path tmp;
    private Launch launch;

    /** java.io.tmpdir while the cluster starts: what its servers would leave in the temporary folder lands here. */
    @TempDir
    static Path clusterTmp;

    @BeforeAll
    static void start() throws IOException {
        Configuration conf = new HdfsConfiguration();
        for (String key : new String[] {"dfs.namenode.rpc-address", "dfs.namenode.http-address",
                "dfs.namenode.servicerpc-address", "dfs.datanode.address", "dfs.datanode.http.address",
                "dfs.datanode.ipc.address"}) {
            conf.set(key, "127.0.0.1:0");
        }
        conf.setInt("dfs.replication", 1);
        Path base = Files.createTempDirectory(Files.createDirectories(Path.of("target", "minidfs")), "cluster")
                .toAbsolutePath();
        // Each web server's temporary folder (Jetty unpacks the web application from Hadoop's jar into it) in the
        // cluster's folder: by default Jetty makes a jetty-* folder in java.io.tmpdir per server and run and
        // leaves it there. One folder per server: Jetty empties it when it starts.
        conf.set("hadoop.http.temp.dir", base.resolve("http-namenode").toString());
        Configuration dataNode = new Configuration(false);
        dataNode.set("hadoop.http.temp.dir", base.resolve("http-datanode-0").toString());
        // Jetty reads java.io.tmpdir when a server starts (the JDK's own temporary files do not follow this).
        String tmpdir = System.getProperty("java.io.tmpdir");
        System.setProperty("java.io.tmpdir", clusterTmp.toString());
        try {
            cluster = new MiniDFSCluster.Builder(conf, base.toFile()).numDataNodes(1)
                    .dataNodeConfOverlays(new Configuration[] {dataNode}).build();
            cluster.waitActive();
        } finally {
            System.setProperty("java.io.tmpdir", tmpdir);
        }
        uri = "hdfs://127.0.0.1:" + cluster.getNameNodePort();
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.shutdown(true);
        }
    }

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
    void cpAndCatWorkWithHdfsUris() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; i < 50_000; i++) {
            text.append("row ").append(i).append('\n');
        }
        Path plain = Files.writeString(scratch.resolve("rows.txt"), text);
        String remote = uri + "/launcher/rows.txt.gz";
        Run up = launch.run("cp", plain.toString(), remote + "?replication=1");
        assertEquals(0, up.exit(), up::toString);
        assertTrue(up.out().contains("copied " + text.length() + " bytes") && up.out().contains("(gzip)"), up::toString);
        try (FSDataInputStream in = cluster.getFileSystem().open(new org.apache.hadoop.fs.Path("/launcher/rows.txt.gz"));
                var gz = new java.util.zip.GZIPInputStream(in)) {
            assertEquals(text.toString(), new String(gz.readAllBytes(), StandardCharsets.UTF_8), "Hadoop reads it");
        }
        Run cat = launch.run("cat", remote);
        assertEquals(0, cat.exit(), cat::toString);
        assertEquals(text.toString(), cat.out());
        assertFalse(cat.err().contains("WARN") || cat.err().contains("SLF4J") || cat.err().contains("Exception"),
                cat::toString);
        Path back = scratch.resolve("back.txt.zst");
        Run down = launch.run("cp", remote, back.toString());
        assertEquals(0, down.exit(), down::toString);
        Run local = launch.run("cat", back.toString());
        assertEquals(text.toString(), local.out());
        Run missing = launch.run("cat", uri + "/launcher/none.txt");
        assertEquals(1, missing.exit(), missing::toString);
        assertTrue(missing.err().contains("/launcher/none.txt") && missing.err().contains("no such file"),
                missing::toString);
    }

    @Test
    void theTestClusterPutsNothingInTheTemporaryFolder() throws IOException {
        assertEquals(List.of(), Launch.entries(clusterTmp), "the cluster's servers wrote these to java.io.tmpdir");
    }

    /**
     * After the io-hdfs bundle stopped (the framework stops before the JVM exits), Hadoop's shutdown hook must not
     * keep the JVM from running the others to the end: a hook that waits 200 ms and then writes a file gets to
     * write it only if the JVM started every hook and waited for them.
     */
    @Test
    void afterAnHdfsCommandEveryShutdownHookRuns() throws Exception {
        Files.writeString(scratch.resolve("one.txt"), "one\n");
        Launch misbehaving = Launch.withMisbehaviour(scratch, tmp);
        for (String command : new String[] {"cp", "cat"}) {
            Path marker = scratch.resolve("hooks-ran-after-" + command);
            misbehaving.jvmOption("-D" + Misbehaviour.HOOK_MARKER + "=" + marker);
            Run run = command.equals("cp")
                    ? misbehaving.run("cp", scratch.resolve("one.txt").toString(), uri + "/hooks/one.txt")
                    : misbehaving.run("cat", uri + "/hooks/one.txt");
            assertEquals(0, run.exit(), run::toString);
            assertTrue(Files.exists(marker), () -> "the JVM stopped running shutdown hooks after " + command + "\n"
                    + run);
            assertEquals("", run.err(), run::toString);
        }
    }
}
