package org.quiver.io.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.FileType;
import org.quiver.io.SequentialInput;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.NullArgumentProbe;

/**
 * The contract of {@link QuiverFileSystem}, run against every file system: every operation, path normalisation, and
 * the specific exception (naming the path and the operation) for each misuse. A subclass gives the file system
 * and a fresh empty directory per test; every file is made and checked through the file system itself.
 * Teardown asserts the pool has nothing left allocated.
 */
public abstract class FileSystemContract {

    /** The file system under test. */
    protected abstract QuiverFileSystem fileSystem() throws IOException;

    /** A directory that exists and is empty, new for each test, as a path of the file system. */
    protected abstract String newEmptyDirectory() throws IOException;

    private QuiverFileSystem fs;
    private String dir;
    private long startBytes;

    @BeforeEach
    void setUp() throws IOException {
        fs = fileSystem();
        dir = newEmptyDirectory();
        startBytes = MemoryPool.defaultPool().bytesAllocated();
    }

    @AfterEach
    void nothingOutstanding() {
        assertEquals(startBytes, MemoryPool.defaultPool().bytesAllocated(), "bytes left allocated");
    }

    private String p(String relative) {
        return dir + "/" + relative;
    }

    private void write(String path, String text) throws IOException {
        try (SequentialOutput out = fs.openOutput(path)) {
            out.write(text.getBytes(StandardCharsets.UTF_8));
        }
    }

    private String read(String path) throws IOException {
        try (SequentialInput in = fs.openInput(path)) {
            return new String(in.readAll(), StandardCharsets.UTF_8);
        }
    }

    private static Set<String> paths(List<FileInfo> infos) {
        return infos.stream().map(FileInfo::path).collect(Collectors.toSet());
    }

    @Test
    void pathsAreNormalisedAndRoundTripThroughUris() {
        assertEquals(dir, fs.normalize(dir + "/"));
        assertEquals(p("a/c"), fs.normalize(dir + "/a/./b/../c/"));
        assertEquals(p("x"), fs.normalize(fs.toUri(p("x")).toString()));
        assertEquals(fs.scheme(), fs.toUri(p("x")).getScheme());
        assertTrue(QuiverFileSystem.supportedSchemes().contains(fs.scheme()), QuiverFileSystem.supportedSchemes().toString());
    }

    @Test
    void infoOfFilesDirectoriesAndNothing() throws IOException {
        write(p("f.txt"), "hello");
        FileInfo file = fs.info(p("f.txt"));
        assertEquals(FileType.FILE, file.type());
        assertEquals(p("f.txt"), file.path());
        assertEquals(5, file.size());
        assertEquals("f.txt", file.baseName());
        assertEquals("txt", file.extension());
        assertTrue(Duration.between(file.mtime(), Instant.now()).abs().toMinutes() < 10, file.mtime().toString());
        FileInfo directory = fs.info(dir);
        assertTrue(directory.isDirectory());
        assertEquals(-1, directory.size());
        FileInfo missing = fs.info(p("missing"));
        assertEquals(FileType.NOT_FOUND, missing.type());
        assertNull(missing.mtime());
        assertEquals(FileType.NOT_FOUND, fs.info(p("missing/below")).type());
    }

