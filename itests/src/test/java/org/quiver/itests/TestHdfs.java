package org.quiver.itests;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

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
    private static MiniDFSCluster cluster;

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
                        "minidfs"));
                cluster = new MiniDFSCluster.Builder(conf, Files.createTempDirectory(base, "cluster").toFile())
                        .numDataNodes(3).build();
                cluster.waitActive();
                Runtime.getRuntime().addShutdownHook(new Thread(() -> cluster.shutdown(), "minidfs-shutdown"));
            } catch (IOException e) {
                throw new UncheckedIOException("the test HDFS did not start", e);
            }
            System.setProperty(PROPERTY, "hdfs://127.0.0.1:" + cluster.getNameNodePort());
        }
        return System.getProperty(PROPERTY);
    }
}
