package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.FileType;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.io.SubTreeFileSystem;

/**
 * pyarrow's {@code SubTreeFileSystem} on the local disk, beyond the contract ({@code FileSystemTest}): every way out
 * of the sub-tree is refused before anything happens outside it.
 */
class SubTreeFileSystemTest extends OsFileTestBase {

    private Path root;
    private Path outside;
    private SubTreeFileSystem tree;

    @BeforeEach
    void makeTheTree() throws IOException {
        root = Files.createDirectories(dir.resolve("root"));
        outside = Files.createDirectories(dir.resolve("outside"));
        Files.writeString(outside.resolve("secret.txt"), "not yours");
        Files.createDirectories(root.resolve("in"));
        Files.writeString(root.resolve("in/a.csv"), "x,y\n");
        tree = SubTreeFileSystem.of(root.toString(), QuiverFileSystem.local());
    }

    private String read(String path) throws IOException {
        try (SequentialInput in = tree.openInput(path)) {
            return new String(in.readAll(), StandardCharsets.UTF_8);
        }
    }

    @Test
    void pathsAreTheSubTreesRelativeOrNot() throws IOException {
        assertEquals("x,y\n", read("/in/a.csv"));
        assertEquals("x,y\n", read("in/a.csv"), "pyarrow's relative form names the same file");
        assertEquals("x,y\n", read("in/../in/./a.csv"));
        assertEquals("/in/a.csv", tree.info("in/a.csv").path());
        assertEquals("/", tree.normalize("in/.."));
        assertEquals(root.resolve("in/a.csv").toUri(), tree.toUri("/in/a.csv"));
        assertEquals("/in/a.csv", tree.normalize(root.resolve("in/a.csv").toUri().toString()), "a URI inside");
        List<FileInfo> all = tree.list(FileSelector.recursive("/"));
        assertEquals(Set.of("/in", "/in/a.csv"), all.stream().map(FileInfo::path).collect(Collectors.toSet()));
        assertEquals(root.toString(), tree.basePath());
        assertEquals("file", tree.scheme());
        tree.close();
        assertEquals("x,y\n", read("/in/a.csv"), "closing a sub-tree leaves the base file system open");
    }

