package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.quiver.internal.kit.Downcalls;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.FileType;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;

import com.code_intelligence.jazzer.api.BugDetectors;
import com.code_intelligence.jazzer.api.SilentCloseable;
import com.code_intelligence.jazzer.junit.DictionaryEntries;
import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@code file:} {@link QuiverFileSystem}'s path handling inside a sandbox: each input runs up to
 * {@link #MAX_OPERATIONS} operations (info, list, create and delete directories and contents, delete, move, copy,
 * open for reading, random access, writing and appending, normalize and toUri) on paths made of the sandbox's
 * directory and a fuzzed rest ({@code ..}, {@code //}, percent escapes, {@code ?} and {@code #}, NUL, any
 * character), written as a plain path, a {@code file:} URI in each spelling, an opaque {@code file:} URI or a
 * relative path. The sandbox holds files, directories, a FIFO and symbolic links (to itself, dangling, a loop,
 * {@code /dev/null}); a sentinel file lies beside it.
 *
 * <p>A path is first normalised; only an operation whose every path normalises into the sandbox runs, so the test
 * itself never touches anything else. Checked: the operation ends normally or in an
 * {@link IllegalArgumentException} or a {@link FileSystemException} (the documented
 * {@link java.nio.file.NoSuchFileException}, {@link org.quiver.io.IsDirectoryException} and the others), never in
 * another type; its effect is visible ({@code info} after create and delete, the bytes after a write or a copy);
 * a path that leaves the sandbox without a {@code ..} segment, or an opaque {@code file:} URI that is not refused,
 * is a finding; Jazzer's file path traversal detector reports any file call of the file system outside the
 * temporary directory; and the sentinel is intact at the end.
 *
 * <p>Input layout (see {@link FuzzInput}): per operation an opcode byte, then per path a form byte and the rest
 * (length byte and UTF-8), then the operation's own bytes.
 */
class FileSystemFuzzTest {

    static final int MAX_OPERATIONS = 32;

    private static final byte[] TEXT = "hello, quiver\n".getBytes(StandardCharsets.US_ASCII);

    /** How a path is written. */
    enum Form {
        PLAIN, URI, URI_ENCODED, FILE_COLON, LOCALHOST, OPAQUE, RELATIVE
    }

    @TempDir
    Path root;

    private Path sandbox;
    private Path sentinel;
    private QuiverFileSystem fs;

    @FuzzTest(maxDuration = "30s")
    @DictionaryEntries({"..", "../", "/..", ".", "//", "%2e%2e", "%2F", "%00", "?", "#", "a", "a/b.txt", "a/sub",
        "c.gz", "d", "self", "dangling", "loop", "devnull", "fifo", "outside", "sentinel.txt", "file:", "file://",
        "localhost", "\u0000", "~", " "})
    void operations(byte[] data) throws Throwable {
        fs = QuiverFileSystem.local();
        sandbox = root.resolve("sandbox");
        sentinel = root.resolve("outside").resolve("sentinel.txt");
        fixture();
        // The kit reads /proc/cpuinfo once, when it loads (Downcalls: critical calls or not): before the detector
        // watches every path, so that only the file system's own paths are judged.
        Downcalls.criticalDecision();
        try (SilentCloseable inTempDir = BugDetectors.setFilePathTraversalAllowPath(
                p -> p.toAbsolutePath().normalize().startsWith(root))) {
            FuzzInput input = new FuzzInput(data);
            for (int i = 0; i < MAX_OPERATIONS && !input.isEmpty(); i++) {
                step(input);
            }
        } finally {
            assertArrayEquals(TEXT, Files.readAllBytes(sentinel), "the sentinel beside the sandbox changed");
            try (Stream<Path> beside = Files.list(root)) {
                Set<String> names = beside.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
                assertTrue(Set.of("sandbox", "outside").containsAll(names), "created beside the sandbox: " + names);
            }
            try (Stream<Path> beside = Files.list(sentinel.getParent())) {
                assertEquals(1, beside.count(), "created beside the sentinel");
            }
            deleteTree(sandbox);
        }
    }

    // ---- the sandbox ---------------------------------------------------------------------------------------

    private void fixture() throws Throwable {
        deleteTree(sandbox);
        Files.createDirectories(sentinel.getParent());
        if (!Files.exists(sentinel)) {
            Files.write(sentinel, TEXT);
        }
        Files.createDirectories(sandbox.resolve("a/sub"));
        Files.createDirectories(sandbox.resolve("d"));
        Files.write(sandbox.resolve("a/b.txt"), TEXT);
        Files.write(sandbox.resolve("c.gz"), ReferenceCodecs.compress(org.quiver.io.Compression.GZIP, TEXT));
        Files.createSymbolicLink(sandbox.resolve("self"), Path.of("."));
        Files.createSymbolicLink(sandbox.resolve("dangling"), Path.of("missing"));
        Files.createSymbolicLink(sandbox.resolve("loop"), Path.of("loop"));
        Files.createSymbolicLink(sandbox.resolve("devnull"), Path.of("/dev/null"));
        mkfifo(sandbox.resolve("fifo"));
    }

    private static final MethodHandle MKFIFO = Linker.nativeLinker().downcallHandle(
            Linker.nativeLinker().defaultLookup().find("mkfifo").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT));

    private static void mkfifo(Path p) throws Throwable {
        try (Arena arena = Arena.ofConfined()) {
            assertEquals(0, (int) MKFIFO.invokeExact(arena.allocateFrom(p.toString()), 0600), "mkfifo " + p);
        }
    }

    private static void deleteTree(Path p) throws IOException {
        if (!Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        try (Stream<Path> all = Files.walk(p)) {
            for (Path q : all.sorted(Comparator.reverseOrder()).toList()) {
                Files.delete(q);
            }
        }
    }

    // ---- paths ---------------------------------------------------------------------------------------------

    /** A fuzzed path and where the file system puts it, or {@code null} for a path it refused. */
    record Target(String path, Form form, String rest, Path normalized) {
        @Override
        public String toString() {
            return form + " '" + path + "'";
        }
    }

    private Target path(FuzzInput in) {
        Form form = Form.values()[in.below(Form.values().length)];
        String rest = in.string();
        String dir = sandbox.toUri().getRawPath(); // with a '/' at the end only while the directory exists
        dir = dir.endsWith("/") ? dir : dir + "/";
        String path = switch (form) {
            case PLAIN -> sandbox + "/" + rest;
            case URI -> "file://" + dir + rest;
            case URI_ENCODED -> "file://" + dir + encode(rest);
            case FILE_COLON -> "file:" + dir + rest;
            case LOCALHOST -> "file://localhost" + dir + rest;
            case OPAQUE -> "file:" + rest;
            case RELATIVE -> rest;
        };
        Path normalized;
        try {
            normalized = Path.of(fs.normalize(path));
        } catch (IllegalArgumentException refused) {
            return new Target(path, form, rest, null);
        }
        if (form == Form.OPAQUE && !rest.startsWith("/") && !rest.isEmpty()) {
            fail("the opaque URI '" + path + "' names no path, yet it normalised to " + normalized);
        }
        boolean inside = normalized.startsWith(sandbox);
        if (!inside && form != Form.RELATIVE && form != Form.OPAQUE && !mayLeave(rest)) {
            fail(form + " '" + path + "' has no '..' segment, yet it normalised to " + normalized
                    + ", outside " + sandbox);
        }
        return new Target(path, form, rest, normalized);
    }

    /** Whether {@code rest} may leave the directory it follows: a {@code ..}, written or escaped. */
    private static boolean mayLeave(String rest) {
        String lower = rest.toLowerCase(java.util.Locale.ROOT);
        return lower.contains("..") || lower.contains("%2e") || lower.contains("%2f");
    }

    /** Percent-encodes a path's characters as a URI path needs them (a '/' stays a separator). */
    private static String encode(String rest) {
        try {
            return new URI(null, null, rest, null).getRawPath();
        } catch (URISyntaxException e) {
            return rest; // e.g. a ':' in the first segment: the raw rest, which the file system may refuse
        }
    }

    /** Whether the operation may run: every path normalised into the sandbox (or was refused). */
    private boolean runnable(Target... targets) {
        for (Target t : targets) {
            if (t.normalized() != null && !t.normalized().startsWith(sandbox)) {
                return false;
            }
        }
        return true;
    }

    // ---- operations ----------------------------------------------------------------------------------------

    private interface Call {
        void run() throws IOException;
    }

    /**
     * Runs {@code call}: it may fail only with a documented type, and a path that normalising refused must be
     * refused by the operation too. Returns whether it succeeded.
     */
    private boolean attempt(String what, Call call, Target... targets) {
        boolean refusedPath = false;
        for (Target t : targets) {
            refusedPath |= t.normalized() == null;
        }
        try {
            call.run();
        } catch (IllegalArgumentException e) {
            assertNotNull(e.getMessage(), what);
            return false;
        } catch (FileSystemException e) {
            assertTrue(!refusedPath, what + " refused a path normalize refused with " + e + " instead");
            assertNotNull(e.getMessage(), what);
            return false;
        } catch (IOException | RuntimeException e) {
            throw new AssertionError(what + " threw " + e, e);
        }
        assertTrue(!refusedPath, what + " succeeded on a path normalize refused");
        return true;
    }

    private void step(FuzzInput in) throws IOException {
        int op = in.below(13);
        Target p = path(in);
        switch (op) {
            case 0 -> {
                if (runnable(p)) {
                    FileInfo[] info = new FileInfo[1];
                    if (attempt("info " + p, () -> info[0] = fs.info(p.path()), p)) {
                        assertEquals(p.normalized().toString(), info[0].path(), "info " + p);
                    }
                }
            }
            case 1 -> list(in, p);
            case 2 -> {
                boolean recursive = in.bool();
                if (runnable(p) && attempt("createDirectory " + p + " " + recursive,
                        () -> fs.createDirectory(p.path(), recursive), p)) {
                    assertEquals(FileType.DIRECTORY, fs.info(p.path()).type(), "after createDirectory " + p);
                }
            }
            case 3 -> {
                if (runnable(p) && attempt("deleteDirectory " + p, () -> fs.deleteDirectory(p.path()), p)) {
                    assertEquals(FileType.NOT_FOUND, fs.info(p.path()).type(), "after deleteDirectory " + p);
                }
            }
            case 4 -> {
                boolean missingOk = in.bool();
                if (runnable(p) && attempt("deleteDirectoryContents " + p,
                        () -> fs.deleteDirectoryContents(p.path(), missingOk), p)
                        && fs.info(p.path()).type() == FileType.DIRECTORY) {
                    assertEquals(List.of(), fs.list(FileSelector.of(p.path())), "after deleteDirectoryContents " + p);
                }
            }
            case 5 -> {
                if (runnable(p) && attempt("deleteFile " + p, () -> fs.deleteFile(p.path()), p)) {
                    assertEquals(FileType.NOT_FOUND, fs.info(p.path()).type(), "after deleteFile " + p);
                }
            }
            case 6 -> {
                Target q = path(in);
                if (runnable(p, q) && attempt("move " + p + " to " + q, () -> fs.move(p.path(), q.path()), p, q)) {
                    assertTrue(fs.info(q.path()).type() != FileType.NOT_FOUND, "after move " + p + " to " + q);
                }
            }
            case 7 -> {
                Target q = path(in);
                if (runnable(p, q) && attempt("copyFile " + p + " to " + q, () -> fs.copyFile(p.path(), q.path()),
                        p, q)) {
                    assertArrayEquals(Files.readAllBytes(p.normalized()), Files.readAllBytes(q.normalized()),
                            "after copyFile " + p + " to " + q);
                }
            }
            case 8 -> {
                if (runnable(p)) {
                    attempt("openInput " + p, () -> {
                        try (SequentialInput f = fs.openInput(p.path())) {
                            assertEquals(Files.size(p.normalized()), f.readAll(1 << 20).length, "read " + p);
                        }
                    }, p);
                }
            }
            case 9 -> {
                if (runnable(p)) {
                    attempt("openRandomAccess " + p, () -> {
                        try (RandomAccessInput f = fs.openRandomAccess(p.path())) {
                            long size = f.size();
                            assertEquals(Files.size(p.normalized()), size, "size of " + p);
                            byte[] head = new byte[(int) Math.clamp(size, 1, 256)];
                            assertEquals(size == 0 ? -1 : head.length, f.readAt(0, head, 0, head.length),
                                    "readAt of " + p);
                        }
                    }, p);
                }
            }
            case 10, 11 -> {
                byte[] bytes = in.bytes(in.u8());
                boolean append = op == 11;
                if (runnable(p)) {
                    long before = p.normalized() != null && Files.isRegularFile(p.normalized())
                            ? Files.size(p.normalized()) : 0;
                    if (attempt((append ? "openAppend " : "openOutput ") + p, () -> {
                        try (SequentialOutput f = append ? fs.openAppend(p.path()) : fs.openOutput(p.path())) {
                            f.write(bytes);
                        }
                    }, p) && Files.isRegularFile(p.normalized())) {
                        assertEquals((append ? before : 0) + bytes.length, fs.info(p.path()).size(),
                                "size after writing " + p);
                    }
                }
            }
            default -> {
                if (p.normalized() != null) {
                    URI uri = fs.toUri(p.path());
                    assertEquals(p.normalized().toString(), fs.normalize(uri.toString()), "normalize(toUri " + p
                            + ") = " + uri);
                }
            }
        }
    }

    private void list(FuzzInput in, Target p) throws IOException {
        boolean allowNotFound = in.bool();
        boolean recursive = in.bool();
        int maxRecursion = in.below(4);
        if (!runnable(p)) {
            return;
        }
        FileSelector selector = new FileSelector(p.path(), allowNotFound, recursive, recursive ? maxRecursion
                : Integer.MAX_VALUE);
        @SuppressWarnings("unchecked")
        List<FileInfo>[] listed = new List[1];
        if (!attempt("list " + selector, () -> listed[0] = fs.list(selector), p)) {
            return;
        }
        Path base = p.normalized();
        for (FileInfo info : listed[0]) {
            Path entry = Path.of(info.path());
            assertTrue(entry.startsWith(base) && !entry.equals(base), "list " + p + " gave " + entry);
            int depth = base.relativize(entry).getNameCount();
            assertTrue(depth == 1 || (recursive && depth <= maxRecursion + 1), "list " + selector + " gave "
                    + entry + " at depth " + depth);
        }
    }
}
