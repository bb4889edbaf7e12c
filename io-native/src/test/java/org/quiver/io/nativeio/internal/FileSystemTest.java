package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SubTreeFileSystem;
import org.quiver.io.FileType;
import org.quiver.io.OSFile;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.testing.FileSystemContract;

/**
 * The {@code file:} file system through the registry: the {@link FileSystemContract}, and what is particular to
 * the local disk (relative paths, {@code localhost} URIs, devices, OS files).
 */
class FileSystemTest {

    @TempDir
    Path dir;

    private String p(String relative) {
        return dir.resolve(relative).toString();
    }

    @Test
    void theRegistryPicksTheLocalFileSystemByScheme() throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.fromUri(dir.toUri());
        assertEquals("file", fs.scheme());
        assertSame(fs, QuiverFileSystem.local());
        assertSame(fs, QuiverFileSystem.fromUri("/tmp"), "a path without a scheme is local");
        assertTrue(QuiverFileSystem.supportedSchemes().contains("file"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> QuiverFileSystem.fromUri("gopher://host/x"));
        assertTrue(e.getMessage().contains("'gopher'") && e.getMessage().contains("file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> QuiverFileSystem.fromUri(URI.create("file:///x"), Map.of("a", "b")));
    }

    @Test
    void pathsAndUrisAreNormalised() throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.local();
        assertEquals(p("a/c"), fs.normalize(p("a/./b/../c/")));
        assertEquals(p("x"), fs.normalize(dir.toUri() + "x"));
        assertEquals(p("y"), fs.normalize("file://localhost" + dir + "/y"));
        assertEquals(Path.of("").toAbsolutePath().resolve("rel/z").toString(), fs.normalize("rel/z"));
        assertEquals(dir.resolve("q").toUri(), fs.toUri(p("q")));
        assertThrows(IllegalArgumentException.class, () -> fs.normalize("file://otherhost/x"));
        assertThrows(IllegalArgumentException.class, () -> fs.normalize("hdfs://nn/x"));
    }

    @Test
    void devicesAreOfUnknownType() throws IOException {
        assertEquals(FileType.UNKNOWN, QuiverFileSystem.local().info("/dev/null").type());
    }

    @Test
    void filesAreOsFiles() throws IOException {
        Files.writeString(dir.resolve("f"), "x");
        try (RandomAccessInput in = QuiverFileSystem.local().openRandomAccess(p("f"))) {
            assertTrue(in instanceof OSFile);
        }
    }

    /**
     * {@code ""} resolved to the working directory, so {@code deleteDirectoryContents("", false)} emptied it and
     * {@code deleteDirectory("")} deleted it. The calls run in another JVM whose working directory is a sandbox
     * here, so that even without the check they destroy nothing but the sandbox.
     */
    @Test
    void anEmptyPathNeverReachesTheWorkingDirectory() throws IOException, InterruptedException {
        Path sandbox = Files.createDirectory(dir.resolve("working-directory"));
        Path kept = Files.writeString(sandbox.resolve("kept.txt"), "still here");
        Path launcher = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(launcher.toString(), "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx64m",
                "--enable-native-access=ALL-UNNAMED", "-cp",
                String.join(File.pathSeparator, CodecLibraryLeftOutTest.testClassPath()),
                EmptyPathProbe.class.getName()).directory(sandbox.toFile()).redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not end: " + output);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), output);
        assertEquals("still here", Files.readString(kept), "the working directory keeps its files: " + output);
        for (String operation : List.of("deleteDirectoryContents", "deleteDirectory")) {
            assertTrue(output.contains(operation + " refused: " + operation + ": empty path"), output);
        }
    }

    /**
     * An opaque {@code file:} URI ({@code file:x}, found by fuzzing: FileSystemFuzzTest) has no path: it named the
     * root directory, so {@code createDirectory("file:x", true)} succeeded and created nothing, and {@code info}
     * described "/". It is refused, naming the operation and the path.
     */
    @Test
    void anOpaqueFileUriIsRefused() throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.local();
        for (String opaque : List.of("file:(", "file:x", "file:data.csv", "file:?q")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> fs.normalize(opaque));
            assertTrue(e.getMessage().contains("normalize") && e.getMessage().contains("'" + opaque + "'"),
                    e.getMessage());
            assertThrows(IllegalArgumentException.class, () -> fs.createDirectory(opaque, true));
            assertThrows(IllegalArgumentException.class, () -> fs.info(opaque));
            assertThrows(IllegalArgumentException.class, () -> fs.openInput(opaque));
        }
        assertEquals("/", fs.normalize("file:/"), "a hierarchical URI of the root still names it");
        assertEquals(p("x"), fs.normalize("file:" + dir + "/x"));
    }

    /**
     * Listing follows symbolic links, as Arrow's local file system does: a link to a directory is listed as one and
     * listed into; a link back up the tree is listed once and not entered again; a dangling link is left out.
     */
    @Test
    void listingFollowsLinksAndStopsAtLoops() throws IOException {
        Path outside = java.nio.file.Files.createDirectories(dir.resolve("outside/deeper"));
        java.nio.file.Files.writeString(outside.resolve("x.txt"), "x");
        Path tree = java.nio.file.Files.createDirectories(dir.resolve("tree"));
        java.nio.file.Files.createSymbolicLink(tree.resolve("linked"), dir.resolve("outside"));
        java.nio.file.Files.createSymbolicLink(tree.resolve("loop"), tree);
        java.nio.file.Files.createSymbolicLink(tree.resolve("dangling"), dir.resolve("nothing"));
        java.util.Map<String, FileType> found = new java.util.TreeMap<>();
        for (org.quiver.io.FileInfo f : QuiverFileSystem.local().list(org.quiver.io.FileSelector.recursive(
                tree.toString()))) {
            found.put(tree.relativize(Path.of(f.path())).toString(), f.type());
        }
        assertEquals(java.util.Map.of("linked", FileType.DIRECTORY, "linked/deeper", FileType.DIRECTORY,
                "linked/deeper/x.txt", FileType.FILE, "loop", FileType.DIRECTORY), found);
    }

    /** The contract every file system meets, on a fresh temporary directory per test. */
    @Nested
    class Contract extends FileSystemContract {

        @Override
        protected QuiverFileSystem fileSystem() throws IOException {
            return QuiverFileSystem.local();
        }

        @Override
        protected String newEmptyDirectory() {
            return dir.toString();
        }
    }

    /** The same contract on a sub-tree of the local file system (pyarrow's {@code SubTreeFileSystem}). */
    @Nested
    class SubTreeContract extends FileSystemContract {

        private int next;

        @Override
        protected QuiverFileSystem fileSystem() throws IOException {
            return SubTreeFileSystem.of(dir.resolve("tree").toString(), QuiverFileSystem.local());
        }

        @Override
        protected String newEmptyDirectory() throws IOException {
            String name = "case" + next++;
            java.nio.file.Files.createDirectories(dir.resolve("tree").resolve(name));
            return "/" + name;
        }
    }
}
