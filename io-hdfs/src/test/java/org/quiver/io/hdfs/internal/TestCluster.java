package org.quiver.io.hdfs.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.hdfs.HdfsConfiguration;
import org.apache.hadoop.hdfs.MiniDFSCluster;

/**
 * A real HDFS in this JVM: a {@link MiniDFSCluster} with one NameNode and {@code dataNodes} DataNodes, every
 * server bound to 127.0.0.1, its storage under {@code target/}. Started once per test class.
 */
final class TestCluster implements AutoCloseable {

    final MiniDFSCluster cluster;
    /** {@code hdfs://127.0.0.1:PORT}. */
    final URI uri;

    TestCluster(int dataNodes) throws IOException {
        Configuration conf = new HdfsConfiguration();
        conf.set("dfs.namenode.rpc-address", "127.0.0.1:0");
        conf.set("dfs.namenode.http-address", "127.0.0.1:0");
        conf.set("dfs.namenode.servicerpc-address", "127.0.0.1:0");
        conf.set("dfs.datanode.address", "127.0.0.1:0");
        conf.set("dfs.datanode.http.address", "127.0.0.1:0");
        conf.set("dfs.datanode.ipc.address", "127.0.0.1:0");
        conf.setInt("dfs.replication", Math.min(3, dataNodes));
        // Small blocks, so that a few MiB span several blocks and DataNodes.
        conf.setLong("dfs.blocksize", 1 << 20);
        conf.setLong("dfs.namenode.fs-limits.min-block-size", 64 << 10);
        Path base = Files.createDirectories(Path.of("target", "minidfs")).toAbsolutePath();
        Path dir = Files.createTempDirectory(base, "cluster");
        cluster = new MiniDFSCluster.Builder(conf, dir.toFile())
                .numDataNodes(dataNodes)
                .format(true)
                .build();
        cluster.waitActive();
        uri = URI.create("hdfs://127.0.0.1:" + cluster.getNameNodePort());
    }

    /** Hadoop's own client, as the superuser that started the cluster. */
    DistributedFileSystem hadoop() throws IOException {
        return cluster.getFileSystem();
    }

    /** A fresh Hadoop client of the cluster, with {@code conf} on top. */
    FileSystem hadoop(Configuration conf) throws IOException {
        return FileSystem.newInstance(uri, conf);
    }

    @Override
    public void close() {
        cluster.shutdown(true);
    }
}