    @Test
    void dotDotAboveTheRootIsRefused() {
        for (Executable escape : List.<Executable>of(() -> tree.openInput("../outside/secret.txt").close(),
                () -> tree.openInput("/in/../../outside/secret.txt").close(),
                () -> tree.info(".."), () -> tree.deleteFile("../outside/secret.txt"),
                () -> tree.move("/in/a.csv", "../outside/moved.csv"),
                () -> tree.copyFile("../outside/secret.txt", "/stolen.txt"),
                () -> tree.list(FileSelector.of("..")), () -> tree.normalize("../x"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, escape);
            assertTrue(e.getMessage().contains("climbs above the root of the sub-tree " + root), e.getMessage());
        }
        IllegalArgumentException uri = assertThrows(IllegalArgumentException.class,
                () -> tree.openInput(outside.resolve("secret.txt").toUri().toString()));
        assertEquals("openInput: path '" + outside.resolve("secret.txt").toUri() + "' is outside the sub-tree " + root,
                uri.getMessage());
        assertTrue(Files.exists(outside.resolve("secret.txt")));
        assertTrue(Files.exists(root.resolve("in/a.csv")), "the refused move moved nothing");
        assertFalse(Files.exists(root.resolve("stolen.txt")));
    }

    @Test
    void symbolicLinksLeadingOutAreRefused() throws IOException {
        Files.createSymbolicLink(root.resolve("to-dir"), outside);
        Files.createSymbolicLink(root.resolve("to-file"), outside.resolve("secret.txt"));
        Files.createSymbolicLink(root.resolve("relative"), Path.of("../outside/secret.txt"));
        Files.createSymbolicLink(root.resolve("dangling"), outside.resolve("created-through-a-link.txt"));
        Files.createSymbolicLink(root.resolve("in/hop"), Path.of("../relative")); // a link to a link out
        for (String path : List.of("/to-dir/secret.txt", "/to-file", "/relative", "/in/hop")) {
            AccessDeniedException e = assertThrows(AccessDeniedException.class, () -> read(path), path);
            assertTrue(e.getMessage().contains("openInput: path leads outside the sub-tree " + root
                    + " through a symbolic link"), e.getMessage());
            assertEquals(path, e.getFile());
        }
        assertThrows(AccessDeniedException.class, () -> tree.openOutput("/dangling").close());
        assertFalse(Files.exists(outside.resolve("created-through-a-link.txt")), "no file created outside");
        assertThrows(AccessDeniedException.class, () -> tree.openOutput("/to-dir/new.txt").close());
        assertThrows(AccessDeniedException.class, () -> tree.createDirectory("/to-dir/made", true));
        assertThrows(AccessDeniedException.class, () -> tree.list(FileSelector.of("/to-dir")));
        assertThrows(AccessDeniedException.class, () -> tree.deleteDirectoryContents("/to-dir", false));
        assertThrows(AccessDeniedException.class, () -> tree.copyFile("/in/a.csv", "/to-dir/copy.csv"));
        assertEquals(Set.of("secret.txt"), names(outside), "nothing happened outside");
        Set<String> listed = tree.list(FileSelector.recursive("/")).stream().map(FileInfo::path)
                .collect(Collectors.toSet());
        assertEquals(Set.of("/in", "/in/a.csv"), listed, "what the links lead to outside is not listed");
    }

    @Test
    void linksThatStayInsideWork() throws IOException {
        Files.createSymbolicLink(root.resolve("alias"), Path.of("in"));
        Files.createSymbolicLink(root.resolve("absolute-alias"), root.resolve("in/a.csv"));
        assertEquals("x,y\n", read("/alias/a.csv"));
        assertEquals("x,y\n", read("/absolute-alias"));
        try (SequentialOutput out = tree.openOutput("/alias/b.csv")) {
            out.write(new byte[] {1});
        }
        assertTrue(Files.exists(root.resolve("in/b.csv")));
        Files.createSymbolicLink(root.resolve("loop-a"), Path.of("loop-b"));
        Files.createSymbolicLink(root.resolve("loop-b"), Path.of("loop-a"));
        FileSystemException loop = assertThrows(FileSystemException.class, () -> tree.info("/loop-a"));
        assertTrue(loop.getMessage().contains("too many levels of symbolic links"), loop.getMessage());
    }

    /** A sub-tree whose root is itself reached through a link is checked against where the link leads. */
    @Test
    void aRootReachedThroughALinkIsWhereTheLinkLeads() throws IOException {
        Path alias = Files.createSymbolicLink(dir.resolve("root-alias"), root);
        SubTreeFileSystem viaAlias = SubTreeFileSystem.of(alias.toString(), QuiverFileSystem.local());
        assertEquals(FileType.FILE, viaAlias.info("/in/a.csv").type());
        assertEquals("/in/a.csv", viaAlias.info("/in/a.csv").path());
        assertThrows(IllegalArgumentException.class, () -> viaAlias.info("/../outside"));
    }

    @Test
    void theRootStaysAndBadArgumentsAreNamed() throws IOException {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> tree.deleteDirectory("/in/.."));
        assertEquals("deleteDirectory: refused for the root directory of the sub-tree " + root
                + ": delete the entries below it by name instead", e.getMessage());
        assertTrue(Files.isDirectory(root.resolve("in")));
        assertEquals("basePath", assertThrows(NullPointerException.class,
                () -> SubTreeFileSystem.of(null, QuiverFileSystem.local())).getMessage());
        assertTrue(assertThrows(IllegalArgumentException.class, () -> SubTreeFileSystem.of("", tree)).getMessage()
                .contains("empty basePath"));
        // a sub-tree of a sub-tree is one sub-tree, lower: it cannot climb out of either
        SubTreeFileSystem inner = SubTreeFileSystem.of("/in", tree);
        assertEquals(root.resolve("in").toString(), inner.basePath());
        try (SequentialInput in = inner.openInput("a.csv")) {
            assertEquals("x,y\n", new String(in.readAll(), StandardCharsets.UTF_8));
        }
        assertThrows(IllegalArgumentException.class, () -> inner.info("../in/a.csv"));
        Files.createSymbolicLink(root.resolve("in/up"), Path.of(".."));
        assertThrows(AccessDeniedException.class, () -> inner.info("/up/a.csv"), "out of the inner one by a link");
        assertEquals(FileType.FILE, inner.info("/up/in/a.csv").type(), "a link out and back in stays inside");
        assertThrows(IllegalArgumentException.class, () -> SubTreeFileSystem.of("../outside", tree));
    }

    private static Set<String> names(Path directory) throws IOException {
        try (var s = Files.list(directory)) {
            return s.map(p -> p.getFileName().toString()).collect(Collectors.toSet());
        }
    }
}
