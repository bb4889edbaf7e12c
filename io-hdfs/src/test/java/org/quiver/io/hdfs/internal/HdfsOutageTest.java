package org.quiver.io.hdfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;

import org.apache.hadoop.fs.BlockLocation;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.DFSOutputStream;
import org.apache.hadoop.hdfs.MiniDFSCluster.DataNodeProperties;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.apache.hadoop.hdfs.protocol.DatanodeInfo;
import org.apache.hadoop.hdfs.server.datanode.DataNode;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.quiver.io.FileInfo;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Servers going away under the client, on a cluster of its own (one NameNode, three DataNodes, replication 3):
 * a DataNode lost in the middle of a write pipeline (the write completes on the other two; after an
 * {@code hflush}, which obliges the client to replace the lost one and finds no spare, a clear error and a file
 * not completed), the NameNode restarted between two reads of an open file and during one (the read waits for
 * it), a DataNode stopped in the middle of a read (the read goes on from a replica), every DataNode gone (a clear
 * error, not a hang), the NameNode gone (a clear error within {@code connect_timeout}), and the NameNode restarted
 * with no DataNode left, so that it can say where no block is (a clear error within the bound). The tests run in
 * this order: the first four bring back what they stop, the others each take more of the cluster down. The
 * pool's accounting stays exact throughout.
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

    /** DataNodes a test stopped and the next tests need back. */
    private final List<DataNodeProperties> toRestart = new ArrayList<>();

    @AfterEach
    void restartStoppedDataNodes() throws Exception {
        for (DataNodeProperties dn : toRestart) {
            assertTrue(cluster.cluster.restartDataNode(dn, true), "restart " + dn);
        }
        if (!toRestart.isEmpty()) {
            cluster.cluster.waitActive();
            cluster.cluster.waitFirstBRCompleted(0, 30_000); // the replicas it holds count again
        }
    }

    private static QuiverFileSystem client(Map<String, String> options) throws IOException {
        return QuiverFileSystem.fromUri(cluster.uri, options);
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

    /**
     * The three DataNodes of the block that {@code out} is writing now. The client's streamer sets the pipeline up
     * as it sends, a moment after the write that queued the data, and has none between two blocks.
     */
    private static DatanodeInfo[] pipeline(SequentialOutput out) throws InterruptedException {
        DFSOutputStream raw = (DFSOutputStream) ((HdfsOutputFile) out).stream().getWrappedStream();
        for (int wait = 0; wait < 2_000; wait++) {
            DatanodeInfo[] nodes = raw.getPipeline();
            if (nodes != null && nodes.length == 3) {
                return nodes;
            }
            Thread.sleep(5);
        }
        throw new AssertionError("no pipeline of three DataNodes: " + Arrays.toString(raw.getPipeline()));
    }

    @Test
    @Order(1)
    void aWriteThatLosesAPipelineDataNodeCompletesOnTheOthers() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        String path = "/lost-in-the-pipeline";
        byte[] content = Arrays.copyOf(data, 6 << 20);
        int first = 5 << 19; // two and a half blocks: the third is in the pipeline
        DatanodeInfo lost;
        try (QuiverFileSystem fs = client(Map.of()); SequentialOutput out = fs.openOutput(path)) {
            out.write(content, 0, first);
            lost = pipeline(out)[1];
            toRestart.add(cluster.cluster.stopDataNode(dataNodeIndex(lost)));
            // Without an hflush the client goes on with the two left (the DEFAULT replacement policy, replication 3)
            out.write(content, first, content.length - first);
        }
        assertTrue(cluster.hadoop().isFileClosed(new Path(path)), "the file is complete");
        assertEquals(content.length, cluster.hadoop().getFileStatus(new Path(path)).getLen());
        // The block that was in the pipeline lives on the two DataNodes that stayed (the fault hit mid-block)
        BlockLocation[] block = cluster.hadoop().getFileBlockLocations(new Path(path), first, 1);
        assertEquals(2, block[0].getNames().length, Arrays.toString(block[0].getNames()));
        assertFalse(Arrays.asList(block[0].getNames()).contains(lost.getXferAddr()), lost + " still holds it");
        try (QuiverFileSystem fs = client(Map.of()); RandomAccessInput in = fs.openRandomAccess(path);
                Buffer back = in.readBufferAt(0, content.length, pool)) {
            assertArrayEquals(content, back.toByteArray(), "every byte, also those written after the loss");
        }
        assertEquals(before, pool.bytesAllocated(), "the pool's accounting is exact");
    }

    @Test
    @Order(2)
    void anHflushedWriteThatLosesADataNodeWithNoSpareFailsAndIsNotCompleted() throws Exception {
        String path = "/lost-after-hflush";
        byte[] content = Arrays.copyOf(data, 4 << 20);
        int flushed = 3 << 19;
        try (QuiverFileSystem fs = client(Map.of())) {
            SequentialOutput out = fs.openOutput(path);
            out.write(content, 0, flushed);
            // After an hflush the client must replace a lost DataNode (readers may rely on three copies of what
            // they saw), and all three DataNodes of the cluster are in the pipeline: no spare.
            out.flush();
            toRestart.add(cluster.cluster.stopDataNode(dataNodeIndex(pipeline(out)[1])));
            // The data may all be queued by then: the error shows at the latest when the file is closed
            try {
                out.write(content, flushed, content.length - flushed);
            } catch (IOException atWrite) {
                assertTrue(atWrite.getMessage().startsWith(cluster.uri + path + ": write: "), atWrite.getMessage());
            }
            IOException e = assertThrows(IOException.class, out::close);
            System.out.println("DataNode lost after hflush, no spare: " + e.getMessage());
            assertTrue(e.getMessage().startsWith(cluster.uri + path + ": close: ")
                    && e.getMessage().contains("Failed to replace a bad datanode"), e.getMessage());
            out.close(); // closed: quiet, as every second close
            assertFalse(cluster.hadoop().isFileClosed(new Path(path)), "the NameNode does not call it complete");
            // What the hflush made visible is what a reader gets, no more
            FileInfo info = fs.info(path);
            assertEquals(flushed, info.size(), info.toString());
            try (RandomAccessInput in = fs.openRandomAccess(path); Buffer back = in.readBufferAt(0, content.length,
                    MemoryPool.defaultPool())) {
                assertArrayEquals(Arrays.copyOf(content, flushed), back.toByteArray());
            }
        }
    }

    /**
     * Options for reads that go to the NameNode: the client fetches the locations of one block at open (not of
     * the whole file), and keeps an idle NameNode connection for a minute, so a restarted NameNode's closed
     * connection is still there at the next read however long the restart took.
     */
    private static final Map<String, String> NAME_NODE_READS = Map.of(
            "dfs.client.read.prefetch.size", Integer.toString(1 << 20),
            "ipc.client.connection.maxidletime", "60000");

    @Test
    @Order(3)
    void aNameNodeRestartedBetweenTwoReadsOfAnOpenFileIsRiddenOut() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        try (QuiverFileSystem fs = client(NAME_NODE_READS); RandomAccessInput in = fs.openRandomAccess("/big")) {
            try (Buffer head = in.readBuffer(2 << 20, pool)) {
                assertArrayEquals(Arrays.copyOf(data, 2 << 20), head.toByteArray());
            }
            cluster.cluster.restartNameNode(true);
            cluster.cluster.waitFirstBRCompleted(0, 30_000);
            // Both need block locations from the new NameNode, over a new connection
            try (Buffer far = in.readBufferAt(20 << 20, 2 << 20, pool)) {
                assertArrayEquals(Arrays.copyOfRange(data, 20 << 20, 22 << 20), far.toByteArray(), "positional");
            }
            try (Buffer next = in.readBuffer(2 << 20, pool)) {
                assertArrayEquals(Arrays.copyOfRange(data, 2 << 20, 4 << 20), next.toByteArray(), "sequential");
            }
        }
        assertEquals(before, pool.bytesAllocated(), "the pool's accounting is exact");
    }

    @Test
    @Order(4)
    void aReadWhileTheNameNodeRestartsWaitsForIt() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        Map<String, String> options = new HashMap<>(NAME_NODE_READS);
        options.put("connect_timeout", "60");
        try (QuiverFileSystem fs = client(options); RandomAccessInput in = fs.openRandomAccess("/big")) {
            try (Buffer head = in.readBuffer(1 << 20, pool)) {
                assertArrayEquals(Arrays.copyOf(data, 1 << 20), head.toByteArray());
            }
            cluster.cluster.shutdownNameNode(0);
            AtomicBoolean back = new AtomicBoolean();
            AtomicReference<Throwable> restartFailure = new AtomicReference<>();
            Thread restarter = new Thread(() -> {
                try {
                    Thread.sleep(1000);
                    cluster.cluster.restartNameNode(false);
                    back.set(true);
                } catch (Throwable t) {
                    restartFailure.set(t);
                }
            }, "NameNode restarter");
            restarter.start();
            boolean askedWhileDown = !back.get();
            long start = System.nanoTime();
            try (Buffer far = in.readBufferAt(20 << 20, 2 << 20, pool)) {
                System.out.printf("a read while the NameNode restarted took %.1f s%n",
                        (System.nanoTime() - start) / 1e9);
                assertArrayEquals(Arrays.copyOfRange(data, 20 << 20, 22 << 20), far.toByteArray());
            } finally {
                restarter.join();
                assertTrue(back.get(), "restarted: " + restartFailure.get());
                cluster.cluster.waitActive();
                cluster.cluster.waitFirstBRCompleted(0, 30_000);
            }
            assertTrue(askedWhileDown, "the read was asked for while the NameNode was down");
        }
        assertEquals(before, pool.bytesAllocated(), "the pool's accounting is exact");
    }

    @Test
    @Order(5)
    void aDataNodeStoppedMidReadIsReplacedByAReplica() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        try (QuiverFileSystem fs = client(Map.of()); RandomAccessInput in = fs.openRandomAccess("/big")) {
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
    @Order(6)
    void noLiveDataNodeIsAClearErrorNotAHang() throws Exception {
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        // Fail fast: one round over the replicas, short waits between rounds.
        Map<String, String> options = Map.of("dfs.client.max.block.acquire.failures", "1",
                "dfs.client.retry.window.base", "10");
        try (QuiverFileSystem fs = client(options); RandomAccessInput in = fs.openRandomAccess("/big")) {
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
    @Order(7)
    void aStoppedNameNodeIsAClearErrorWithinTheBound() throws Exception {
        Map<String, String> options = new HashMap<>(NAME_NODE_READS);
        options.put("connect_timeout", "3");
        try (QuiverFileSystem fs = client(options); RandomAccessInput in = fs.openRandomAccess("/big")) {
            assertTrue(fs.info("/big").isFile(), "reachable before");
            cluster.cluster.shutdownNameNode(0);
            long readStart = System.nanoTime();
            ConnectException read = assertThrows(ConnectException.class,
                    () -> in.readBufferAt(20 << 20, 1 << 20, MemoryPool.defaultPool()));
            double readSeconds = (System.nanoTime() - readStart) / 1e9;
            System.out.printf("no NameNode for a read: %.1f s: %s%n", readSeconds, read.getMessage());
            assertTrue(read.getMessage().contains("NameNode unreachable")
                    && read.getMessage().contains("connect_timeout=3.0 s")
                    && read.getMessage().contains("readBufferAt /big"), read.getMessage());
            assertTrue(readSeconds >= 1.5 && readSeconds < 3 + 2, "gave up after " + readSeconds + " s for 3 s");
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

    @Test
    @Order(8)
    void aNameNodeThatKnowsNoBlockLocationAfterARestartIsAClearErrorWithinTheBound() throws Exception {
        // Every DataNode is gone (order 6): the restarted NameNode stays in safe mode, with no location to give
        cluster.cluster.restartNameNode(false);
        try (QuiverFileSystem fs = client(Map.of("connect_timeout", "2"))) {
            long start = System.nanoTime();
            IOException e = assertThrows(IOException.class, () -> fs.openRandomAccess("/big"));
            double seconds = (System.nanoTime() - start) / 1e9;
            System.out.printf("NameNode without block locations: %.1f s: %s%n", seconds, e.getMessage());
            assertTrue(e.getMessage().startsWith(cluster.uri + "/big: open for reading: Zero blocklocations for /big.")
                    && e.getMessage().contains("(the NameNode is starting; gave up after")
                    && e.getMessage().contains("connect_timeout=2.0 s)"), e.getMessage());
            assertTrue(seconds >= 1 && seconds < 2 + 2, "gave up after " + seconds + " s for a bound of 2 s");
        }
    }
}
