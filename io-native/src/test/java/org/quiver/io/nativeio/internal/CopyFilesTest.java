package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.quiver.io.CopyFiles;
import org.quiver.io.DiskFullException;
import org.quiver.io.QuiverFileSystem;

/** pyarrow's {@code copy_files}: trees between file systems, in parallel and in chunks, losing nothing on failure. */
class CopyFilesTest extends OsFileTestBase {

    /** Every regular file under {@code root}, by relative path, with its bytes. */
    private static Map<String, byte[]> files(Path root) throws IOException {
        Map<String, byte[]> out = new TreeMap<>();
        try (Stream<Path> walk = Files.walk(root)) {
            for (Path p : walk.filter(Files::isRegularFile).toList()) {
                out.put(root.relativize(p).toString(), Files.readAllBytes(p));
            }
        }
        return out;
    }

    private static void assertSameFiles(Map<String, byte[]> expected, Map<String, byte[]> actual) {
        assertEquals(expected.keySet(), actual.keySet());
        expected.forEach((k, v) -> assertArrayEquals(v, actual.get(k), k));
    }

    private Path tree() throws IOException {
        Path src = Files.createDirectories(dir.resolve("src"));
        Files.createDirectories(src.resolve("a/b/c"));
        Files.createDirectories(src.resolve("empty/dir"));
        Files.write(src.resolve("top.bin"), random(250_000));
        Files.write(src.resolve("a/one.bin"), random(1));
        Files.write(src.resolve("a/zero.bin"), new byte[0]);
        Files.write(src.resolve("a/b/c/deep.bin"), random(70_001));
        for (int i = 0; i < 20; i++) {
            Files.write(src.resolve("a/b/f" + i + ".txt"), ("file " + i).getBytes(StandardCharsets.US_ASCII));
        }
        return src;
    }

    @Test
    void aTreeIsCopiedInParallelAndInChunksWithProgress() throws IOException {
        Path src = tree();
        Path dst = dir.resolve("dst");
        QuiverFileSystem local = QuiverFileSystem.local();
        List<CopyFiles.Progress> seen = new ArrayList<>();
        AtomicBoolean overlapped = new AtomicBoolean();
        AtomicInteger inside = new AtomicInteger();
        CopyFiles.Result r = CopyFiles.between(local, src.toString(), local, dst.toString()).chunkSize(4096).threads(4)
                .listener(p -> {
                    if (inside.incrementAndGet() != 1) {
                        overlapped.set(true);
                    }
                    seen.add(p);
                    inside.decrementAndGet();
                }).run();
        assertSameFiles(files(src), files(dst));
        assertTrue(Files.isDirectory(dst.resolve("empty/dir")), "empty directories too");
        assertEquals(24, r.files());
        assertEquals(6, r.directories(), "dst, a, a/b, a/b/c, empty, empty/dir");
        long total = 250_000 + 1 + 70_001 + files(src).entrySet().stream().filter(e -> e.getKey().endsWith(".txt"))
                .mapToLong(e -> e.getValue().length).sum();
        assertEquals(total, r.bytes());
        assertFalse(overlapped.get(), "the listener is called one call at a time");
        CopyFiles.Progress last = seen.getLast();
        assertTrue(last.isComplete());
        assertEquals(total, last.bytesCopied());
        assertEquals(total, last.bytesTotal());
        assertEquals(24, last.filesTotal());
        assertTrue(seen.size() >= 24 + 250_000 / 4096, "every chunk reported: " + seen.size());
        for (int i = 1; i < seen.size(); i++) {
            assertTrue(seen.get(i).bytesCopied() >= seen.get(i - 1).bytesCopied(), "monotonic");
        }
        assertNoTemporaryFiles(dst);
    }

    /** A linked directory in a local tree is copied with its contents, as Arrow lists into it. */
    @Test
    void linkedDirectoriesAreCopiedWithTheirContents() throws IOException {
        Path elsewhere = Files.createDirectories(dir.resolve("elsewhere/sub"));
        Files.write(elsewhere.resolve("data.bin"), random(3000));
        Path src = Files.createDirectories(dir.resolve("with-link"));
        Files.createSymbolicLink(src.resolve("shared"), dir.resolve("elsewhere"));
        QuiverFileSystem local = QuiverFileSystem.local();
        CopyFiles.between(local, src.toString(), local, dir.resolve("copied").toString()).run();
        assertArrayEquals(random(3000), Files.readAllBytes(dir.resolve("copied/shared/sub/data.bin")));
        assertFalse(Files.isSymbolicLink(dir.resolve("copied/shared")), "a directory in the copy");
    }

