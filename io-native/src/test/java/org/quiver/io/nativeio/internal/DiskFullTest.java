package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.quiver.io.DiskFullException;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * A full device under OS files and memory maps: {@code /dev/full} (every write fails with {@code ENOSPC}) and a
 * tmpfs of a few pages ({@link SmallTmpfs}; root only, skipped elsewhere except on CI), where a write fills it
 * part of the way. Each write says how much got through, names the path and the call's operands, keeps what did
 * get written, and can be finished once there is space; a map that cannot reserve its blocks changes nothing.
 * (A map of an existing sparse file, whose holes are not reserved, is in {@link MapFaultsTest}: a bus error.)
 */
class DiskFullTest extends OsFileTestBase {

    private static final Path DEV_FULL = Path.of("/dev/full");

    @Test
    void devFullRefusesEveryWritePathAndMovesNothing() throws IOException {
        int n = 100_000; // more than the 64 KiB that array writes go through at a time
        byte[] data = random(n);
        try (OSFile full = OSFile.open(DEV_FULL, FileMode.WRITE);
                Buffer fromPool = MemoryPool.defaultPool().allocate(n);
                Buffer fromArray = Buffer.wrap(data)) {
            fromPool.put(0, data, 0, n);
            // each write with the operands its message must name
            List<Map.Entry<String, Executable>> writes = List.of(
                    Map.entry("write position=0 length=100000", () -> full.write(data, 0, n)),
                    Map.entry("write position=0 length=100000", () -> full.write(fromPool, 0, n)),
                    Map.entry("write position=0 length=100000", () -> full.write(fromArray, 0, n)),
                    Map.entry("write position=4096 length=100000", () -> full.writeAt(4096, data, 0, n)),
                    Map.entry("write position=4096 length=100000", () -> full.writeAt(4096, fromPool, 0, n)));
            for (Map.Entry<String, Executable> w : writes) {
                DiskFullException e = assertThrows(DiskFullException.class, w.getValue());
                assertEquals(DEV_FULL + ": " + w.getKey() + ": no space left on device (0 bytes of this write"
                        + " written)", e.getMessage());
                assertEquals(0, e.written());
                assertEquals(0, full.tell(), "nothing was written, the position stays");
            }
            assertArrayEquals(data, fromArray.toByteArray(), "the caller's bytes are untouched");
        }
        SequentialOutput buffered = NativeFiles.bufferedOutput(OSFile.open(DEV_FULL, FileMode.WRITE), 4096);
        buffered.write(data, 0, 100); // kept in the buffer
        DiskFullException e = assertThrows(DiskFullException.class, buffered::flush);
        assertTrue(e.getMessage().startsWith(DEV_FULL + ": write position=0 length=100: "), e.getMessage());
        buffered.close(); // the failed bytes were dropped with the failure: closing has nothing left to write
    }

    @Test
    void aFullFileSystemKeepsWhatFitAndTheWriteFinishesOnceThereIsSpace() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("small"), 128 << 10)) {
            Path ballast = Files.write(tmpfs.dir.resolve("ballast"), new byte[64 << 10]);
            Path file = tmpfs.dir.resolve("data");
            byte[] data = random(100 << 10);
            try (OSFile out = OSFile.open(file, FileMode.WRITE)) {
                DiskFullException e = assertThrows(DiskFullException.class, () -> out.write(data, 0, data.length));
                assertEquals(file + ": write position=0 length=102400: no space left on device (65536 bytes of this"
                        + " write written)", e.getMessage(), "the operands of the call, not of a piece of it");
                assertEquals(64 << 10, e.written());
                assertEquals(64 << 10, out.tell(), "the position is after the bytes written");
                assertArrayEquals(Arrays.copyOf(data, 64 << 10), Files.readAllBytes(file), "they are all there");

                // from native memory and at a position: nothing fits now
                try (Buffer rest = MemoryPool.defaultPool().allocate(data.length - (64 << 10))) {
                    rest.put(0, data, 64 << 10, (int) rest.size());
                    DiskFullException none = assertThrows(DiskFullException.class,
                            () -> out.writeAt(64 << 10, rest, 0, rest.size()));
                    assertEquals(0, none.written());
                    assertTrue(none.getMessage().startsWith(file + ": write position=65536 length=36864: "),
                            none.getMessage());
                    Files.delete(ballast);
                    out.write(rest, 0, rest.size()); // space again: the write goes on where it stopped
                }
            }
            assertArrayEquals(data, Files.readAllBytes(file), "the whole file, nothing lost on the way");
        }
    }

    @Test
    void aMapThatCannotReserveItsBlocksIsDiskFullAndChangesNothing() throws IOException {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("small"), 64 << 10)) {
            Path file = tmpfs.dir.resolve("map");
            byte[] data = random(16 << 10);
            try (MemoryMappedFile map = MemoryMappedFile.create(file, data.length)) {
                map.writeAt(0, data, 0, data.length);
                tmpfs.fill("filler");
                DiskFullException e = assertThrows(DiskFullException.class, () -> map.resize(64 << 10));
                assertTrue(e.getMessage().startsWith(file + ": resize memory map from 16384 to 65536: no space left"),
                        e.getMessage());
                assertEquals(data.length, map.size(), "the map keeps its size");
                assertEquals(data.length, Files.size(file), "so does the file");
                byte[] back = new byte[data.length];
                map.readAt(0, back, 0, back.length);
                assertArrayEquals(data, back, "and its bytes");
                map.writeAt(100, new byte[] {1, 2, 3}, 0, 3); // its reserved pages still take writes

                Path made = tmpfs.dir.resolve("made");
                DiskFullException create = assertThrows(DiskFullException.class,
                        () -> MemoryMappedFile.open(made, FileMode.WRITE, 0, 8192));
                assertTrue(create.getMessage().startsWith(made + ": memory map WRITE offset=0 length=8192: no space"),
                        create.getMessage());
                assertFalse(Files.exists(made), "a file the failed open made is not left behind");
            }
        }
    }
}