    @Test
    void listsWithSelectors() throws IOException {
        fs.createDirectory(p("a/b/c"), true);
        write(p("a/1.txt"), "1");
        write(p("a/b/2.txt"), "22");
        write(p("a/b/c/3.txt"), "333");
        assertEquals(Set.of(p("a/1.txt"), p("a/b")), paths(fs.list(FileSelector.of(p("a")))));
        List<FileInfo> all = fs.list(FileSelector.recursive(p("a")));
        assertEquals(Set.of(p("a/1.txt"), p("a/b"), p("a/b/2.txt"), p("a/b/c"), p("a/b/c/3.txt")), paths(all));
        assertEquals(3, all.stream().filter(FileInfo::isFile).mapToLong(FileInfo::size).max().orElseThrow());
        assertEquals(Set.of(p("a/1.txt"), p("a/b"), p("a/b/2.txt"), p("a/b/c")),
                paths(fs.list(new FileSelector(p("a"), false, true, 1))), "one level below the base");
        assertEquals(List.of(), fs.list(FileSelector.of(p("none")).allowingNotFound()));
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> fs.list(FileSelector.of(p("none"))));
        assertTrue(e.getMessage().contains("list") && e.getMessage().contains(p("none")), e.getMessage());
        NotDirectoryException n = assertThrows(NotDirectoryException.class,
                () -> fs.list(FileSelector.of(p("a/1.txt"))));
        assertTrue(n.getMessage().contains("list") && n.getMessage().contains(p("a/1.txt")), n.getMessage());
        assertPublicType(n);
    }

    /**
     * Messages and stack traces print the exception's class name: it must be the JDK's or a public, named one,
     * never an anonymous or internal class of the implementation ({@code ...internal.Errors$1}).
     */
    private static void assertPublicType(Exception e) {
        Class<?> type = e.getClass();
        assertTrue(Modifier.isPublic(type.getModifiers()) && !type.isAnonymousClass() && !type.getName().contains("$")
                && !type.getName().contains(".internal."), "exception type " + type.getName() + ": " + e);
    }

    @Test
    void createAndDeleteDirectories() throws IOException {
        fs.createDirectory(p("d"), false);
        FileAlreadyExistsException exists = assertThrows(FileAlreadyExistsException.class,
                () -> fs.createDirectory(p("d"), false));
        assertTrue(exists.getMessage().contains("createDirectory") && exists.getMessage().contains(p("d")),
                exists.getMessage());
        fs.createDirectory(p("d"), true); // fine when recursive
        NoSuchFileException parent = assertThrows(NoSuchFileException.class, () -> fs.createDirectory(p("x/y"), false));
        assertTrue(parent.getMessage().contains(p("x/y")), parent.getMessage());
        write(p("plain"), "x");
        assertThrows(FileAlreadyExistsException.class, () -> fs.createDirectory(p("plain"), true));
        fs.createDirectory(p("d/e/f"), true);
        write(p("d/e/f/file"), "x");
        write(p("d/top"), "x");
        fs.deleteDirectoryContents(p("d"), false);
        assertTrue(fs.info(p("d")).isDirectory());
        assertEquals(List.of(), fs.list(FileSelector.of(p("d"))));
        fs.deleteDirectoryContents(p("gone"), true);
        assertThrows(NoSuchFileException.class, () -> fs.deleteDirectoryContents(p("gone"), false));
        fs.createDirectory(p("d/again"), true);
        fs.deleteDirectory(p("d"));
        assertEquals(FileType.NOT_FOUND, fs.info(p("d")).type());
        NotDirectoryException notDir = assertThrows(NotDirectoryException.class, () -> fs.deleteDirectory(p("plain")));
        assertTrue(notDir.getMessage().contains("deleteDirectory"), notDir.getMessage());
        assertPublicType(notDir);
        assertThrows(NoSuchFileException.class, () -> fs.deleteDirectory(p("gone")));
        assertThrows(NotDirectoryException.class, () -> fs.deleteDirectoryContents(p("plain"), true));
    }

    @Test
    void deleteMoveAndCopyFiles() throws IOException {
        write(p("src"), "payload");
        fs.copyFile(p("src"), p("copy"));
        assertEquals("payload", read(p("copy")));
        assertEquals("payload", read(p("src")), "the source stays");
        write(p("target"), "old");
        fs.copyFile(p("src"), p("target"));
        assertEquals("payload", read(p("target")), "a copy replaces a file");
        write(p("target"), "old");
        fs.move(p("copy"), p("target"));
        assertEquals("payload", read(p("target")), "a move replaces a file");
        assertEquals(FileType.NOT_FOUND, fs.info(p("copy")).type());
        fs.deleteFile(p("target"));
        assertEquals(FileType.NOT_FOUND, fs.info(p("target")).type());
        NoSuchFileException e = assertThrows(NoSuchFileException.class, () -> fs.deleteFile(p("target")));
        assertTrue(e.getMessage().contains("deleteFile") && e.getMessage().contains(p("target")), e.getMessage());
        assertThrows(NoSuchFileException.class, () -> fs.move(p("absent"), p("elsewhere")));
        assertThrows(NoSuchFileException.class, () -> fs.copyFile(p("absent"), p("elsewhere")));
        fs.createDirectory(p("dir"), false);
        IsDirectoryException isDir = assertThrows(IsDirectoryException.class, () -> fs.deleteFile(p("dir")));
        assertTrue(isDir.getMessage().contains(p("dir")), isDir.getMessage());
        assertThrows(IsDirectoryException.class, () -> fs.copyFile(p("dir"), p("dir2")));
        assertThrows(IsDirectoryException.class, () -> fs.openInput(p("dir")));
        assertThrows(IsDirectoryException.class, () -> fs.openRandomAccess(p("dir")));
        assertThrows(IsDirectoryException.class, () -> fs.openOutput(p("dir")));
        write(p("dir/inner"), "x");
        fs.move(p("dir"), p("moved"));
        assertEquals("x", read(p("moved/inner")), "a directory moves with its contents");
        assertEquals(FileType.NOT_FOUND, fs.info(p("dir")).type());
        fs.createDirectory(p("full"), false);
        write(p("full/f"), "x");
        DirectoryNotEmptyException full = assertThrows(DirectoryNotEmptyException.class,
                () -> fs.move(p("moved"), p("full")));
        assertTrue(full.getMessage().contains(p("full")) && full.getMessage().contains("move"), full.getMessage());
        assertPublicType(full);
        assertEquals("x", read(p("moved/inner")), "a refused move changes nothing");
    }

    /**
     * A copy or a move of a file replaces a file, never a directory, even an empty one (the JDK's
     * {@code REPLACE_EXISTING} would delete it); a directory replaces only an empty directory. A refused call
     * changes nothing.
     */
    @Test
    void copyAndMoveReplaceOnlyWhatIsOfTheSourcesKind() throws IOException {
        write(p("src"), "payload");
        fs.createDirectory(p("empty"), false);
        IsDirectoryException copy = assertThrows(IsDirectoryException.class, () -> fs.copyFile(p("src"), p("empty")));
        // both paths and the operation (a sub-tree's exceptions name its base file system's paths, which end so)
        assertTrue(copy.getMessage().contains(p("empty")) && copy.getMessage().contains("copyFile from ")
                && copy.getMessage().contains(p("src")), copy.getMessage());
        IsDirectoryException move = assertThrows(IsDirectoryException.class, () -> fs.move(p("src"), p("empty")));
        assertTrue(move.getMessage().contains(p("empty")) && move.getMessage().contains("move from ")
                && move.getMessage().contains(p("src")), move.getMessage());
        assertTrue(fs.info(p("empty")).isDirectory(), "the directory stays");
        assertEquals("payload", read(p("src")), "the source stays");
        fs.createDirectory(p("dir"), false);
        write(p("dir/inner"), "x");
        FileAlreadyExistsException dirOntoFile = assertThrows(FileAlreadyExistsException.class,
                () -> fs.move(p("dir"), p("src")));
        assertTrue(dirOntoFile.getMessage().contains(p("src")), dirOntoFile.getMessage());
        assertEquals("payload", read(p("src")), "the file stays");
        fs.move(p("dir"), p("empty"));
        assertEquals("x", read(p("empty/inner")), "a directory replaces an empty directory");
    }

    /**
     * An empty path is refused by every operation with an {@link IllegalArgumentException} naming the operation:
     * the local file system would resolve it to the working directory, so that {@code deleteDirectoryContents("")}
     * emptied it. The calls that cannot destroy anything come first: a file system that takes {@code ""} fails
     * the test there, before a delete or a move is tried.
     */
    @Test
    void emptyPathsAreRefusedBeforeAnythingHappens() throws IOException {
        write(p("src"), "payload");
        assertEmptyPathRefused("normalize", () -> fs.normalize(""));
        assertEmptyPathRefused("toUri", () -> fs.toUri(""));
        assertEmptyPathRefused("info", () -> fs.info(""));
        assertEmptyPathRefused("list", () -> fs.list(FileSelector.of("").allowingNotFound()));
        assertEmptyPathRefused("createDirectory", () -> fs.createDirectory("", true));
        assertEmptyPathRefused("openInput", () -> fs.openInput("").close());
        assertEmptyPathRefused("openRandomAccess", () -> fs.openRandomAccess("").close());
        assertEmptyPathRefused("openOutput", () -> fs.openOutput("").close());
        assertEmptyPathRefused("openAppend", () -> fs.openAppend("").close());
        assertEmptyPathRefused("deleteFile", () -> fs.deleteFile(""));
        assertEmptyPathRefused("copyFile", () -> fs.copyFile("", p("copy")));
        assertEmptyPathRefused("copyFile", () -> fs.copyFile(p("src"), ""));
        // only now the calls that would delete or move the working directory if "" got through
        assertEmptyPathRefused("move", () -> fs.move(p("src"), ""));
        assertEmptyPathRefused("move", () -> fs.move("", p("moved")));
        assertEmptyPathRefused("deleteDirectoryContents", () -> fs.deleteDirectoryContents("", true));
        assertEmptyPathRefused("deleteDirectoryContents", () -> fs.deleteDirectoryContents("", false));
        assertEmptyPathRefused("deleteDirectory", () -> fs.deleteDirectory(""));
        assertEquals("payload", read(p("src")));
        assertEquals(FileType.NOT_FOUND, fs.info(p("copy")).type());
    }

    private static void assertEmptyPathRefused(String operation, Executable call) {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, operation + "(\"\")");
        assertTrue(e.getMessage().startsWith(operation + ": ") && e.getMessage().contains("empty"), e.getMessage());
    }

    /**
     * {@code deleteDirectory} and {@code deleteDirectoryContents} refuse the root, as a path and as a URI, saying
     * why: it is what a path built from an empty variable gives, never what was meant (Arrow refuses it too).
     */
    @Test
    void theRootIsNeverDeleted() {
        for (String root : List.of("/", fs.toUri("/").toString())) {
            for (Executable call : List.<Executable>of(() -> fs.deleteDirectory(root),
                    () -> fs.deleteDirectoryContents(root, false), () -> fs.deleteDirectoryContents(root, true))) {
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call, root);
                assertTrue(e.getMessage().startsWith("deleteDirectory") && e.getMessage().contains("root directory"),
                        e.getMessage());
            }
        }
    }

    /**
     * Every method of the file system, called with {@code null} for each reference argument in turn (the others
     * naming a path that does not exist), throws a {@link NullPointerException} whose message is the argument's
     * name, at the call, never the JDK's text about the implementation's internals.
     */
    @Test
    void nullArgumentsAreNamedAtTheCall() throws Exception {
        List<String> failures = new ArrayList<>();
        for (Method m : QuiverFileSystem.class.getMethods()) {
            if (Modifier.isStatic(m.getModifiers())) {
                continue;
            }
            Class<?>[] types = m.getParameterTypes();
            for (int i = 0; i < types.length; i++) {
                if (types[i].isPrimitive()) {
                    continue;
                }
                Object[] args = new Object[types.length];
                for (int j = 0; j < types.length; j++) {
                    if (j != i) {
                        args[j] = types[j] == boolean.class ? Boolean.TRUE
                                : types[j] == String.class ? p("absent") : null;
                    }
                }
                String call = "QuiverFileSystem." + m.getName() + " argument " + i + " (" + types[i].getSimpleName() + ")";
                try {
                    Object result = m.invoke(fs, args);
                    failures.add(call + ": accepted null, returned " + result);
                } catch (InvocationTargetException e) {
                    if (!NullArgumentProbe.namesTheArgument(e.getCause())) {
                        failures.add(call + ": " + e.getCause());
                    }
                }
            }
        }
        assertTrue(failures.isEmpty(), failures.size() + " call(s) with a null argument:\n" + String.join("\n",
                failures));
    }

    @Test
    void opensStreamsAndFiles() throws IOException {
        try (SequentialOutput out = fs.openOutput(fs.toUri(p("data.bin")).toString())) {
            out.write("hello ".getBytes(StandardCharsets.US_ASCII));
            assertEquals(6, out.tell());
        }
        try (SequentialOutput out = fs.openAppend(p("data.bin"))) {
            out.write("world".getBytes(StandardCharsets.US_ASCII));
        }
        assertEquals(11, fs.info(p("data.bin")).size());
        try (SequentialInput in = fs.openInput(p("data.bin"))) {
            assertEquals("hello world", new String(in.readAll(), StandardCharsets.US_ASCII));
        }
        try (RandomAccessInput in = fs.openRandomAccess(p("./x/../data.bin"))) {
            assertEquals(11, in.size());
            byte[] w = new byte[5];
            assertEquals(5, in.readAt(6, w, 0, 5));
            assertArrayEquals("world".getBytes(StandardCharsets.US_ASCII), w);
            try (Buffer b = in.readBufferAt(0, 100)) {
                assertEquals(11, b.size(), "shorter only at the end");
                assertEquals('h', b.getByte(0));
            }
        }
        try (SequentialOutput out = fs.openOutput(p("data.bin"))) {
            out.write(new byte[] {7});
        }
        assertEquals(1, fs.info(p("data.bin")).size(), "opening for writing truncates");
        try (SequentialOutput out = fs.openAppend(p("new.bin"))) {
            out.write(new byte[] {1, 2});
        }
        assertEquals(2, fs.info(p("new.bin")).size(), "append creates a missing file");
        NoSuchFileException missing = assertThrows(NoSuchFileException.class, () -> fs.openRandomAccess(p("absent")));
        assertTrue(missing.getMessage().contains(p("absent")), missing.getMessage());
        assertThrows(NoSuchFileException.class, () -> fs.openInput(p("absent")));
    }

    @Test
    void filesStayUsableAfterTheFileSystemHandleCloses() throws IOException {
        write(p("kept"), "still here");
        QuiverFileSystem another = QuiverFileSystem.fromUri(fs.toUri(dir));
        // by URI: a sub-tree's paths are not its base file system's, its URIs are
        SequentialInput in = another.openInput(fs.toUri(p("kept")).toString());
        SequentialOutput out = another.openOutput(fs.toUri(p("written")).toString());
        another.close();
        another.close(); // idempotent
        try (in; out) {
            assertEquals("still here", new String(in.readAll(), StandardCharsets.UTF_8));
            out.write(new byte[] {1, 2, 3});
        }
        assertEquals(3, fs.info(p("written")).size(), "the original handle still works");
    }
}
