package org.quiver.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS (one NameNode, three DataNodes, on 127.0.0.1) started by the test JVM once: OSGi frameworks in
 * this JVM and module-path child JVMs reach it over RPC like any client. Its URI is the system property
 * {@value #PROPERTY}. In Pax Exam only the driver loads this class (the framework has no Hadoop server classes).
 */
public final class TestHdfs {

    public static final String PROPERTY = "quiver.itests.hdfs";
    private static final int DATA_NODES = 3;
    private static MiniDFSCluster cluster;
    private static Path startTmp;

    private TestHdfs() {
    }

    /** Starts the cluster if it is not running; returns its {@code hdfs://127.0.0.1:PORT} URI. */
    public static synchronized String start() {
        if (cluster == null) {
            try {
                Configuration conf = new HdfsConfiguration();
                for (String key : new String[] {"dfs.namenode.rpc-address", "dfs.namenode.http-address",
                        "dfs.namenode.servicerpc-address", "dfs.datanode.address", "dfs.datanode.http.address",
                        "dfs.datanode.ipc.address"}) {
                    conf.set(key, "127.0.0.1:0");
                }
                Path base = Files.createDirectories(Path.of(System.getProperty("quiver.itests.work", "target"),
                        "minidfs")).toAbsolutePath();
                Path dir = Files.createTempDirectory(base, "cluster");
                // Each web server's temporary folder (Jetty unpacks the web application from Hadoop's jar into
                // it) in the cluster's folder: by default Jetty leaves a jetty-* folder per server and run in
                // java.io.tmpdir. One folder per server: Jetty empties it when it starts.
                conf.set("hadoop.http.temp.dir", dir.resolve("http-namenode").toString());
                Configuration[] dataNodes = new Configuration[DATA_NODES];
                for (int i = 0; i < DATA_NODES; i++) {
                    dataNodes[i] = new Configuration(false);
                    dataNodes[i].set("hadoop.http.temp.dir", dir.resolve("http-datanode-" + i).toString());
                }
                // Jetty reads java.io.tmpdir when a server starts: point it at an empty folder meanwhile, so that
                // a test can tell what the servers would have left in the real one.
                startTmp = Files.createTempDirectory(base, "tmp");
                String tmpdir = System.getProperty("java.io.tmpdir");
                System.setProperty("java.io.tmpdir", startTmp.toString());
                try {
                    cluster = new MiniDFSCluster.Builder(conf, dir.toFile()).numDataNodes(DATA_NODES)
                            .dataNodeConfOverlays(dataNodes).build();
                    cluster.waitActive();
                } finally {
                    System.setProperty("java.io.tmpdir", tmpdir);
                }
                Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.shutdown(), "minidfs-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException("the test HDFS did not start", e);
            }
            System.setProperty(PROPERTY, "hdfs://127.0.0.1:" + cluster.getNameNodePort());
        }
        return System.getProperty(PROPERTY);
    }

    /** What the cluster's servers put in java.io.tmpdir while they started (nothing, or a test fails). */
    public static synchronized List<String> leftInTheTemporaryFolder() throws IOException {
        start();
        try (Stream<Path> s = Files.list(startTmp)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