    @Test
    void aFileIsCopiedToThePathGivenReplacingWhatIsThere() throws IOException {
        Path src = Files.write(dir.resolve("one.bin"), random(5000));
        Path dst = Files.writeString(dir.resolve("target.bin"), "old content");
        QuiverFileSystem local = QuiverFileSystem.local();
        CopyFiles.Result r = CopyFiles.between(local, src.toString(), local, dst.toString()).threads(1).run();
        assertArrayEquals(Files.readAllBytes(src), Files.readAllBytes(dst));
        assertEquals(1, r.files());
        assertEquals(0, r.directories());
        assertNoTemporaryFiles(dir);
    }

    @Test
    void badArgumentsAreRefusedBeforeAnythingIsCopied() throws IOException {
        QuiverFileSystem local = QuiverFileSystem.local();
        Path src = tree();
        NoSuchFileException missing = assertThrows(NoSuchFileException.class,
                () -> CopyFiles.between(local, dir.resolve("nothing").toString(), local, dir.resolve("x").toString())
                        .run());
        assertTrue(missing.getMessage().contains("nothing") && missing.getMessage().contains("does not exist"),
                missing.getMessage());
        IllegalArgumentException into = assertThrows(IllegalArgumentException.class,
                () -> CopyFiles.between(local, src.toString(), local, src.resolve("a/copy").toString()).run());
        assertTrue(into.getMessage().contains("would copy into itself"), into.getMessage());
        assertFalse(Files.exists(src.resolve("a/copy")));
        assertEquals("chunk size must be from 1 to 2147483647 bytes: chunkSize=0", assertThrows(
                IllegalArgumentException.class, () -> CopyFiles.between(local, "a", local, "b").chunkSize(0))
                .getMessage());
        assertEquals("threads must be at least 1: threads=0", assertThrows(IllegalArgumentException.class,
                () -> CopyFiles.between(local, "a", local, "b").threads(0)).getMessage());
        assertEquals("sourceFs", assertThrows(NullPointerException.class,
                () -> CopyFiles.between(null, "a", local, "b")).getMessage());
    }

    /**
     * A copy into a full disk fails with {@link DiskFullException}; each destination file is as it was or
     * complete (never cut short), and no temporary file is left.
     */
    @Test
    void aCopyIntoAFullDiskLosesNothing() throws IOException {
        Path src = Files.createDirectories(dir.resolve("big"));
        for (int i = 0; i < 6; i++) {
            Files.write(src.resolve("part" + i + ".bin"), random(40_000 + i));
        }
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("small"), 128 << 10)) {
            Path dst = Files.createDirectories(tmpfs.dir.resolve("copy"));
            byte[] old = "the old part 3".getBytes(StandardCharsets.US_ASCII);
            Files.write(dst.resolve("part3.bin"), old);
            QuiverFileSystem local = QuiverFileSystem.local();
            DiskFullException e = assertThrows(DiskFullException.class,
                    () -> CopyFiles.between(local, src.toString(), local, dst.toString()).chunkSize(8192).threads(2)
                            .run());
            assertTrue(e.getMessage().contains(dst.toString()), e.getMessage());
            Map<String, byte[]> after = files(dst);
            for (Map.Entry<String, byte[]> f : after.entrySet()) {
                byte[] whole = Files.readAllBytes(src.resolve(f.getKey()));
                boolean asItWas = f.getKey().equals("part3.bin") && java.util.Arrays.equals(old, f.getValue());
                assertTrue(asItWas || java.util.Arrays.equals(whole, f.getValue()), f.getKey() + ": "
                        + f.getValue().length + " bytes, neither as it was nor complete");
            }
            assertNoTemporaryFiles(dst);
        }
    }

    /** The first failure stops the copies, and the copies it stopped leave no temporary file. */
    @Test
    void aFailingListenerStopsTheCopyCleanly() throws IOException {
        Path src = tree();
        Path dst = dir.resolve("stopped");
        QuiverFileSystem local = QuiverFileSystem.local();
        AtomicInteger calls = new AtomicInteger();
        IllegalStateException e = assertThrows(IllegalStateException.class,
                () -> CopyFiles.between(local, src.toString(), local, dst.toString()).chunkSize(1000).threads(3)
                        .listener(p -> {
                            if (calls.incrementAndGet() == 40) {
                                throw new IllegalStateException("enough");
                            }
                        }).run());
        assertEquals("enough", e.getMessage());
        assertNoTemporaryFiles(dst);
        Map<String, byte[]> source = files(src);
        files(dst).forEach((k, v) -> assertArrayEquals(source.get(k), v, k + " is complete"));
    }

    private static void assertNoTemporaryFiles(Path root) throws IOException {
        if (!Files.exists(root)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(root)) {
            List<Path> left = walk.filter(p -> p.getFileName().toString().contains(".quiver-copy-")).toList();
            assertEquals(List.of(), left, "temporary files left");
        }
    }
}
