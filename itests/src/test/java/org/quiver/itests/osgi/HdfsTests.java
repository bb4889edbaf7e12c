package org.quiver.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.lang.reflect.InvocationTargetException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.quiver.itests.TestHdfs;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * io-hdfs inside the framework, against a real HDFS the driver started ({@link TestHdfs}): the bundle
 * resolves with the Hadoop client embedded, registers the {@code hdfs} scheme, reads and writes files on the
 * cluster (plain and compressed), serves the {@code quiver:cp} and {@code quiver:cat} commands, and takes its
 * clients with it when it stops.
 */
public abstract class HdfsTests extends NativeIoTests {

    static final String IO_HDFS_BSN = "org.quiver.io.hdfs";

    private static String cluster() {
        String uri = System.getProperty(TestHdfs.PROPERTY);
        assertNotNull("the driver starts the cluster in @Configuration", uri);
        return uri;
    }

    private static String path(String name) {
        return "/osgi/" + System.nanoTime() + "/" + name;
    }

    private void awaitHdfs() {
        await(() -> QuiverFileSystem.supportedSchemes().contains("hdfs"), "the hdfs: provider");
    }

    @Test
    public void ioHdfsResolvesWithTheEmbeddedClientAndRegistersTheScheme() throws Exception {
        assertEquals(Bundle.ACTIVE, installed(IO_HDFS_BSN).getState());
        awaitHdfs();
        assertTrue(QuiverFileSystem.supportedSchemes().toString(), QuiverFileSystem.supportedSchemes().contains("file"));
        // host 'default' reads fs.defaultFS, which only core-default.xml inside the embedded client sets to
        // file:///: the message quoting it shows Hadoop found its defaults through the bundle's class loader.
        IllegalArgumentException noDefault = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri(URI.create("hdfs:///data")));
        assertTrue(noDefault.getMessage(), noDefault.getMessage().contains("but it is 'file:///'"));
    }

    @Test
    public void readsAndWritesOnTheCluster() throws Exception {
        awaitHdfs();
        byte[] data = pattern(3 << 20, 5);
        String p = path("data.bin");
        try (QuiverFileSystem fs = QuiverFileSystem.fromUri(URI.create(cluster()))) {
            assertEquals("hdfs", fs.scheme());
            try (SequentialOutput out = fs.openOutput(p)) {
                out.write(data);
            }
            List<FileInfo> listed = fs.list(FileSelector.recursive(p.substring(0, p.lastIndexOf('/'))));
            assertEquals(listed.toString(), 1, listed.size());
            assertEquals(data.length, listed.get(0).size());
            try (RandomAccessInput in = fs.openRandomAccess(p);
                    Buffer b = in.readBufferAt(1 << 20, 1 << 20, MemoryPool.defaultPool())) {
                assertEquals(data[(1 << 20) + 77], b.getByte(77));
                assertEquals(1 << 20, b.size());
            }
            String zst = cluster() + path("rows.csv.zst");
            try (SequentialOutput out = NativeFiles.openOutput(zst)) {
                out.write(data);
            }
            try (SequentialInput in = NativeFiles.openInput(zst)) {
                assertArrayEquals("zstd on HDFS inside OSGi", data, in.readAll());
            }
            fs.deleteFile(p);
            assertEquals(org.quiver.io.FileType.NOT_FOUND, fs.info(p).type());
        }
    }

    @Test
    public void shellCommandsCopyAndPrintHdfsUris() throws Exception {
        awaitHdfs();
        Path local = Files.createDirectories(context().getDataFile("cp-" + System.nanoTime()).toPath());
        Path source = Files.writeString(local.resolve("hello.txt"), "hello from OSGi\n");
        String target = cluster() + path("hello.txt.gz");
        String report = (String) command("cp", source.toString(), target);
        assertTrue(report, report.contains("copied 16 bytes") && report.contains(target));
        PrintStream saved = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            command("cat", target);
        } finally {
            System.setOut(saved);
        }
        assertEquals("hello from OSGi\n", printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    public void stoppingTheBundleClosesItsClientsAndARestartServesAgain() throws Exception {
        awaitHdfs();
        Bundle ioHdfs = installed(IO_HDFS_BSN);
        String p = path("kept.bin");
        QuiverFileSystem fs = QuiverFileSystem.fromUri(URI.create(cluster()));
        try (SequentialOutput out = fs.openOutput(p)) {
            out.write(pattern(1000, 9));
        }
        SequentialInput open = fs.openInput(p);
        ioHdfs.stop();
        try {
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                    () -> QuiverFileSystem.fromUri(URI.create(cluster())));
            assertTrue(gone.getMessage(), gone.getMessage().contains("'hdfs'"));
            IOException closed = assertThrows(IOException.class, open::readAll);
            assertTrue(closed.getMessage(), closed.getMessage().contains(p));
        } finally {
            ioHdfs.start();
        }
        open.close();
        fs.close();
        awaitHdfs();
        try (SequentialInput in = NativeFiles.openInput(cluster() + p)) {
            assertArrayEquals(pattern(1000, 9), in.readAll());
        }
    }

    /** Runs a {@code quiver:} shell command with string arguments through its service. */
    private Object command(String name, String... args) throws Exception {
        ServiceReference<?>[] refs = context().getServiceReferences((String) null,
                "(&(osgi.command.scope=quiver)(osgi.command.function=" + name + "))");
        assertNotNull("no quiver:" + name, refs);
        Object commands = context().getService(refs[0]);
        try {
            Class<?>[] types = new Class<?>[args.length];
            java.util.Arrays.fill(types, String.class);
            return commands.getClass().getMethod(name, types).invoke(commands, (Object[]) args);
        } catch (InvocationTargetException e) {
            throw e.getCause() instanceof Exception x ? x : e;
        } finally {
            context().ungetService(refs[0]);
        }
    }
}
