package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;
import org.quiver.internal.kit.Libc;
import org.quiver.io.DiskFullException;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.OSFile;
import org.quiver.io.SeekOrigin;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** OS files beyond the contract: every error the issue lists, many threads, descriptors, hints. */
class OsFileTest extends OsFileTestBase {

    @Test
    void missingFileNamesPathAndOperation() {
        Path missing = dir.resolve("missing.bin");
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> OSFile.open(missing, FileMode.READ));
        assertEquals(missing.toString(), e.getFile());
        assertTrue(e.getMessage().contains("open READ"), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> OSFile.open(dir.resolve("no/such/dir.bin"), FileMode.WRITE));
    }

    @Test
    void permissionDenied() throws IOException {
        Path denied;
        if ("root".equals(System.getProperty("user.name"))) {
            // root passes every permission bit on ordinary files; sysfs still refuses to open a read-only
            // attribute for writing
            denied = Path.of("/sys/kernel/mm/transparent_hugepage/hpage_pmd_size");
        } else {
            denied = Files.writeString(dir.resolve("private"), "x");
            denied.toFile().setWritable(false, false);
        }
        Path target = denied;
        AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> OSFile.open(target, FileMode.WRITE));
        assertTrue(e.getMessage().contains(target.toString()) && e.getMessage().contains("open WRITE"), e.getMessage());
    }

    @Test
    void directoryWhereAFileIsExpected() {
        IsDirectoryException e = assertThrows(IsDirectoryException.class, () -> OSFile.open(dir, FileMode.READ));
        assertTrue(e.getMessage().contains(dir.toString()) && e.getMessage().contains("is a directory"), e.getMessage());
        assertThrows(IsDirectoryException.class, () -> OSFile.open(dir, FileMode.WRITE));
    }

    @Test
    void diskFull() throws IOException {
        // /dev/full answers every write with ENOSPC: the real error, without filling a disk
        try (OSFile full = OSFile.open(Path.of("/dev/full"), FileMode.WRITE)) {
            DiskFullException e = assertThrows(DiskFullException.class, () -> full.write(new byte[100]));
            assertTrue(e.getMessage().contains("/dev/full") && e.getMessage().contains("length=100"), e.getMessage());
            assertEquals(0, e.written());
            assertEquals(0, full.tell(), "nothing was written");
        }
    }

    @Test
    void readPastEndOfFile() throws IOException {
        Path p = Files.write(dir.resolve("ten"), random(10));
        try (OSFile f = OSFile.open(p, FileMode.READ)) {
            // as POSIX and pyarrow's OSFile: any position, and nothing to read past the end
            assertEquals(-1, f.readAt(11, new byte[1], 0, 1));
            try (Buffer nothing = f.readBufferAt(100, 1)) {
                assertEquals(0, nothing.size());
            }
            f.seek(11);
            assertEquals(11, f.tell());
            assertEquals(-1, f.read(new byte[1], 0, 1));
            assertEquals(-1, f.readAt(10, new byte[1], 0, 1));
        }
    }

    /**
     * pyarrow's {@code OSFile(path, 'wb')} is a stream and says it is not seekable; Quiver's write-only file
     * writes at positions, so it says it is, and does: the answer is what the file can do. Append is not.
     */
    @Test
    void aWriteOnlyFileIsSeekableBecauseItCanSeek() throws IOException {
        Path p = dir.resolve("written");
        try (OSFile f = OSFile.open(p, FileMode.WRITE)) {
            assertTrue(f.isSeekable());
            f.write(new byte[] {1, 2, 3, 4});
            assertEquals(1, f.seek(-3, SeekOrigin.END));
            f.write(new byte[] {9});
            f.writeAt(3, new byte[] {8}, 0, 1);
            assertThrows(FileModeException.class, () -> f.read(new byte[1], 0, 1));
        }
        assertArrayEquals(new byte[] {1, 9, 3, 8}, Files.readAllBytes(p));
        try (OSFile f = OSFile.open(p, FileMode.APPEND)) {
            assertFalse(f.isSeekable(), "an append-only file writes at its end whatever the position");
        }
    }

    @Test
    void modesAreEnforcedWithoutSideEffects() throws IOException {
        byte[] data = random(64);
        Path p = Files.write(dir.resolve("data"), data);
        try (OSFile f = OSFile.open(p, FileMode.READ)) {
            ReadOnlyFileException e = assertThrows(ReadOnlyFileException.class, () -> f.write(new byte[] {1}));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("write"), e.getMessage());
            assertThrows(ReadOnlyFileException.class, () -> f.writeAt(0, new byte[] {1}, 0, 1));
            assertFalse(f.isWritable());
        }
        assertArrayEquals(data, Files.readAllBytes(p));
        try (OSFile f = OSFile.open(p, FileMode.APPEND)) {
            FileModeException e = assertThrows(FileModeException.class, () -> f.read(new byte[1], 0, 1));
            assertEquals(FileMode.APPEND, e.mode());
            assertFalse(f.isSeekable());
            assertThrows(FileModeException.class, () -> f.readAt(0, new byte[1], 0, 1));
            assertEquals(64, f.tell(), "append starts at the end");
            f.write(new byte[] {7, 8});
            assertEquals(66, f.tell());
        }
        assertEquals(66, Files.size(p));
    }

    @Test
    void closedFileThrowsClosed() throws IOException {
        Path p = Files.write(dir.resolve("c"), random(8));
        OSFile f = OSFile.open(p, FileMode.READ_WRITE);
        f.close();
        f.close();
        for (org.junit.jupiter.api.function.Executable call : List.<org.junit.jupiter.api.function.Executable>of(
                () -> f.read(new byte[1], 0, 1), () -> f.readAt(0, new byte[1], 0, 1), () -> f.write(new byte[1]),
                f::size, f::tell, f::descriptor, () -> f.readBuffer(1), () -> f.willNeed(0, 1), f::flush)) {
            assertEquals("closed", assertThrows(IllegalStateException.class, call).getMessage());
        }
    }

    @Test
    void readWriteAtPositionsAndBuffers() throws IOException {
        Path p = dir.resolve("rw");
        try (OSFile f = OSFile.open(p, FileMode.WRITE)) {
            f.write(random(1000));
            f.writeAt(10, new byte[] {1, 2, 3}, 0, 3);
            assertEquals(1000, f.tell(), "writeAt leaves the position");
            try (Buffer b = MemoryPool.defaultPool().allocate(5)) {
                b.fill((byte) 9);
                f.writeAt(2000, b, 0, 5); // past the end: the file grows, with a hole
            }
        }
        byte[] bytes = Files.readAllBytes(p);
        assertEquals(2005, bytes.length);
        assertArrayEquals(new byte[] {1, 2, 3}, Arrays.copyOfRange(bytes, 10, 13));
        assertEquals(0, bytes[1500]);
        assertEquals(9, bytes[2004]);
        try (OSFile f = OSFile.open(p, FileMode.READ); Buffer b = f.readBufferAt(10, 3, MemoryPool.systemPool())) {
            assertArrayEquals(new byte[] {1, 2, 3}, b.toByteArray());
            assertEquals(MemoryPool.systemPool().backendName(), "system");
            try (Buffer all = f.readBuffer(1 << 20)) {
                assertEquals(2005, all.size(), "readBuffer of more than the file allocates only the file");
            }
        }
    }

    @Test
    void readBufferAllocatesFromTheCallersPool() throws IOException {
        Path p = Files.write(dir.resolve("pool"), random(4096));
        MemoryPool mine = MemoryPool.proxy(MemoryPool.systemPool());
        try (OSFile f = OSFile.open(p, FileMode.READ); Buffer b = f.readBuffer(4096, mine)) {
            assertEquals(4096, mine.bytesAllocated());
            assertEquals(4096, b.size());
        }
        assertEquals(0, mine.bytesAllocated());
    }

    @Test
    void descriptorsCanBeTakenOver() throws IOException {
        byte[] data = random(300);
        Path p = Files.write(dir.resolve("fd"), data);
        int fd = Libc.open(p.toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
        try (OSFile f = OSFile.ofDescriptor(fd, FileMode.READ)) {
            assertEquals(fd, f.descriptor());
            assertEquals("fd:" + fd, f.path());
            assertArrayEquals(data, f.readAll());
        }
        assertEquals(-1, Libc.close(fd), "closing the file closed the descriptor");
        java.nio.file.FileSystemException e =
                assertThrows(java.nio.file.FileSystemException.class, () -> OSFile.ofDescriptor(fd, FileMode.READ));
        assertTrue(e.getMessage().contains("fd:" + fd), e.getMessage());
    }

    @Test
    void willNeedIsAcceptedAndChecked() throws IOException {
        Path p = Files.write(dir.resolve("hint"), random(1 << 16));
        try (OSFile f = OSFile.open(p, FileMode.READ)) {
            f.willNeed(0, 1 << 16);
            f.willNeed(1 << 20, 10); // past the end: still only a hint
            assertThrows(IllegalArgumentException.class, () -> f.willNeed(-1, 1));
        }
    }

    @Test
    void manyThreadsReadAtTheSameFile() throws Exception {
        byte[] data = random(4 << 20);
        Path p = Files.write(dir.resolve("shared"), data);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (OSFile f = OSFile.open(p, FileMode.READ)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    byte[] dst = new byte[4096];
                    for (int i = 0; i < 3000; i++) {
                        int at = random.nextInt(data.length);
                        if ((i & 1) == 0) {
                            int n = f.readAt(at, dst, 0, dst.length);
                            assertTrue(Arrays.equals(data, at, at + n, dst, 0, n), "bytes at " + at);
                        } else {
                            try (Buffer b = f.readBufferAt(at, 777)) {
                                assertTrue(Arrays.equals(data, at, at + (int) b.size(), b.toByteArray(), 0,
                                        (int) b.size()), "buffer at " + at);
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> r : results) {
                r.get();
            }
        } finally {
            threads.shutdown();
        }
    }

    @Test
    void closingWhileOtherThreadsReadNeverTouchesAClosedDescriptor() throws Exception {
        byte[] data = random(1 << 20);
        Path p = Files.write(dir.resolve("race"), data);
        for (int round = 0; round < 20; round++) {
            OSFile f = OSFile.open(p, FileMode.READ);
            AtomicBoolean wrong = new AtomicBoolean();
            CountDownLatch started = new CountDownLatch(4);
            List<Thread> readers = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                Thread reader = new Thread(() -> {
                    byte[] dst = new byte[512];
                    started.countDown();
                    while (true) {
                        try {
                            int n = f.readAt(1000, dst, 0, dst.length);
                            if (!Arrays.equals(data, 1000, 1000 + n, dst, 0, n)) {
                                wrong.set(true);
                            }
                        } catch (IllegalStateException closed) {
                            return;
                        } catch (IOException e) {
                            wrong.set(true);
                            return;
                        }
                    }
                });
                reader.start();
                readers.add(reader);
            }
            started.await();
            // open other files meanwhile, so a reused descriptor number would show as wrong bytes
            f.close();
            try (OSFile other = OSFile.open(Files.write(dir.resolve("other" + round), new byte[4096]), FileMode.READ)) {
                for (Thread reader : readers) {
                    reader.join();
                }
            }
            assertFalse(wrong.get(), "a reader saw other bytes or an IO error after close");
        }
    }
}
