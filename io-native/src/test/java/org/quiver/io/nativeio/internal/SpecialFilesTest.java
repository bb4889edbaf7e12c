package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.Arrays;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Files that are not plain files of known size: the kernel's pseudo files, whose size says 0 whatever they hold,
 * and regular files read past their end.
 */
class SpecialFilesTest {

    /** A procfs file whose content stays the same for the life of the process (its size says 0). */
    private static final Path PROC_FILE = Path.of("/proc/self/cmdline");

    /** More than an OS file reads without asking the size first, so that the size decides the read. */
    private static final int LARGE = 2 << 20;

    @TempDir
    Path dir;

    private long startBytes;

    @BeforeEach
    void remember() {
        startBytes = MemoryPool.defaultPool().bytesAllocated();
    }

    @AfterEach
    void nothingOutstanding() {
        assertEquals(startBytes, MemoryPool.defaultPool().bytesAllocated(), "bytes left allocated");
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
            EOFException e = assertThrows(EOFException.class, () -> f.readBufferAt(data.length + 1, 4 << 20));
            assertTrue(e.getMessage().contains("size=" + data.length), e.getMessage());
            assertThrows(EOFException.class, () -> f.seek(data.length + 1));
            assertThrows(EOFException.class, () -> f.readAt(data.length + 1, new byte[1], 0, 1));
        }
        try (OSFile empty = OSFile.open(Files.write(dir.resolve("empty"), new byte[0]), FileMode.READ)) {
            assertThrows(EOFException.class, () -> empty.seek(1), "an empty file is not of unknown size");
            assertThrows(EOFException.class, () -> empty.readBufferAt(1, 4 << 20));
        }
    }
}
