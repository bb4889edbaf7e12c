package org.quiver.platform.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.CopyFiles;
import org.quiver.memory.MemoryPool;

/** {@code quiver:cp} and {@code quiver:cat} as the shell calls them, on the local disk and the system pool. */
class FileCommandsTest {

    @TempDir
    Path dir;

    private Path tree() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("a/b/c"));
        Files.createDirectories(src.resolve("empty/dir"));
        Random random = new Random(7);
        byte[] big = new byte[250_000];
        random.nextBytes(big);
        Files.write(src.resolve("top.bin"), big);
        Files.write(src.resolve("a/zero.bin"), new byte[0]);
        for (int i = 0; i < 20; i++) {
            Files.write(src.resolve("a/b/f" + i + ".txt"), ("file " + i).getBytes(StandardCharsets.US_ASCII));
        }
        return src;
    }

    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    @Test
    void theProgressIsABarOnATerminalAndLinesElsewhere() throws IOException {
        CopyFiles.Progress half = new CopyFiles.Progress(1536, 3072, 1, 2, Duration.ofSeconds(2), "/a");
        assertEquals("[############            ]  50%  1.5 KiB / 3.0 KiB  768 B/s  1/2 files",
                CopyProgress.barLine(half));
        assertEquals("copied 1/2 files, 1.5 KiB of 3.0 KiB (50%), 768 B/s", CopyProgress.plainLine(half));
        assertEquals("5.0 GiB", CopyProgress.bytes(5L << 30));

        ByteArrayOutputStream bar = new ByteArrayOutputStream();
        CopyProgress terminal = CopyProgress.bar(new PrintStream(bar, true, StandardCharsets.UTF_8));
        terminal.progress(new CopyFiles.Progress(0, 3072, 0, 2, Duration.ZERO, "/a"));
        terminal.progress(new CopyFiles.Progress(100, 3072, 0, 2, Duration.ofMillis(10), "/a")); // too soon: skipped
        terminal.progress(new CopyFiles.Progress(3072, 3072, 2, 2, Duration.ofMillis(20), "/b")); // the end: shown
        String drawn = bar.toString(StandardCharsets.UTF_8);
        assertEquals(2, drawn.chars().filter(c -> c == '\r').count(), drawn);
        assertTrue(drawn.endsWith("100%  3.0 KiB / 3.0 KiB  150.0 KiB/s  2/2 files\n"), drawn);
    }

    @Test
    void cpRecursiveCopiesATreeWithProgressLines() throws IOException {
        long before = MemoryPool.bytesAllocatedInAllPools();
        ByteArrayOutputStream log = new ByteArrayOutputStream();
        Path src = tree();
        String summary = FileCommands.copyTree(src.toString(), dir.resolve("by-command").toString(),
                CopyProgress.lines(new PrintStream(log, true, StandardCharsets.UTF_8)));
        assertTrue(summary.startsWith("copied 22 files (") && summary.contains(" and 6 directories from " + src),
                summary);
        String lines = log.toString(StandardCharsets.UTF_8);
        assertFalse(lines.contains("\r"), "no carriage returns in a log");
        assertTrue(lines.strip().lines().toList().getLast().startsWith("copied 22/22 files, "), lines);
        Map<String, byte[]> expected = files(src);
        Map<String, byte[]> copied = files(dir.resolve("by-command"));
        assertEquals(expected.keySet(), copied.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, copied.get(k), k));
        assertTrue(Files.isDirectory(dir.resolve("by-command/empty/dir")), "empty directories too");
        assertEquals(before, MemoryPool.bytesAllocatedInAllPools(), "every chunk returned to the pool");
    }

    @Test
    void cpRecompressesByExtensionAndCatDecompresses() throws IOException {
        Path plain = Files.writeString(dir.resolve("lines.txt"), "one\ntwo\nthree\n".repeat(1000));
        FileCommands commands = new FileCommands();
        String zst = dir.resolve("lines.txt.zst").toString();
        String gz = dir.resolve("lines.txt.gz").toUri().toString();
        assertTrue(commands.cp(plain.toString(), zst).startsWith("copied 14000 bytes from "));
        String report = commands.cp(zst, gz);
        assertTrue(report.contains("(zstd)") && report.contains("(gzip)"), report);
        assertArrayEquals(new byte[] {0x1f, (byte) 0x8b}, java.util.Arrays.copyOf(
                Files.readAllBytes(dir.resolve("lines.txt.gz")), 2), "a gzip member");

        PrintStream out = System.out;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        System.setOut(new PrintStream(printed, true, StandardCharsets.UTF_8));
        try {
            commands.cat(gz);
        } finally {
            System.setOut(out);
        }
        assertEquals(Files.readString(plain), printed.toString(StandardCharsets.UTF_8));
    }

    @Test
    void locationsThatAreNeitherPathsNorUrisAreRefusedBeforeAnythingIsOpened() {
        FileCommands commands = new FileCommands();
        IllegalArgumentException bad = assertThrows(IllegalArgumentException.class,
                () -> commands.cp("://bad", dir.resolve("x").toString()));
        assertTrue(bad.getMessage().contains("source '://bad' is neither a path nor a URI"), bad.getMessage());
        IllegalArgumentException empty = assertThrows(IllegalArgumentException.class,
                () -> commands.cp(true, dir.toString(), " "));
        assertEquals("no target given: an empty path", empty.getMessage());
        assertFalse(Files.exists(dir.resolve("x")));
    }
}
