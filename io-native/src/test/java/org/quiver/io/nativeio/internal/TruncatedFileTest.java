package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.RandomAccessFile;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.junit.jupiter.api.Test;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A file cut short ({@code ftruncate}, as another process would) while it is open for reading: an OS file reads
 * on to the new end and then finds the end, also at positions past it (as {@code pread(2)}); a compressed stream says its data is truncated; the kernel refusing to copy from or into a map buffer whose
 * pages went says so. (Quiver's reads of a map itself, whose pages are gone, are in {@link MapFaultsTest}.)
 */
class TruncatedFileTest extends OsFileTestBase {

    private static final int SIZE = 1 << 20;
    private static final int CUT = 10_000;

    private static void cut(Path file, long size) throws IOException {
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw")) {
            raf.setLength(size);
        }
    }

    @Test
    void anOsFileReadsOnToTheNewEndAndThenFindsTheEnd() throws IOException {
        byte[] data = random(SIZE);
        Path file = Files.write(dir.resolve("cut"), data);
        MemoryPool pool = MemoryPool.defaultPool();
        try (OSFile in = OSFile.open(file, FileMode.READ); OSFile far = OSFile.open(file, FileMode.READ)) {
            try (Buffer head = in.readBuffer(4096, pool)) {
                assertArrayEquals(Arrays.copyOf(data, 4096), head.toByteArray());
            }
            far.seek(600_000); // a position that was good before the cut
            cut(file, CUT);
            assertEquals(CUT, in.size());
            try (Buffer straddling = in.readBufferAt(CUT - 2000, 4096, pool)) {
                assertArrayEquals(Arrays.copyOfRange(data, CUT - 2000, CUT), straddling.toByteArray(), "short");
            }
            byte[] ten = new byte[100];
            assertEquals(10, in.readAt(CUT - 10, ten, 0, 100), "short");
            try (Buffer past = in.readBufferAt(500_000, 10, pool)) {
                assertEquals(0, past.size(), "past the new end: nothing there, as pread(2)");
            }
            assertEquals(-1, in.readAt(500_000, ten, 0, 10));
            // sequential reads go on to the new end, then find the end
            try (Buffer rest = in.readBuffer(SIZE, pool)) {
                assertArrayEquals(Arrays.copyOfRange(data, 4096, CUT), rest.toByteArray());
            }
            assertEquals(-1, in.read(ten, 0, 10));
            // a reader whose position is past the new end finds the end at once
            assertEquals(-1, far.read(ten, 0, 10));
            try (Buffer nothing = far.readBuffer(10, pool)) {
                assertEquals(0, nothing.size());
            }
            assertEquals(600_000, far.tell(), "and stays where it was");
        }
    }

    @Test
    void aCompressedStreamCutUnderItsReaderIsTruncatedData() throws IOException {
        Path file = dir.resolve("cut.gz");
        byte[] data = random(SIZE); // random bytes do not compress: the file is about as large
        try (OutputStream out = new GZIPOutputStream(Files.newOutputStream(file))) {
            out.write(data);
        }
        try (SequentialInput in = NativeFiles.openInput(file)) {
            byte[] head = new byte[64 << 10];
            int n = 0;
            while (n < head.length) {
                n += in.read(head, n, head.length - n);
            }
            assertArrayEquals(Arrays.copyOf(data, head.length), head);
            cut(file, 300 << 10);
            TruncatedDataException e = assertThrows(TruncatedDataException.class, in::readAll);
            assertTrue(e.getMessage().startsWith("gzip data in ") && e.getMessage().contains(file.toString())
                    && e.getMessage().contains("is truncated"), e.getMessage());
        }
    }

    @Test
    void theKernelRefusingAMapBufferWhosePagesWentIsNamed() throws IOException {
        Path file = Files.write(dir.resolve("mapped"), random(SIZE));
        Path copy = dir.resolve("copy");
        try (MemoryMappedFile map = MemoryMappedFile.open(file, FileMode.READ_WRITE);
                Buffer gone = map.readBufferAt(SIZE / 2, 8192);
                OSFile out = OSFile.open(copy, FileMode.WRITE);
                OSFile in = OSFile.open(file, FileMode.READ)) {
            cut(file, 4096);
            // the kernel copies from and into the buffer: EFAULT for the pages past the end, no bus error
            FileSystemException write = assertThrows(FileSystemException.class, () -> out.write(gone, 0, 8192));
            assertEquals(copy + ": write position=0 length=8192: Bad address (errno 14): the buffer's memory could"
                    + " not be accessed (a memory map whose file was truncated under it?)", write.getMessage());
            FileSystemException read = assertThrows(FileSystemException.class, () -> in.read(gone, 0, 4096));
            assertTrue(read.getMessage().startsWith(file + ": read position=0 length=4096: Bad address (errno 14)")
                    && read.getMessage().contains("memory map whose file was truncated"), read.getMessage());
        }
    }
}
