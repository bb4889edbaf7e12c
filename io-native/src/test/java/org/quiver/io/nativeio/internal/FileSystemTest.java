package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.FileSystem;
import org.quiver.io.FileType;
import org.quiver.io.InputFile;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.OSFile;
import org.quiver.io.OutputFile;
import org.quiver.io.RandomAccessInput;

/** The {@code file:} file system through the registry: every operation, normalisation, and its errors. */
class FileSystemTest {

    @TempDir
    Path dir;

    private String p(String relative) {
        return dir.resolve(relative).toString();
    }

    @Test
    void theRegistryPicksTheLocalFileSystemByScheme() throws IOException {
        FileSystem fs = FileSystem.fromUri(dir.toUri());
        assertEquals("file", fs.scheme());
        assertSame(fs, FileSystem.local());
        assertSame(fs, FileSystem.fromUri("/tmp"), "a path without a scheme is local");
        assertTrue(FileSystem.supportedSchemes().contains("file"));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> FileSystem.fromUri("gopher://host/x"));
        assertTrue(e.getMessage().contains("'gopher'") && e.getMessage().contains("file"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> FileSystem.fromUri(URI.create("file:///x"), Map.of("a", "b")));
    }

    @Test
    void pathsAndUrisAreNormalised() throws IOException {
        FileSystem fs = FileSystem.local();
        assertEquals(p("a/c"), fs.normalize(p("a/./b/../c/")));
        assertEquals(p("x"), fs.normalize(dir.toUri() + "x"));
        assertEquals(p("y"), fs.normalize("file://localhost" + dir + "/y"));
        assertEquals(Path.of("").toAbsolutePath().resolve("rel/z").toString(), fs.normalize("rel/z"));
        assertEquals(dir.resolve("q").toUri(), fs.toUri(p("q")));
        assertThrows(IllegalArgumentException.class, () -> fs.normalize("file://otherhost/x"));
        assertThrows(IllegalArgumentException.class, () -> fs.normalize("hdfs://nn/x"));
    }

    @Test
    void infoOfFilesDirectoriesAndNothing() throws IOException {
        FileSystem fs = FileSystem.local();
        Files.writeString(dir.resolve("f.txt"), "hello");
        FileInfo file = fs.info(p("f.txt"));
        assertEquals(FileType.FILE, file.type());
        assertEquals(5, file.size());
        assertEquals("f.txt", file.baseName());
        assertEquals("txt", file.extension());
        assertTrue(file.mtime().isAfter(Instant.now().minusSeconds(600)));
        FileInfo directory = fs.info(dir.toString());
        assertTrue(directory.isDirectory());
        assertEquals(-1, directory.size());
        FileInfo missing = fs.info(p("missing"));
        assertEquals(FileType.NOT_FOUND, missing.type());
        assertNull(missing.mtime());
        assertEquals(FileType.UNKNOWN, fs.info("/dev/null").type());
    }

