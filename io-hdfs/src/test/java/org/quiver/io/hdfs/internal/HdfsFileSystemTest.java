package org.quiver.io.hdfs.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.util.IdentityHashMap;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.permission.FsPermission;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.Compression;
import org.quiver.io.FileSystem;
import org.quiver.io.InputFile;
import org.quiver.io.NativeFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OutputFile;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.nativeio.internal.FileCommands;
import org.quiver.io.testing.FileSystemContract;
import org.quiver.io.testing.NativeFileContract;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * The {@code hdfs:} file system against a real HDFS (one NameNode, three DataNodes, replication 3, on
 * 127.0.0.1), started once for this class and its nested classes: the {@link FileSystemContract}, the
 * {@link NativeFileContract} for reading, writing and appending, the options, permissions, interoperation with
 * Hadoop's own client, compressed streams and the shell commands.
 */
class HdfsFileSystemTest {

    static TestCluster cluster;
    static FileSystem fs;
    static DistributedFileSystem hadoop;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        cluster = new TestCluster(3);
        fs = FileSystem.fromUri(cluster.uri);
        hadoop = cluster.hadoop();
    }

    @AfterAll
    static void stop() throws IOException {
        if (fs != null) {
            fs.close();
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    static String newPath(String name) {
        return "/t/" + COUNTER.incrementAndGet() + "/" + name;
    }

    static String uri(String path) {
        return cluster.uri + path;
    }

    static void hadoopWrite(String path, byte[] content) throws IOException {
        try (FSDataOutputStream out = hadoop.create(new Path(path))) {
            out.write(content);
        }
    }

    static byte[] hadoopRead(String path) throws IOException {
        try (FSDataInputStream in = hadoop.open(new Path(path))) {
            return in.readAllBytes();
        }
    }

    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    // ---- the contracts --------------------------------------------------------------------------------------

    @Nested
    class Contract extends FileSystemContract {
        @Override
        protected FileSystem fileSystem() {
            return fs;
        }

        @Override
        protected String newEmptyDirectory() throws IOException {
            String dir = newPath("dir");
            fs.createDirectory(dir, true);
            return dir;
        }
    }

    /** Outputs whose bytes Hadoop's own client reads back. */
    abstract static class HdfsOutputContract extends NativeFileContract {
        final Map<OutputFile, String> paths = new IdentityHashMap<>();

        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof InputFile ? "HdfsInputFile" : "HdfsOutputFile";
        }

        abstract OutputFile open(String path) throws IOException;

        @Override
        protected OutputFile openOutput(int expectedSize) throws IOException {
            String p = newPath("out");
            OutputFile f = open(p);
            paths.put(f, p);
            return f;
        }

        @Override
        protected byte[] written(OutputFile file) throws IOException {
            file.close();
            return hadoopRead(paths.get(file));
        }
    }

    @Nested
    class Reading extends NativeFileContract {
        @Override
        protected String expectedKind(NativeFile file) {
            return "HdfsInputFile";
        }

        @Override
        protected InputFile openInput(byte[] content) throws IOException {
            String p = newPath("in");
            hadoopWrite(p, content);
            return fs.openInputFile(p);
        }

        @Override
        protected OutputFile openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(OutputFile file) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class Writing extends HdfsOutputContract {
        @Override
        OutputFile open(String path) throws IOException {
            return fs.openOutputStream(path);
        }

        @Override
        protected InputFile openInput(byte[] content) {
            return null;
        }
    }

    @Nested
    class Appending extends HdfsOutputContract {
        @Override
        OutputFile open(String path) throws IOException {
            return fs.openAppendStream(path);
        }

        @Override
        protected InputFile openInput(byte[] content) {
            return null;
        }
    }

    /** The hostile variant: a client with the smallest stream buffers and blocks Hadoop allows. */
    @Nested
    class TinyBuffersAndBlocks extends HdfsOutputContract {
        private FileSystem tiny() throws IOException {
            return FileSystem.fromUri(URI.create(cluster.uri + "/?buffer_size=512&default_block_size=65536"));
        }

        @Override
        OutputFile open(String path) throws IOException {
            try (FileSystem t = tiny()) {
                return t.openOutputStream(path);
            }
        }

        @Override
        protected InputFile openInput(byte[] content) throws IOException {
            String p = newPath("in");
            try (FileSystem t = tiny()) {
                try (OutputFile out = t.openOutputStream(p)) {
                    out.write(content);
                }
                return t.openInputFile(p);
            }
        }
    }

    // ---- registry, handles and options ----------------------------------------------------------------------

    @Test
    void theRegistryServesHdfsUris() throws IOException {
        assertTrue(FileSystem.supportedSchemes().contains("hdfs"), FileSystem.supportedSchemes().toString());
        assertEquals("hdfs", fs.scheme());
        String p = newPath("a");
        assertEquals(p, fs.normalize(uri(p) + "?user=" + System.getProperty("user.name")));
        assertEquals(p, fs.normalize("hdfs://localhost:" + cluster.uri.getPort() + p), "localhost is 127.0.0.1");
        assertEquals(URI.create(uri(p)), fs.toUri(p));
        assertEquals("/user/" + System.getProperty("user.name") + "/rel/x", fs.normalize("rel/./x"),
                "relative paths resolve against the home directory");
        IllegalArgumentException other = assertThrows(IllegalArgumentException.class,
                () -> fs.normalize("hdfs://10.1.2.3:8020/x"));
        assertTrue(other.getMessage().contains("another NameNode"), other.getMessage());
        assertThrows(IllegalArgumentException.class, () -> fs.normalize("file:///x"));
    }

    @Test
    void aClosedHandleRefusesWorkButOthersGoOn() throws IOException {
        FileSystem handle = FileSystem.fromUri(cluster.uri);
        handle.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> handle.info("/"));
        assertEquals("closed", e.getMessage());
        assertTrue(fs.info("/").isDirectory(), "a handle of the same connection still works");
    }

    @Test
    void optionsFromTheQueryAndTheMap() throws IOException {
        String p = newPath("replicated");
        try (FileSystem two = FileSystem.fromUri(URI.create(cluster.uri + "/?replication=2&default_block_size=1048576"))) {
            try (OutputFile out = two.openOutputStream(p)) {
                out.write(random(3 << 20));
            }
        }
        FileStatus s = hadoop.getFileStatus(new Path(p));
        assertEquals(2, s.getReplication());
        assertEquals(1 << 20, s.getBlockSize());
        assertEquals(3, hadoop.getFileBlockLocations(s, 0, s.getLen()).length, "three 1 MiB blocks");

        String q = newPath("map-wins");
        try (FileSystem one = FileSystem.fromUri(URI.create(cluster.uri + "/?replication=2"),
                Map.of("replication", "1", "dfs.client.block.write.locateFollowingBlock.retries", "7"))) {
            try (OutputFile out = one.openOutputStream(q)) {
                out.write(new byte[] {1});
            }
        }
        assertEquals(1, hadoop.getFileStatus(new Path(q)).getReplication(), "the option map wins over the query");

        String r = newPath("as-alice");
        try (FileSystem alice = FileSystem.fromUri(URI.create("hdfs://alice@127.0.0.1:" + cluster.uri.getPort()))) {
            assertEquals("/user/alice/x", alice.normalize("x"));
            fs.createDirectory(r.substring(0, r.lastIndexOf('/')), true);
            hadoop.setPermission(new Path(r.substring(0, r.lastIndexOf('/'))), new FsPermission((short) 0777));
            try (OutputFile out = alice.openOutputStream(r)) {
                out.write(new byte[] {1});
            }
        }
        assertEquals("alice", hadoop.getFileStatus(new Path(r)).getOwner(), "the user in the URI writes");

        try (FileSystem viaDefault = FileSystem.fromUri(URI.create("hdfs:///"),
                Map.of("fs.defaultFS", cluster.uri.toString()))) {
            assertTrue(viaDefault.info(r).isFile(), "host 'default' reads fs.defaultFS");
            assertEquals(URI.create(uri(r)), viaDefault.toUri(r));
        }
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(cluster.uri, Map.of("replicaton", "2")));
        assertTrue(unknown.getMessage().contains("'replicaton'") && unknown.getMessage().contains("replication"),
                unknown.getMessage());
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(URI.create(cluster.uri + "/?port=http")));
        assertTrue(notNumber.getMessage().contains("port") && notNumber.getMessage().contains("'http'"),
                notNumber.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(cluster.uri, Map.of("replication", "-1")));
        assertTrue(range.getMessage().contains("replication out of range: -1"), range.getMessage());
        IllegalArgumentException buffer = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(cluster.uri, Map.of("buffer_size", "1")));
        assertTrue(buffer.getMessage().contains("buffer_size out of range: 1"), buffer.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(cluster.uri, Map.of("connect_timeout", "0")));
        assertTrue(timeout.getMessage().contains("connect_timeout"), timeout.getMessage());
        IllegalArgumentException noDefault = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri(URI.create("hdfs:///x"), Map.of("fs.defaultFS", "file:///")));
        assertTrue(noDefault.getMessage().contains("fs.defaultFS") && noDefault.getMessage().contains("file:///"),
                noDefault.getMessage());
        NoSuchFileException ticket = assertThrows(NoSuchFileException.class,
                () -> FileSystem.fromUri(cluster.uri, Map.of("kerb_ticket", "/nonexistent/krb5cc_0")));
        assertTrue(ticket.getMessage().contains("/nonexistent/krb5cc_0") && ticket.getMessage().contains("kerb_ticket"),
                ticket.getMessage());
    }

    // ---- permissions ----------------------------------------------------------------------------------------

    @Test
    void aFileOfAnotherUserWithMode600CannotBeRead() throws IOException {
        String p = newPath("secret");
        hadoopWrite(p, "for alice only".getBytes(StandardCharsets.UTF_8));
        hadoop.setOwner(new Path(p), "alice", "alice");
        hadoop.setPermission(new Path(p), new FsPermission((short) 0600));
        try (FileSystem bob = FileSystem.fromUri(cluster.uri, Map.of("user", "bob"))) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> bob.openInputStream(p));
            assertTrue(e.getMessage().contains("'bob'") && e.getMessage().contains(p)
                    && e.getMessage().contains("permission denied"), e.getMessage());
            AccessDeniedException write = assertThrows(AccessDeniedException.class, () -> bob.openOutputStream(p));
            assertTrue(write.getMessage().contains("open for writing"), write.getMessage());
            assertThrows(AccessDeniedException.class, () -> bob.deleteFile(p));
            assertTrue(bob.info(p).isFile(), "the name is visible; the content is not");
        }
        try (FileSystem alice = FileSystem.fromUri(cluster.uri, Map.of("user", "alice"));
                InputFile in = alice.openInputStream(p)) {
            assertEquals("for alice only", new String(in.readAll(), StandardCharsets.UTF_8));
        }
        assertArrayEquals("for alice only".getBytes(StandardCharsets.UTF_8), hadoopRead(p), "nothing was lost");
    }

    // ---- interoperation and data paths ----------------------------------------------------------------------

    @Test
    void hadoopReadsWhatQuiverWritesAndTheOtherWayRound() throws IOException {
        byte[] data = random(5 << 20);
        String ours = newPath("by-quiver");
        try (OutputFile out = fs.openOutputStream(ours); Buffer b = Buffer.wrap(data)) {
            out.write(b, 0, 1 << 20);
            out.write(data, 1 << 20, data.length - (1 << 20));
        }
        assertArrayEquals(data, hadoopRead(ours));
        String theirs = newPath("by-hadoop");
        hadoopWrite(theirs, data);
        try (RandomAccessInput in = fs.openInputFile(theirs)) {
            assertEquals(data.length, in.size());
            try (Buffer all = in.readBuffer(data.length + 10, MemoryPool.defaultPool())) {
                assertArrayEquals(data, all.toByteArray());
            }
            try (Buffer middle = in.readBufferAt(3_000_000, 1_500_000)) {
                byte[] expected = java.util.Arrays.copyOfRange(data, 3_000_000, 4_500_000);
                assertArrayEquals(expected, middle.toByteArray());
            }
        }
    }

    @Test
    void flushMakesBytesVisibleToReaders() throws IOException {
        String p = newPath("flushed");
        try (OutputFile out = fs.openOutputStream(p)) {
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try (InputFile in = fs.openInputStream(p)) {
                assertEquals("first", new String(in.readAll(), StandardCharsets.UTF_8));
            }
            out.write(" second".getBytes(StandardCharsets.UTF_8));
        }
        assertEquals("first second", new String(hadoopRead(p), StandardCharsets.UTF_8));
    }

    @Test
    void compressedStreamsByExtension() throws IOException {
        byte[] data = ("{\"row\": 1, \"text\": \"" + "x".repeat(10_000) + "\"}\n").repeat(50).getBytes(StandardCharsets.UTF_8);
        for (Compression c : new Compression[] {Compression.GZIP, Compression.ZSTD, Compression.LZ4_FRAME}) {
            String u = uri(newPath("rows.json." + c.extensions().get(0)));
            try (OutputFile out = NativeFiles.outputStream(u)) {
                out.write(data);
            }
            long stored = hadoop.getFileStatus(new Path(URI.create(u).getPath())).getLen();
            assertTrue(stored < data.length / 10, c + " stored " + stored + " of " + data.length);
            try (InputFile in = NativeFiles.inputStream(u)) {
                assertArrayEquals(data, in.readAll(), c.toString());
            }
        }
    }

    @Test
    void shellCommandsCopyAndPrintHdfsFiles(@TempDir java.nio.file.Path local) throws IOException {
        FileCommands commands = new FileCommands();
        java.nio.file.Path source = Files.writeString(local.resolve("hello.txt"), "hello, hdfs\n");
        String target = uri(newPath("hello.txt.zst"));
        String report = commands.cp(source.toString(), target);
        assertTrue(report.contains("copied 12 bytes") && report.contains(target) && report.contains("zstd"), report);
        java.nio.file.Path back = local.resolve("back.txt");
        commands.cp(target, back.toString());
        assertEquals("hello, hdfs\n", Files.readString(back));
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            commands.cat(target);
        } finally {
            System.setOut(saved);
        }
        assertEquals("hello, hdfs\n", printed.toString(StandardCharsets.UTF_8));
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> commands.cat(uri("/no/such")));
        assertTrue(missing.getMessage().contains("/no/such"), missing.getMessage());
    }

    @Test
    void readsGoStraightIntoPoolMemory() throws IOException {
        String p = newPath("direct");
        byte[] data = random(2 << 20);
        hadoopWrite(p, data);
        MemoryPool pool = MemoryPool.defaultPool();
        long before = pool.bytesAllocated();
        try (RandomAccessInput in = fs.openInputFile(p); Buffer b = in.readBuffer(1 << 20, pool)) {
            assertEquals(before + (1 << 20), pool.bytesAllocated(), "exactly the bytes asked for, from the pool");
            assertNotNull(b.asSegment());
            assertTrue(b.asSegment().isNative());
            assertArrayEquals(java.util.Arrays.copyOf(data, 1 << 20), b.toByteArray());
        }
        assertEquals(before, pool.bytesAllocated());
        assertInstanceOf(HdfsInputFile.class, fs.openInputStream(p)).close();
    }
}
