package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.internal.kit.Libc;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.NotRegularFileException;
import org.quiver.io.OSFile;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Files that are not plain files of known size: the kernel's pseudo files, whose size says 0 whatever they hold,
 * regular files read past their end, FIFOs and character devices. A test that could hang on a FIFO (when the
 * code under test opens it the blocking way) runs under a timeout, and teardown opens every FIFO from both ends
 * without blocking, which releases any thread left waiting in {@code open(2)}.
 */
class SpecialFilesTest extends OsFileTestBase {

    /** A procfs file whose content stays the same for the life of the process (its size says 0). */
    private static final Path PROC_FILE = Path.of("/proc/self/cmdline");

    /** More than an OS file reads without asking the size first, so that the size decides the read. */
    private static final int LARGE = 2 << 20;

    private static final Duration BOUND = Duration.ofSeconds(10);

    private final List<Path> fifos = new ArrayList<>();

    /** Creates a FIFO with the C library's {@code mkfifo}. */
    private Path mkfifo(String name) throws Throwable {
        Path p = dir.resolve(name);
        Linker linker = Linker.nativeLinker();
        MethodHandle mkfifo = linker.downcallHandle(linker.defaultLookup().find("mkfifo").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, (int) mkfifo.invokeExact(arena.allocateFrom(p.toString()), 0600), "mkfifo " + p);
        }
        fifos.add(p);
        return p;
    }

    /**
     * Creates a character device node with {@code mknod(2)} that is what {@code /dev/null} is (major 1, minor 3):
     * only root may. Elsewhere the test is skipped, except on CI, where it must run.
     */
    private Path mknodNull(String name) throws Throwable {
        Path p = dir.resolve(name);
        Linker linker = Linker.nativeLinker();
        MethodHandle mknod = linker.downcallHandle(linker.defaultLookup().find("mknod").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT,
                        ValueLayout.JAVA_LONG));
        int rc;
        try (Arena arena = Arena.ofConfined()) {
            rc = (int) mknod.invokeExact(arena.allocateFrom(p.toString()), Libc.S_IFCHR | 0600, (1L << 8) | 3);
        }
        if (rc != 0 && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.abort("mknod needs root here: " + p);
        }
        assertEquals(0, rc, "mknod " + p);
        return p;
    }

    /** Opens each FIFO from both ends without blocking, which ends any open(2) still waiting on it. */
    @AfterEach
    void releaseFifos() {
        for (Path fifo : fifos) {
            int reader = Libc.open(fifo.toString(), Libc.O_RDONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
            int writer = Libc.open(fifo.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0);
            Libc.close(writer);
            Libc.close(reader);
        }
    }

    private static byte[] procContent() throws IOException {
        byte[] content = Files.readAllBytes(PROC_FILE); // the JDK reads such a file to its end
        assertTrue(content.length > 20, "the test needs content: " + content.length + " bytes");
        return content;
    }

    private static byte[] bytes(Buffer b) {
        return b.toByteArray();
    }

    @Test
    void procFilesReadWhatIsThereAlthoughTheirSizeSaysZero() throws IOException {
        byte[] content = procContent();
        try (OSFile f = OSFile.open(PROC_FILE, FileMode.READ)) {
            assertEquals(0, f.size(), "the size the kernel reports");
            try (Buffer b = f.readBuffer(LARGE)) {
                assertArrayEquals(content, bytes(b), "readBuffer");
            }
            try (Buffer b = f.readBufferAt(0, LARGE)) {
                assertArrayEquals(content, bytes(b), "readBufferAt");
            }
            try (Buffer b = f.readBufferAt(10, LARGE)) {
                assertArrayEquals(Arrays.copyOfRange(content, 10, content.length), bytes(b), "readBufferAt(10)");
            }
            f.seek(10);
            assertEquals(10, f.tell());
            assertArrayEquals(Arrays.copyOfRange(content, 10, content.length), f.readAll(), "after seek(10)");
            byte[] four = new byte[4];
            assertEquals(4, f.readAt(5, four, 0, 4));
            assertArrayEquals(Arrays.copyOfRange(content, 5, 9), four);
        }
    }

    @Test
    void pastTheContentOfAProcFileIsTheEnd() throws IOException {
        byte[] content = procContent();
        try (OSFile f = OSFile.open(PROC_FILE, FileMode.READ)) {
            // its real size is unknown until read, so a position past the content reads as the end
            assertEquals(-1, f.readAt(content.length, new byte[4], 0, 4));
            assertEquals(-1, f.readAt(content.length + 100, new byte[4], 0, 4));
            try (Buffer b = f.readBufferAt(content.length + 100, LARGE)) {
                assertEquals(0, b.size());
            }
            f.seek(content.length + 100); // POSIX and pyarrow allow it; reading there finds the end
            assertEquals(-1, f.read(new byte[4], 0, 4));
        }
    }

    @Test
    void mapsRefuseFilesWhoseSizeIsUnknown() {
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> MemoryMappedFile.open(PROC_FILE, FileMode.READ).close());
        assertEquals(PROC_FILE.toString(), e.getFile());
        assertTrue(e.getMessage().contains("size 0") && e.getMessage().contains("OSFile"), e.getMessage());
    }

    /**
     * A file of sysfs reports a size (a page) and reads as a regular file, but its file system has no mmap: the
     * map fails with ENODEV, which said only {@code No such device}. The message says what it is and names the
     * path.
     */
    @Test
    void mapsOfSysFilesSayTheFileSystemCannotBeMapped() {
        Path sys = Path.of("/sys/devices/system/cpu/online");
        if (!Files.isReadable(sys) && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            org.junit.jupiter.api.Assumptions.abort("no sysfs here: " + sys);
        }
        FileSystemException e = assertThrows(FileSystemException.class,
                () -> MemoryMappedFile.open(sys, FileMode.READ).close());
        assertEquals(sys.toString(), e.getFile());
        assertTrue(e.getMessage().contains("special file system") && e.getMessage().contains("cannot be memory-mapped")
                && e.getMessage().contains("OSFile"), e.getMessage());
    }

    @Test
    void channelsOfProcFilesReadWhatIsThere() throws IOException {
        byte[] content = procContent();
        try (RandomAccessInput f = NativeFiles.wrap(FileChannel.open(PROC_FILE, StandardOpenOption.READ))) {
            byte[] four = new byte[4];
            assertEquals(4, f.readAt(5, four, 0, 4));
            assertArrayEquals(Arrays.copyOfRange(content, 5, 9), four);
            try (Buffer b = f.readBufferAt(0, LARGE, MemoryPool.defaultPool())) {
                assertArrayEquals(content, bytes(b));
            }
            assertEquals(-1, f.readAt(content.length + 100, four, 0, 4));
        }
    }

    @Test
    void largeReadsOfRegularFilesStopAtTheirEnd() throws IOException {
        byte[] data = new byte[(3 << 20) / 2];
        new Random(1).nextBytes(data);
        Path p = Files.write(dir.resolve("large"), data);
        try (OSFile f = OSFile.open(p, FileMode.READ)) {
            try (Buffer b = f.readBufferAt(0, 4 << 20)) {
                assertArrayEquals(data, bytes(b));
            }
            try (Buffer b = f.readBufferAt(data.length, 4 << 20)) {
                assertEquals(0, b.size());
            }
            try (Buffer b = f.readBufferAt(data.length + 1, 4 << 20)) {
                assertEquals(0, b.size(), "past the end: nothing");
            }
            assertEquals(-1, f.readAt(data.length + 1, new byte[1], 0, 1));
        }
    }

    // ---- FIFOs and devices ----------------------------------------------------------------------------------

    @Test
    void osFilesRefuseFifosWithoutWaitingForTheOtherEnd() throws Throwable {
        Path fifo = mkfifo("pipe");
        for (FileMode mode : FileMode.values()) {
            NotRegularFileException e = assertTimeoutPreemptively(BOUND,
                    () -> assertThrows(NotRegularFileException.class, () -> OSFile.open(fifo, mode).close()),
                    "open " + mode + " must not wait for a writer");
            assertEquals("FIFO", e.fileType());
            assertEquals(fifo.toString(), e.getFile());
            assertTrue(e.getMessage().contains("open " + mode) && e.getMessage().contains("ALLOW_FIFO"),
                    e.getMessage());
        }
        Path gz = mkfifo("pipe.gz");
        NotRegularFileException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                NotRegularFileException.class, () -> NativeFiles.openInput(gz.toString()).close()),
                "NativeFiles.openInput of a .gz FIFO");
        assertTrue(e.getMessage().contains("pipe.gz"), e.getMessage());
        assertTimeoutPreemptively(BOUND, () -> assertThrows(NotRegularFileException.class,
                () -> QuiverFileSystem.local().openInput(fifo.toString())), "the file: file system");
        NotRegularFileException copy = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                NotRegularFileException.class, () -> QuiverFileSystem.local().copyFile(fifo.toString(),
                        dir.resolve("copy").toString())), "copyFile (Files.copy opens the FIFO and waits)");
        assertTrue(copy.getMessage().contains("copyFile"), copy.getMessage());
        assertFalse(Files.exists(dir.resolve("copy")));
        assertThrows(NotRegularFileException.class,
                () -> QuiverFileSystem.local().copyFile("/dev/zero", dir.resolve("zeros").toString()), "an endless copy");
    }

    /**
     * {@code Files.copy} and {@code Files.move} with {@code REPLACE_EXISTING} would delete a FIFO or a device node
     * at the destination and put a regular file there (as root, {@code copyFile(x, "/dev/null")} would replace
     * {@code /dev/null}); both are refused, naming the destination and what it is, and left as they were.
     */
    @Test
    void copyAndMoveRefuseToReplaceAFifoOrADevice() throws Throwable {
        Path src = Files.writeString(dir.resolve("src"), "payload");
        Path fifo = mkfifo("fifo-target");
        Path device = mknodNull("null-target");
        QuiverFileSystem fs = QuiverFileSystem.local();
        for (Path target : List.of(fifo, device)) {
            String type = target == fifo ? "FIFO" : "character device";
            NotRegularFileException copy = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                    NotRegularFileException.class, () -> fs.copyFile(src.toString(), target.toString())));
            NotRegularFileException move = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                    NotRegularFileException.class, () -> fs.move(src.toString(), target.toString())));
            for (NotRegularFileException e : List.of(copy, move)) {
                assertEquals(target.toString(), e.getFile());
                assertEquals(type, e.fileType());
                assertTrue(e.getMessage().contains(" from " + src), e.getMessage());
            }
            assertFalse(Files.isRegularFile(target, java.nio.file.LinkOption.NOFOLLOW_LINKS), target + " stays");
        }
        assertEquals("payload", Files.readString(src), "the source stays");
    }

    @Test
    void mapsRefuseFifosAndDevicesWithoutWaiting() throws Throwable {
        Path fifo = mkfifo("mapped");
        for (FileMode mode : new FileMode[] {FileMode.READ, FileMode.READ_WRITE, FileMode.WRITE}) {
            NotRegularFileException e = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                    NotRegularFileException.class, () -> MemoryMappedFile.open(fifo, mode).close()), "map " + mode);
            assertTrue(e.getMessage().contains("memory map " + mode) && e.getMessage().contains("FIFO"),
                    e.getMessage());
        }
        assertTimeoutPreemptively(BOUND, () -> assertThrows(NotRegularFileException.class,
                () -> MemoryMappedFile.create(fifo, 100).close()), "create over a FIFO");
        NotRegularFileException e = assertThrows(NotRegularFileException.class,
                () -> MemoryMappedFile.open(Path.of("/dev/zero"), FileMode.READ).close());
        assertEquals("character device", e.fileType());
    }

    @Test
    void anAllowedFifoReadsAsAStream() throws Throwable {
        Path fifo = mkfifo("stream.gz");
        byte[] data = new byte[300_000];
        new Random(7).nextBytes(data);
        OSFile raw = assertTimeoutPreemptively(BOUND, () -> OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO),
                "opening with ALLOW_FIFO does not wait for a writer");
        try (SequentialInput in = NativeFiles.decompressing(raw, Compression.GZIP)) {
            assertFalse(raw.isSeekable());
            assertThrows(UnsupportedOperationException.class, raw::size);
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (OutputStream out = new GZIPOutputStream(new FileOutputStream(fifo.toFile()))) {
                    out.write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(data, assertTimeoutPreemptively(BOUND, () -> in.readAll()));
            writer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
    }

    @Test
    void aReadOfAnAllowedFifoWaitsForTheWriterAndEndsOnInterrupt() throws Throwable {
        Path fifo = mkfifo("waiting");
        try (OSFile in = OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO)) {
            AtomicReference<Object> outcome = new AtomicReference<>();
            Thread reader = new Thread(() -> {
                try {
                    outcome.set(in.read(new byte[10], 0, 10));
                } catch (IOException | RuntimeException e) {
                    outcome.set(e);
                }
            });
            reader.start();
            reader.join(300);
            assertTrue(reader.isAlive(), "no writer yet: the read waits, it does not report the end: " + outcome);
            reader.interrupt();
            reader.join(BOUND.toMillis());
            assertFalse(reader.isAlive(), "the interrupt ended the wait");
            InterruptedIOException e = assertInstanceOf(InterruptedIOException.class, outcome.get());
            assertTrue(e.getMessage().contains(fifo.toString()), e.getMessage());
        }
        OSFile closing = OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO);
        AtomicReference<Object> closed = new AtomicReference<>();
        Thread waiting = new Thread(() -> {
            try {
                closed.set(closing.read(new byte[10], 0, 10));
            } catch (IOException | RuntimeException e) {
                closed.set(e);
            }
        });
        waiting.start();
        closing.close();
        waiting.join(BOUND.toMillis());
        assertFalse(waiting.isAlive(), "closing the file ended the wait");
        assertEquals("closed", assertInstanceOf(IllegalStateException.class, closed.get()).getMessage());
        try (OSFile in = OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO)) {
            Libc.close(Libc.open(fifo.toString(), Libc.O_WRONLY | Libc.O_NONBLOCK | Libc.O_CLOEXEC, 0));
            assertEquals(-1, assertTimeoutPreemptively(BOUND, () -> in.read(new byte[10], 0, 10)),
                    "a writer that came and went without writing: the stream is empty");
        }
    }

    @Test
    void anAllowedFifoIsWrittenAsAStream() throws Throwable {
        Path fifo = mkfifo("out");
        FileSystemException noReader = assertTimeoutPreemptively(BOUND, () -> assertThrows(
                FileSystemException.class,
                () -> OSFile.open(fifo, FileMode.WRITE, OSFile.Option.ALLOW_FIFO).close()));
        assertTrue(noReader.getMessage().contains("no process has the FIFO open for reading"), noReader.getMessage());
        byte[] data = new byte[1 << 20]; // far more than a pipe holds: the writer waits for the reader
        new Random(3).nextBytes(data);
        try (OSFile in = OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO);
                OSFile out = OSFile.open(fifo, FileMode.WRITE, OSFile.Option.ALLOW_FIFO)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try (out) {
                    out.write(data);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            assertArrayEquals(data, assertTimeoutPreemptively(BOUND, () -> in.readAll()));
            writer.get(BOUND.toSeconds(), TimeUnit.SECONDS);
        }
        try (OSFile in = OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO);
                OSFile out = OSFile.open(fifo, FileMode.WRITE, OSFile.Option.ALLOW_FIFO)) {
            in.close();
            // EPIPE, not a SIGPIPE that ends the JVM (the JVM ignores the signal)
            FileSystemException broken = assertThrows(FileSystemException.class,
                    () -> out.write(new byte[10]));
            assertTrue(broken.getMessage().contains("Broken pipe"), broken.getMessage());
        }
    }

    @Test
    void characterDevicesOpenAsFiles() throws IOException {
        try (OSFile zero = OSFile.open(Path.of("/dev/zero"), FileMode.READ)) {
            try (Buffer b = zero.readBuffer(LARGE)) {
                assertEquals(LARGE, b.size(), "/dev/zero is endless");
                assertEquals(0, b.getLong(LARGE - 8));
            }
            try (Buffer b = zero.readBufferAt(1 << 30, 100)) {
                assertEquals(100, b.size());
            }
        }
        try (OSFile empty = OSFile.open(Path.of("/dev/null"), FileMode.READ)) {
            assertEquals(0, empty.readAll().length);
            try (Buffer b = empty.readBufferAt(0, LARGE)) {
                assertEquals(0, b.size(), "/dev/null is empty");
            }
        }
    }
}