    @Test
    void listsWithSelectors() throws IOException {
        FileSystem fs = FileSystem.local();
        fs.createDirectory(p("a/b/c"), true);
        Files.writeString(dir.resolve("a/1.txt"), "1");
        Files.writeString(dir.resolve("a/b/2.txt"), "22");
        Files.writeString(dir.resolve("a/b/c/3.txt"), "333");
        assertEquals(Set.of(p("a/1.txt"), p("a/b")), paths(fs.list(FileSelector.of(p("a")))));
        assertEquals(Set.of(p("a/1.txt"), p("a/b"), p("a/b/2.txt"), p("a/b/c"), p("a/b/c/3.txt")),
                paths(fs.list(FileSelector.recursive(p("a")))));
        assertEquals(Set.of(p("a/1.txt"), p("a/b"), p("a/b/2.txt"), p("a/b/c")),
                paths(fs.list(new FileSelector(p("a"), false, true, 1))), "one level below the base");
        assertEquals(List.of(), fs.list(FileSelector.of(p("none")).allowingNotFound()));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> fs.list(FileSelector.of(p("none"))));
        assertTrue(e.getMessage().contains("list") && e.getMessage().contains(p("none")), e.getMessage());
        NotDirectoryException n = assertThrows(NotDirectoryException.class, () -> fs.list(FileSelector.of(p("a/1.txt"))));
        assertTrue(n.getMessage().contains("list"), n.getMessage());
    }

    private static Set<String> paths(List<FileInfo> infos) {
        return infos.stream().map(FileInfo::path).collect(Collectors.toSet());
    }

    @Test
    void createAndDeleteDirectories() throws IOException {
        FileSystem fs = FileSystem.local();
        fs.createDirectory(p("d"), false);
        FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                () -> fs.createDirectory(p("d"), false));
        assertTrue(exists.getMessage().contains("createDirectory"), exists.getMessage());
        fs.createDirectory(p("d"), true); // fine when recursive
        assertThrows(NoSuchFileException.class, () -> fs.createDirectory(p("x/y"), false));
        fs.createDirectory(p("d/e/f"), true);
        Files.writeString(dir.resolve("d/e/f/file"), "x");
        Files.writeString(dir.resolve("d/top"), "x");
        fs.deleteDirectoryContents(p("d"), false);
        assertTrue(Files.isDirectory(dir.resolve("d")));
        assertEquals(List.of(), fs.list(FileSelector.of(p("d"))));
        fs.deleteDirectoryContents(p("gone"), true);
        assertThrows(NoSuchFileException.class, () -> fs.deleteDirectoryContents(p("gone"), false));
        fs.createDirectory(p("d/again"), true);
        fs.deleteDirectory(p("d"));
        assertEquals(FileType.NOT_FOUND, fs.info(p("d")).type());
        Files.writeString(dir.resolve("plain"), "x");
        assertThrows(NotDirectoryException.class, () -> fs.deleteDirectory(p("plain")));
    }

    @Test
    void deleteMoveAndCopyFiles() throws IOException {
        FileSystem fs = FileSystem.local();
        Files.writeString(dir.resolve("src"), "payload");
        fs.copyFile(p("src"), p("copy"));
        assertEquals("payload", Files.readString(dir.resolve("copy")));
        Files.writeString(dir.resolve("target"), "old");
        fs.move(p("copy"), p("target"));
        assertEquals("payload", Files.readString(dir.resolve("target")), "a move replaces a file");
        assertFalse(Files.exists(dir.resolve("copy")));
        fs.deleteFile(p("target"));
        assertFalse(Files.exists(dir.resolve("target")));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> fs.deleteFile(p("target")));
        assertTrue(e.getMessage().contains("deleteFile"), e.getMessage());
        fs.createDirectory(p("dir"), false);
        assertThrows(IsDirectoryException.class, () -> fs.deleteFile(p("dir")));
        assertThrows(IsDirectoryException.class, () -> fs.copyFile(p("dir"), p("dir2")));
        assertThrows(IsDirectoryException.class, () -> fs.openInputStream(p("dir")));
        fs.move(p("dir"), p("moved"));
        assertTrue(Files.isDirectory(dir.resolve("moved")));
        Files.writeString(dir.resolve("moved/inner"), "x");
        fs.createDirectory(p("full"), false);
        Files.writeString(dir.resolve("full/f"), "x");
        assertThrows(DirectoryNotEmptyException.class, () -> fs.move(p("moved"), p("full")));
    }

    @Test
    void opensStreamsAndFiles() throws IOException {
        FileSystem fs = FileSystem.fromUri(dir.toUri());
        try (OutputFile out = fs.openOutputStream(dir.toUri() + "data.bin")) {
            out.write("hello ".getBytes(StandardCharsets.US_ASCII));
        }
        try (OutputFile out = fs.openAppendStream(p("data.bin"))) {
            out.write("world".getBytes(StandardCharsets.US_ASCII));
        }
        try (InputFile in = fs.openInputStream(p("data.bin"))) {
            assertEquals("hello world", new String(in.readAll(), StandardCharsets.US_ASCII));
        }
        try (RandomAccessInput in = fs.openInputFile(p("./x/../data.bin"))) {
            assertEquals(11, in.size());
            byte[] w = new byte[5];
            in.readAt(6, w, 0, 5);
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), w);
            assertTrue(in instanceof OSFile);
        }
        try (OutputFile out = fs.openAppendStream(p("new.bin"))) {
            out.write(new byte[] {1});
        }
        assertEquals(1, Files.size(dir.resolve("new.bin")), "append creates a missing file");
        assertThrows(NoSuchFileException.class, () -> fs.openInputFile(p("absent")));
    }
}
