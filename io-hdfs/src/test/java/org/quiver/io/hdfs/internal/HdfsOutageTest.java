package org.quiver.io.hdfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quiver.io.FileSystem;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Servers going away under the client, on a cluster of its own (one NameNode, three DataNodes, replication 3):
 * a DataNode stopped in the middle of a read (the read goes on from a replica), every DataNode gone (a clear
 * error, not a hang), and the NameNode gone (a clear error within {@code connect_timeout}). The tests run in
 * this order, each taking more of the cluster down. The pool's accounting stays exact throughout.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HdfsOutageTest {

    private static final int SIZE = 24 << 20; // 24 blocks of 1 MiB
    private static TestCluster cluster;
    private static byte[] data;

    @BeforeAll
    static void start() throws IOException {
        cluster = new TestCluster(3);
        data = new byte[SIZE];
        new Random(42).nextBytes(data);
        try (FSDataOutputStream out = cluster.hadoop().create(new Path("/big"), true, 4096, (short) 3, 1 << 20)) {
            out.write(data);
        }
    }

    @AfterAll
    static void stop() {
        if (cluster != null) {
            cluster.close();
        }
    }

    private static FileSystem client(Map<String, String> options) throws IOException {
        return FileSystem.fromUri(cluster.uri, options);
    }

    /** The DataNode that {@code in} reads from now, found in the cluster by its transfer port. */
    private static int dataNodeIndex(DatanodeInfo current) {
        for (int i = 0; i < cluster.cluster.getDataNodes().size(); i++) {
            DataNode dn = cluster.cluster.getDataNodes().get(i);
            if (dn.getXferPort() == current.getXferPort()) {
                return i;
            }
        }
        throw new AssertionError("no DataNode serves port " + current.getXferPort());
    }

    @Test
    @Order(1)
    void aDataNodeStoppedMidReadIsReplacedByAReplica() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        try (FileSystem fs = client(Map.of()); RandomAccessInput in = fs.openInputFile("/big")) {
            byte[] got = new byte[SIZE];
            int first = 5 << 20;
            try (Buffer head = in.readBuffer(first, pool)) {
                head.get(0, got, 0, first);
            }
            // Stop the very DataNode this stream is reading from, in the middle of the file.
            HdfsDataInputStream raw = (HdfsDataInputStream) ((HdfsInputFile) in).stream();
            DatanodeInfo current = raw.getCurrentDatanode();
            assertNotNull(current, "the stream has a DataNode");
            int index = dataNodeIndex(current);
            assertNotNull(cluster.cluster.stopDataNode(index));
            int done = first;
            while (done < SIZE) {
                try (Buffer chunk = in.readBuffer(Math.min(3 << 20, SIZE - done), pool)) {
                    assertTrue(chunk.size() > 0, "no early end at " + done);
                    chunk.get(0, got, done, (int) chunk.size());
                    done += (int) chunk.size();
                }
            }
            assertArrayEquals(data, got, "every byte right after the DataNode went");
            try (Buffer tail = in.readBufferAt(SIZE - (7 << 20), 7 << 20, pool)) {
                assertArrayEquals(Arrays.copyOfRange(data, SIZE - (7 << 20), SIZE), tail.toByteArray(),
                        "positional reads also go on");
            }
        }
        assertEquals(before, pool.bytesAllocated(), "the pool's accounting is exact");
    }

    @Test
    @Order(2)
    void noLiveDataNodeIsAClearErrorNotAHang() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        // Fail fast: one round over the replicas, short waits between rounds.
        Map<String, String> options = Map.of("dfs.client.max.block.acquire.failures", "1",
                "dfs.client.retry.window.base", "10");
        try (FileSystem fs = client(options); RandomAccessInput in = fs.openInputFile("/big")) {
            while (cluster.cluster.getDataNodes().size() > 0) {
                cluster.cluster.stopDataNode(0);
            }
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> in.readBufferAt(10 << 20, 1 << 20, pool));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("no DataNode: %.1f s: %s%n", seconds, e.getMessage());
            assertTrue(e.getMessage().contains("/big") && e.getMessage().contains("readBufferAt")
                    && e.getMessage().contains("no live DataNode"), e.getMessage());
            assertTrue(seconds < 30, "gave up after " + seconds + " s");
        }
        assertEquals(before, pool.bytesAllocated(), "the failed read's buffer went back to the pool");
    }

    @Test
    @Order(3)
    void aStoppedNameNodeIsAClearErrorWithinTheBound() throws Exception {
        try (FileSystem fs = client(Map.of("connect_timeout", "3"))) {
            assertTrue(fs.info("/big").isFile(), "reachable before");
            cluster.cluster.shutdownNameNode(0);
            long start = System.nanoTime();
            ConnectException e = assertThrows(ConnectException.class, () -> fs.info("/big"));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("no NameNode: %.1f s: %s%n", seconds, e.getMessage());
            assertTrue(e.getMessage().contains("NameNode unreachable") && e.getMessage().contains("connect_timeout=3.0 s")
                    && e.getMessage().contains("info /big") && e.getMessage().contains(cluster.uri.toString()),
                    e.getMessage());
            assertTrue(seconds >= 1.5 && seconds < 3 + 2, "gave up after " + seconds + " s for a bound of 3 s");
        }
    }
}
