package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.SequentialInput;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.memory.Buffer;
import org.quiver.memory.testing.ProcessMemory;

/** Memory maps beyond the contract: lifetimes of zero-copy buffers, resizing, offsets, read-only memory. */
class MemoryMappedFileTest {

    @TempDir
    Path dir;

    private static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    @Test
    void createWriteAtPositionAndReadBack() throws IOException {
        Path p = dir.resolve("map");
        try (MemoryMappedFile m = MemoryMappedFile.create(p, 1 << 16)) {
            assertEquals(1 << 16, m.size());
            assertEquals(1 << 16, Files.size(p));
            m.writeAt(1000, new byte[] {1, 2, 3}, 0, 3);
            m.seek(5000);
            m.write(new byte[] {4, 5});
            assertEquals(5002, m.tell());
            assertArrayEquals(new byte[] {1, 2, 3}, m.readBufferAt(1000, 3).toByteArray());
        }
        byte[] bytes = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {1, 2, 3, 0}, Arrays.copyOfRange(bytes, 1000, 1004), "shared with the file");
        assertArrayEquals(new byte[] {4, 5}, Arrays.copyOfRange(bytes, 5000, 5002));
    }

    @Test
    void zeroCopyBuffersOutliveTheFile() throws IOException {
        byte[] data = random(10_000);
        Path p = Files.write(dir.resolve("outlive"), data);
        Buffer tail;
        Buffer whole;
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ)) {
            tail = m.readBufferAt(9000, 5000);
            whole = m.buffer();
            assertEquals(1000, tail.size(), "clipped at the end");
        }
        try (tail; whole) {
            assertArrayEquals(Arrays.copyOfRange(data, 9000, 10_000), tail.toByteArray(), "still mapped");
            try (Buffer slice = whole.slice(10, 10)) {
                whole.close();
                assertEquals(data[15], slice.getByte(5), "a slice keeps the mapping too");
            }
        }
    }

    @Test
    void readOnlyMappingsRefuseWritesBeforeTouchingMemory() throws IOException {
        byte[] data = random(4096);
        Path p = Files.write(dir.resolve("ro"), data);
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ)) {
            ReadOnlyFileException e = assertThrows(ReadOnlyFileException.class, () -> m.writeAt(0, new byte[1], 0, 1));
            assertTrue(e.getMessage().contains(p.toString()) && e.getMessage().contains("write"), e.getMessage());
            assertThrows(ReadOnlyFileException.class, () -> m.write(new byte[1]));
            assertThrows(ReadOnlyFileException.class, () -> m.resize(10));
            try (Buffer b = m.readBuffer(16); Buffer all = m.buffer()) {
                assertFalse(b.isMutable());
                assertThrows(UnsupportedOperationException.class, () -> b.setByte(0, (byte) 1));
                assertThrows(UnsupportedOperationException.class, () -> all.fill((byte) 0));
                assertTrue(all.asSegment().isReadOnly());
            }
        }
        assertArrayEquals(data, Files.readAllBytes(p));
        try (MemoryMappedFile w = MemoryMappedFile.open(p, FileMode.WRITE)) {
            assertThrows(FileModeException.class, () -> w.readAt(0, new byte[1], 0, 1));
            w.writeAt(0, new byte[] {42}, 0, 1);
        }
        assertEquals(42, Files.readAllBytes(p)[0]);
    }

    @Test
    void resizeKeepsOldBuffersValid() throws IOException {
        Path p = dir.resolve("grow");
        try (MemoryMappedFile m = MemoryMappedFile.create(p, 4096)) {
            m.writeAt(100, new byte[] {7}, 0, 1);
            try (Buffer before = m.readBufferAt(0, 4096)) {
                m.resize(8 << 20); // grows: a new mapping
                assertEquals(8 << 20, m.size());
                assertEquals(8 << 20, Files.size(p));
                m.writeAt((8 << 20) - 1, new byte[] {9}, 0, 1);
                assertEquals(7, before.getByte(100), "the old mapping is still there for its buffer");
                m.writeAt(100, new byte[] {8}, 0, 1);
                assertEquals(8, before.getByte(100), "and it shows the same file");
                IllegalStateException e = assertThrows(IllegalStateException.class, () -> m.resize(10));
                assertTrue(e.getMessage().contains("1 buffers"), e.getMessage());
                assertEquals(8 << 20, m.size(), "a refused shrink changes nothing");
            }
            m.resize(10); // no buffers left: shrinking is safe
            assertEquals(10, Files.size(p));
            assertThrows(EOFException.class, () -> m.writeAt(8, new byte[4], 0, 4));
        }
    }

    @Test
    void offsetsRoundToPagesAndClipCorrectly() throws IOException {
        byte[] data = random(3 * 4096 + 123);
        Path p = Files.write(dir.resolve("offset"), data);
        for (long offset : new long[] {0, 1, 4095, 4096, 4097, 8191, 3 * 4096 + 100}) {
            try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ, offset, -1)) {
                assertEquals(offset, m.fileOffset());
                assertEquals(data.length - offset, m.size());
                assertArrayEquals(Arrays.copyOfRange(data, (int) offset, data.length), m.readAll(), "offset " + offset);
            }
        }
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ_WRITE, 5000, 10)) {
            assertEquals(10, m.size());
            m.writeAt(0, new byte[] {1, 2}, 0, 2);
            assertThrows(EOFException.class, () -> m.writeAt(9, new byte[2], 0, 2));
        }
        byte[] after = Files.readAllBytes(p);
        assertArrayEquals(new byte[] {1, 2}, Arrays.copyOfRange(after, 5000, 5002));
        EOFException e = assertThrows(EOFException.class, () -> MemoryMappedFile.open(p, FileMode.READ, 100, data.length));
        assertTrue(e.getMessage().contains("offset=100"), e.getMessage());
    }

    @Test
    void writeModeCreatesAMissingFileAsPyarrowDoes() throws IOException {
        Path created = dir.resolve("created");
        try (MemoryMappedFile m = MemoryMappedFile.open(created, FileMode.WRITE)) { // pyarrow: memory_map(p, 'w')
            assertEquals(0, m.size(), "created empty; resize to write");
            m.resize(100);
            m.writeAt(99, new byte[] {1}, 0, 1);
        }
        assertEquals(100, Files.size(created));
        Path sized = dir.resolve("sized");
        try (MemoryMappedFile m = MemoryMappedFile.open(sized, FileMode.WRITE, 0, 4096)) {
            assertEquals(4096, m.size(), "created with the size given");
            m.writeAt(4095, new byte[] {2}, 0, 1);
        }
        assertEquals(4096, Files.size(sized));
        assertEquals(2, Files.readAllBytes(sized)[4095]);
        Path atOffset = dir.resolve("at-offset");
        try (MemoryMappedFile m = MemoryMappedFile.open(atOffset, FileMode.WRITE, 5000, 10)) {
            assertEquals(10, m.size());
            assertEquals(5000, m.fileOffset());
        }
        assertEquals(5010, Files.size(atOffset));

        byte[] data = random(100);
        Path existing = Files.write(dir.resolve("existing"), data);
        try (MemoryMappedFile m = MemoryMappedFile.open(existing, FileMode.WRITE)) {
            assertEquals(100, m.size(), "an existing file is neither truncated");
        }
        EOFException e = assertThrows(EOFException.class, () -> MemoryMappedFile.open(existing, FileMode.WRITE, 0, 200));
        assertTrue(e.getMessage().contains("size=100"), e.getMessage());
        assertArrayEquals(data, Files.readAllBytes(existing), "nor grown");

        assertThrows(NoSuchFileException.class, () -> MemoryMappedFile.open(dir.resolve("none"), FileMode.READ_WRITE));
        assertThrows(NoSuchFileException.class, () -> MemoryMappedFile.open(dir.resolve("no/such/dir"), FileMode.WRITE));
        assertFalse(Files.exists(dir.resolve("none")));
    }

    @Test
    void errorsNameThePath() {
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> MemoryMappedFile.open(dir.resolve("none"), FileMode.READ));
        assertTrue(missing.getMessage().contains(dir.resolve("none").toString())
                && missing.getMessage().contains("memory map READ offset=0 to the end")
                && !missing.getMessage().contains("length=-1"), "no length given: " + missing.getMessage());
        assertThrows(IsDirectoryException.class, () -> MemoryMappedFile.open(dir, FileMode.READ));
        assertThrows(IllegalArgumentException.class, () -> MemoryMappedFile.open(dir, FileMode.APPEND));
    }

    @Test
    void emptyFilesMapToNothing() throws IOException {
        Path p = Files.write(dir.resolve("empty"), new byte[0]);
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ_WRITE)) {
            assertEquals(0, m.size());
            assertEquals(-1, m.read(new byte[1], 0, 1));
            m.resize(100);
            m.writeAt(99, new byte[] {1}, 0, 1);
        }
        assertEquals(100, Files.size(p));
    }

    @Test
    void closedMapsThrowClosed() throws IOException {
        Path p = Files.write(dir.resolve("closed"), random(100));
        MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ_WRITE);
        m.close();
        m.close();
        assertEquals("closed", assertThrows(IllegalStateException.class, () -> m.readAt(0, new byte[1], 0, 1))
                .getMessage());
        assertThrows(IllegalStateException.class, m::buffer);
        assertThrows(IllegalStateException.class, () -> m.writeAt(0, new byte[1], 0, 1));
        assertThrows(IllegalStateException.class, () -> m.resize(5));
    }

    @Test
    void willNeedPagesTheRangeIn() throws IOException {
        Path p = Files.write(dir.resolve("advise"), random(1 << 20));
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ, 100, -1)) {
            m.willNeed(0, 1 << 20);
            m.willNeed(5000, 10);
            m.willNeed(1 << 30, 10);
            assertThrows(IllegalArgumentException.class, () -> m.willNeed(0, -1));
        }
    }

    /** A range stream of a map reads its buffers zero-copy, as the map's own reads do. */
    @Test
    void aRangeStreamOfAMapIsZeroCopy() throws IOException {
        byte[] data = random(1 << 16);
        Path p = Files.write(dir.resolve("range"), data);
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ);
                Buffer whole = m.buffer();
                SequentialInput range = m.openRange(4096, 8192);
                Buffer part = range.readBuffer(1000)) {
            assertEquals(whole.address() + 4096, part.address(), "a slice of the map, not a copy");
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 4096, 5096), part.toByteArray());
        }
    }

    @Test
    void unmappedWhenTheLastBufferCloses() throws IOException {
        Path p = Files.write(dir.resolve("unmap"), random(1 << 20));
        String name = p.getFileName().toString();
        Buffer b;
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ)) {
            b = m.readBuffer(10);
        }
        assertTrue(ProcessMemory.mapped(name), "mapped while a buffer holds it");
        b.close();
        assertFalse(ProcessMemory.mapped(name), "unmapped with the last buffer");
    }

    @Test
    void manyThreadsReadAtTheSameMap() throws Exception {
        byte[] data = random(4 << 20);
        Path p = Files.write(dir.resolve("threads"), data);
        ExecutorService threads = Executors.newFixedThreadPool(8);
        try (MemoryMappedFile m = MemoryMappedFile.open(p, FileMode.READ)) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 8; t++) {
                int seed = t;
                results.add(threads.submit(() -> {
                    Random random = new Random(seed);
                    byte[] dst = new byte[3000];
                    for (int i = 0; i < 5000; i++) {
                        int at = random.nextInt(data.length);
                        int n = m.readAt(at, dst, 0, dst.length);
                        assertTrue(Arrays.equals(data, at, at + n, dst, 0, n), "bytes at " + at);
                        try (Buffer b = m.readBufferAt(at, 64)) {
                            assertEquals(data[at], b.getByte(0));
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
}
