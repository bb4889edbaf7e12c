package org.quiver.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real MiniDFSCluster in this JVM for the HDFS benchmarks: one DataNode, everything on 127.0.0.1 (no
 * short-circuit reads), in a folder under {@link BenchData#directory()} that {@link #close()} removes.
 */
final class MiniHdfs implements AutoCloseable {

    final MiniDFSCluster cluster;
    final Configuration conf;
    final URI uri;

    private MiniHdfs(MiniDFSCluster cluster, Configuration conf) {
        this.cluster = cluster;
        this.conf = conf;
        this.uri = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
    }

    static MiniHdfs start() throws IOException {
        Configuration conf = new HdfsConfiguration();
        for (String key : new String[] {"dfs.namenode.rpc-address", "dfs.namenode.http-address",
                "dfs.namenode.servicerpc-address", "dfs.datanode.address", "dfs.datanode.http.address",
                "dfs.datanode.ipc.address"}) {
            conf.set(key, "127.0.0.1:0");
        }
        conf.setInt("dfs.replication", 1);
        Path dir = Files.createTempDirectory(BenchData.directory(), "minidfs").toAbsolutePath();
        // The web servers' temporary folders in the cluster's folder (by default Jetty leaves a jetty-* folder per
        // server and run in java.io.tmpdir).
        conf.set("hadoop.http.temp.dir", dir.resolve("http-namenode").toString());
        Configuration dataNode = new Configuration(false);
        dataNode.set("hadoop.http.temp.dir", dir.resolve("http-datanode-0").toString());
        MiniDFSCluster cluster = new MiniDFSCluster.Builder(conf, dir.toFile()).numDataNodes(1).format(true)
                .dataNodeConfOverlays(new Configuration[] {dataNode}).build();
        cluster.waitActive();
        return new MiniHdfs(cluster, conf);
    }

    /** A Hadoop client of its own (closed by the caller). */
    org.apache.hadoop.fs.FileSystem hadoopClient() throws IOException {
        return org.apache.hadoop.fs.FileSystem.newInstance(uri, new Configuration(conf));
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
