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
import org.quiver.io.CopyFiles;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;
import org.quiver.io.StreamOptions;
import org.quiver.io.SubTreeFileSystem;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.ReadRangeCache;
import org.quiver.platform.internal.FileCommands;
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
    static QuiverFileSystem fs;
    static DistributedFileSystem hadoop;
    private static final AtomicInteger COUNTER = new AtomicInteger();

    @BeforeAll
    static void start() throws IOException {
        cluster = new TestCluster(3);
        fs = QuiverFileSystem.fromUri(cluster.uri);
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
        protected QuiverFileSystem fileSystem() {
            return fs;
        }

        @Override
        protected String newEmptyDirectory() throws IOException {
            String dir = newPath("dir");
            fs.createDirectory(dir, true);
            return dir;
        }
    }

    /** The same contract on a sub-tree of HDFS (pyarrow's {@code SubTreeFileSystem(base_path, hdfs)}). */
    @Nested
    class SubTreeContract extends FileSystemContract {
        private final String root = newPath("tree");

        @Override
        protected QuiverFileSystem fileSystem() throws IOException {
            return SubTreeFileSystem.of(root, fs);
        }

        @Override
        protected String newEmptyDirectory() throws IOException {
            String dir = "/case" + COUNTER.incrementAndGet();
            fs.createDirectory(root + dir, true);
            return dir;
        }
    }

    /** What {@code metadata()} of an HDFS file gives. */
    static final java.util.Set<String> HDFS_KEYS = java.util.Set.of("size", "mtime", "atime", "owner", "group",
            "permissions", "replication", "block_size", "erasure_coded", "encrypted");

    /** Outputs whose bytes Hadoop's own client reads back. */
    abstract static class HdfsOutputContract extends NativeFileContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return HDFS_KEYS;
        }

        final Map<SequentialOutput, String> paths = new IdentityHashMap<>();

        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof SequentialInput ? "HdfsInputFile" : "HdfsOutputFile";
        }

        abstract SequentialOutput open(String path) throws IOException;

        @Override
        protected SequentialOutput openOutput(int expectedSize) throws IOException {
            String p = newPath("out");
            SequentialOutput f = open(p);
            paths.put(f, p);
            return f;
        }

        @Override
        protected byte[] written(SequentialOutput file) throws IOException {
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
        protected java.util.Set<String> metadataKeys() {
            return HDFS_KEYS;
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            String p = newPath("in");
            hadoopWrite(p, content);
            return fs.openRandomAccess(p);
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class Writing extends HdfsOutputContract {
        @Override
        SequentialOutput open(String path) throws IOException {
            return fs.openOutput(path);
        }

        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }
    }

    @Nested
    class Appending extends HdfsOutputContract {
        @Override
        SequentialOutput open(String path) throws IOException {
            return fs.openAppend(path);
        }

        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }
    }

    /** The hostile variant: a client with the smallest stream buffers and blocks Hadoop allows. */
    @Nested
    class TinyBuffersAndBlocks extends HdfsOutputContract {
        private QuiverFileSystem tiny() throws IOException {
            return QuiverFileSystem.fromUri(URI.create(cluster.uri + "/?buffer_size=512&default_block_size=65536"));
        }

        @Override
        SequentialOutput open(String path) throws IOException {
            try (QuiverFileSystem t = tiny()) {
                return t.openOutput(path);
            }
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            String p = newPath("in");
            try (QuiverFileSystem t = tiny()) {
                try (SequentialOutput out = t.openOutput(p)) {
                    out.write(content);
                }
                return t.openRandomAccess(p);
            }
        }
    }

    // ---- registry, handles and options ----------------------------------------------------------------------

    @Test
    void theRegistryServesHdfsUris() throws IOException {
        assertTrue(QuiverFileSystem.supportedSchemes().contains("hdfs"), QuiverFileSystem.supportedSchemes().toString());
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
        QuiverFileSystem handle = QuiverFileSystem.fromUri(cluster.uri);
        handle.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> handle.info("/"));
        assertEquals("closed", e.getMessage());
        assertTrue(fs.info("/").isDirectory(), "a handle of the same connection still works");
    }

    @Test
    void optionsFromTheQueryAndTheMap() throws IOException {
        String p = newPath("replicated");
        try (QuiverFileSystem two = QuiverFileSystem.fromUri(URI.create(cluster.uri + "/?replication=2&default_block_size=1048576"))) {
            try (SequentialOutput out = two.openOutput(p)) {
                out.write(random(3 << 20));
            }
        }
        FileStatus s = hadoop.getFileStatus(new Path(p));
        assertEquals(2, s.getReplication());
        assertEquals(1 << 20, s.getBlockSize());
        assertEquals(3, hadoop.getFileBlockLocations(s, 0, s.getLen()).length, "three 1 MiB blocks");

        String q = newPath("map-wins");
        try (QuiverFileSystem one = QuiverFileSystem.fromUri(URI.create(cluster.uri + "/?replication=2"),
                Map.of("replication", "1", "dfs.client.block.write.locateFollowingBlock.retries", "7"))) {
            try (SequentialOutput out = one.openOutput(q)) {
                out.write(new byte[] {1});
            }
        }
        assertEquals(1, hadoop.getFileStatus(new Path(q)).getReplication(), "the option map wins over the query");

        String r = newPath("as-alice");
        try (QuiverFileSystem alice = QuiverFileSystem.fromUri(URI.create("hdfs://alice@127.0.0.1:" + cluster.uri.getPort()))) {
            assertEquals("/user/alice/x", alice.normalize("x"));
            fs.createDirectory(r.substring(0, r.lastIndexOf('/')), true);
            hadoop.setPermission(new Path(r.substring(0, r.lastIndexOf('/'))), new FsPermission((short) 0777));
            try (SequentialOutput out = alice.openOutput(r)) {
                out.write(new byte[] {1});
            }
        }
        assertEquals("alice", hadoop.getFileStatus(new Path(r)).getOwner(), "the user in the URI writes");

        try (QuiverFileSystem viaDefault = QuiverFileSystem.fromUri(URI.create("hdfs:///"),
                Map.of("fs.defaultFS", cluster.uri.toString()))) {
            assertTrue(viaDefault.info(r).isFile(), "host 'default' reads fs.defaultFS");
            assertEquals(URI.create(uri(r)), viaDefault.toUri(r));
        }
    }

    @Test
    void badOptionsAreNamed() {
        IllegalArgumentException unknown = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(cluster.uri, Map.of("replicaton", "2")));
        assertTrue(unknown.getMessage().contains("'replicaton'") && unknown.getMessage().contains("replication"),
                unknown.getMessage());
        IllegalArgumentException notNumber = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(URI.create(cluster.uri + "/?port=http")));
        assertTrue(notNumber.getMessage().contains("port") && notNumber.getMessage().contains("'http'"),
                notNumber.getMessage());
        IllegalArgumentException range = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(cluster.uri, Map.of("replication", "-1")));
        assertTrue(range.getMessage().contains("replication out of range: -1"), range.getMessage());
        IllegalArgumentException buffer = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(cluster.uri, Map.of("buffer_size", "1")));
        assertTrue(buffer.getMessage().contains("buffer_size out of range: 1"), buffer.getMessage());
        IllegalArgumentException timeout = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(cluster.uri, Map.of("connect_timeout", "0")));
        assertTrue(timeout.getMessage().contains("connect_timeout"), timeout.getMessage());
        IllegalArgumentException noDefault = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(URI.create("hdfs:///x"), Map.of("fs.defaultFS", "file:///")));
        assertTrue(noDefault.getMessage().contains("fs.defaultFS") && noDefault.getMessage().contains("file:///"),
                noDefault.getMessage());
        NoSuchFileException ticket = assertThrows(NoSuchFileException.class,
                () -> QuiverFileSystem.fromUri(cluster.uri, Map.of("kerb_ticket", "/nonexistent/krb5cc_0")));
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
        try (QuiverFileSystem bob = QuiverFileSystem.fromUri(cluster.uri, Map.of("user", "bob"))) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> bob.openInput(p));
            assertTrue(e.getMessage().contains("'bob'") && e.getMessage().contains(p)
                    && e.getMessage().contains("permission denied"), e.getMessage());
            AccessDeniedException write = assertThrows(AccessDeniedException.class, () -> bob.openOutput(p));
            assertTrue(write.getMessage().contains("open for writing"), write.getMessage());
            assertThrows(AccessDeniedException.class, () -> bob.deleteFile(p));
            assertTrue(bob.info(p).isFile(), "the name is visible; the content is not");
        }
        try (QuiverFileSystem alice = QuiverFileSystem.fromUri(cluster.uri, Map.of("user", "alice"));
                SequentialInput in = alice.openInput(p)) {
            assertEquals("for alice only", new String(in.readAll(), StandardCharsets.UTF_8));
        }
        assertArrayEquals("for alice only".getBytes(StandardCharsets.UTF_8), hadoopRead(p), "nothing was lost");
    }

    // ---- interoperation and data paths ----------------------------------------------------------------------

    @Test
    void hadoopReadsWhatQuiverWritesAndTheOtherWayRound() throws IOException {
        byte[] data = random(5 << 20);
        String ours = newPath("by-quiver");
        try (SequentialOutput out = fs.openOutput(ours); Buffer b = Buffer.wrap(data)) {
            out.write(b, 0, 1 << 20);
            out.write(data, 1 << 20, data.length - (1 << 20));
        }
        assertArrayEquals(data, hadoopRead(ours));
        String theirs = newPath("by-hadoop");
        hadoopWrite(theirs, data);
        try (RandomAccessInput in = fs.openRandomAccess(theirs)) {
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
        try (SequentialOutput out = fs.openOutput(p)) {
            out.write("first".getBytes(StandardCharsets.UTF_8));
            out.flush();
            try (SequentialInput in = fs.openInput(p)) {
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
            try (SequentialOutput out = NativeFiles.openOutput(u)) {
                out.write(data);
            }
            long stored = hadoop.getFileStatus(new Path(URI.create(u).getPath())).getLen();
            assertTrue(stored < data.length / 10, c + " stored " + stored + " of " + data.length);
            try (SequentialInput in = NativeFiles.openInput(u)) {
                assertArrayEquals(data, in.readAll(), c.toString());
            }
        }
    }

    /** pyarrow's {@code open_append_stream(path, compression="gzip", buffer_size=...)} on HDFS, read by Hadoop too. */
    @Test
    void compressedAppendsWithABufferReadAsOneStream() throws IOException {
        String p = newPath("events.log.gz");
        byte[] first = "first batch\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        byte[] second = "second batch\n".getBytes(StandardCharsets.UTF_8);
        try (SequentialOutput out = fs.openOutput(p, StreamOptions.detect().withBufferSize(1024))) {
            out.write(first);
        }
        try (SequentialOutput out = fs.openAppend(p, StreamOptions.detect().withBufferSize(3))) {
            out.write(second);
        }
        byte[] stored = hadoopRead(p);
        assertEquals(0x1f, stored[0] & 0xff, "gzip by the extension");
        try (java.util.zip.GZIPInputStream hadoopSide = new java.util.zip.GZIPInputStream(
                new java.io.ByteArrayInputStream(stored))) {
            assertEquals(new String(first, StandardCharsets.UTF_8) + new String(second, StandardCharsets.UTF_8),
                    new String(hadoopSide.readAllBytes(), StandardCharsets.UTF_8), "two members, one stream");
        }
        try (SequentialInput in = fs.openInput(p, StreamOptions.detect().withBufferSize(100))) {
            assertEquals(first.length + second.length, in.readAll().length);
        }
        try (SequentialInput raw = fs.openInput(p)) {
            assertArrayEquals(stored, raw.readAll(), "openInput(path) reads the stored bytes");
        }
    }

    /** pyarrow's {@code metadata()} on HDFS: the NameNode's file status, asked at the call, through every layer. */
    @Test
    void metadataIsTheFileStatus() throws IOException {
        String p = newPath("status.json.gz");
        try (SequentialOutput out = fs.openOutput(p, StreamOptions.detect())) {
            out.write("{}".getBytes(StandardCharsets.UTF_8));
        }
        hadoop.setPermission(new Path(p), new FsPermission((short) 0640));
        FileStatus status = hadoop.getFileStatus(new Path(p));
        try (RandomAccessInput file = fs.openRandomAccess(p);
                SequentialInput decoded = fs.openInput(p, StreamOptions.detect().withBufferSize(64))) {
            Map<String, String> m = file.metadata();
            assertEquals(java.util.List.of("size", "mtime", "atime", "owner", "group", "permissions", "replication",
                    "block_size", "erasure_coded", "encrypted"), java.util.List.copyOf(m.keySet()), "a stable order");
            assertEquals(Long.toString(status.getLen()), m.get("size"));
            assertEquals(java.time.Instant.ofEpochMilli(status.getModificationTime()).toString(), m.get("mtime"));
            assertEquals(status.getOwner(), m.get("owner"));
            assertEquals(status.getGroup(), m.get("group"));
            assertEquals("rw-r-----", m.get("permissions"));
            assertEquals(Short.toString(status.getReplication()), m.get("replication"));
            assertEquals(Long.toString(status.getBlockSize()), m.get("block_size"));
            assertEquals("false", m.get("encrypted"));
            assertEquals(m, decoded.metadata(), "a decompressing, buffered stream gives its file's metadata");
            try (SequentialInput range = file.openRange(0, 4)) {
                assertEquals(m, range.metadata());
            }
            hadoop.delete(new Path(p), false);
            NoSuchFileException gone = assertThrows(NoSuchFileException.class, file::metadata);
            assertTrue(gone.getMessage().contains(p) && gone.getMessage().contains("metadata"), gone.getMessage());
        }
    }

    /** pyarrow's {@code copy_files} from the local disk to HDFS and back, and {@code quiver:cp -r} the same way. */
    @Test
    void treesCopyToHdfsAndBack(@TempDir java.nio.file.Path local) throws IOException {
        java.nio.file.Path src = Files.createDirectories(local.resolve("src/a/b"));
        Files.createDirectories(local.resolve("src/empty"));
        Map<String, byte[]> expected = new java.util.TreeMap<>();
        Random random = new Random(7);
        for (String name : new String[] {"top.bin", "a/one.bin", "a/b/two.bin", "a/b/zero.bin"}) {
            byte[] data = new byte[name.startsWith("a/b/zero") ? 0 : 100_000 + random.nextInt(300_000)];
            random.nextBytes(data);
            Files.write(local.resolve("src").resolve(name), data);
            expected.put(name, data);
        }
        String remote = newPath("copied");
        java.util.List<CopyFiles.Progress> progress = new java.util.ArrayList<>();
        CopyFiles.Result up = CopyFiles.between(QuiverFileSystem.local(), local.resolve("src").toString(), fs, remote)
                .chunkSize(64 << 10).threads(3).listener(progress::add).run();
        assertEquals(4, up.files());
        assertEquals(4, up.directories(), "copied, a, a/b, empty");
        assertTrue(progress.getLast().isComplete());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), hadoopRead(remote + "/" + e.getKey()), e.getKey());
        }
        assertTrue(hadoop.getFileStatus(new Path(remote + "/empty")).isDirectory());
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        PrintStream saved = System.out;
        System.setOut(new PrintStream(log, true, StandardCharsets.UTF_8));
        String report;
        try {
            report = new FileCommands().cp(true, uri(remote), local.resolve("back").toString());
        } finally {
            System.setOut(saved);
        }
        assertTrue(report.startsWith("copied 4 files (") && report.contains(uri(remote)), report);
        assertTrue(log.toString(StandardCharsets.UTF_8).contains("copied 4/4 files"), log.toString());
        for (Map.Entry<String, byte[]> e : expected.entrySet()) {
            assertArrayEquals(e.getValue(), Files.readAllBytes(local.resolve("back").resolve(e.getKey())), e.getKey());
        }
        assertTrue(Files.isDirectory(local.resolve("back/empty")));
    }

    /** Arrow's {@code ReadRangeCache} on HDFS: 300 small ranges of a file fetched as a few positional reads. */
    @Test
    void cachedRangesAreReadAsAFewLargeOnes() throws IOException {
        String p = newPath("columns.bin");
        byte[] data = new byte[3 << 20];
        new Random(11).nextBytes(data);
        hadoopWrite(p, data);
        java.util.List<ReadRangeCache.Range> ranges = new java.util.ArrayList<>();
        for (long at = 0; ranges.size() < 300; at += 10_000) {
            ranges.add(new ReadRangeCache.Range(at, 2000 + (at % 3000)));
        }
        try (RandomAccessInput file = fs.openRandomAccess(p);
                ReadRangeCache cache = ReadRangeCache.of(file, ReadRangeCache.Options.DEFAULT)) {
            cache.cache(ranges);
            assertEquals(1, cache.mergedRanges().size(), "holes of 8 KiB at most, 3 MiB in all");
            for (ReadRangeCache.Range r : ranges) {
                try (Buffer b = cache.read(r.offset(), r.length())) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, (int) r.offset(), (int) r.end()),
                            b.toByteArray(), r.toString());
                }
            }
            java.io.EOFException past = assertThrows(java.io.EOFException.class,
                    () -> cache.cache(java.util.List.of(new ReadRangeCache.Range(data.length - 1, 2))));
            assertTrue(past.getMessage().contains("size=" + data.length), past.getMessage());
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
        try (RandomAccessInput in = fs.openRandomAccess(p); Buffer b = in.readBuffer(1 << 20, pool)) {
            assertEquals(before + (1 << 20), pool.bytesAllocated(), "exactly the bytes asked for, from the pool");
            assertNotNull(b.asSegment());
            assertTrue(b.asSegment().isNative());
            assertArrayEquals(java.util.Arrays.copyOf(data, 1 << 20), b.toByteArray());
        }
        assertEquals(before, pool.bytesAllocated());
        assertInstanceOf(HdfsInputFile.class, fs.openInput(p)).close();
    }
}
