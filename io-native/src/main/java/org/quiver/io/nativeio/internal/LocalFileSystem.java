package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Objects;

import org.quiver.internal.kit.Locations;
import org.quiver.io.FileInfo;
import org.quiver.io.FileMode;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.FileType;
import org.quiver.io.SequentialInput;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.NonEmptyDirectoryException;
import org.quiver.io.NotADirectoryException;
import org.quiver.io.NotRegularFileException;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;

/**
 * The {@code file:} file system: directory operations through {@link java.nio.file.Files}, files opened as
 * {@link OsFileImpl}s. Paths are absolute and normalised; relative ones resolve against the working directory.
 * The JDK's exceptions are re-thrown with the operation in their reason.
 */
final class LocalFileSystem implements QuiverFileSystem {

    static final LocalFileSystem INSTANCE = new LocalFileSystem();

    private LocalFileSystem() {
    }

    @Override
    public String scheme() {
        return "file";
    }

    /** The local path of a path string or {@code file:} URI, for {@code operation}. */
    private static Path resolve(String path, String operation) {
        return resolve(path, "path", operation);
    }

    /**
     * The local path of a path string or {@code file:} URI given as {@code argument} of {@code operation}. An empty
     * string is refused: it would resolve to the working directory, so that {@code deleteDirectoryContents("")}
     * would empty it, and Arrow refuses it too. The working directory is still there by name ({@code "."}).
     *
     * @throws IllegalArgumentException naming the operation and the argument if the path is empty
     */
    static Path resolve(String path, String argument, String operation) {
        Objects.requireNonNull(path, argument);
        if (path.isEmpty()) {
            throw new IllegalArgumentException(operation + ": empty " + argument + ": \"\" is not a path (it would"
                    + " resolve to the working directory; say \".\" to mean that)");
        }
        if (Locations.isUri(path)) {
            URI uri = URI.create(path);
            if (!"file".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("not a file: URI: " + path);
            }
            if (uri.isOpaque()) {
                // "file:data.csv" has no path component, only a scheme-specific part: read as a URI it named the
                // root directory, so createDirectory("file:x", true) succeeded without creating anything
                throw new IllegalArgumentException(operation + ": the " + argument + " '" + path + "' is a file: URI"
                        + " without a path; a file: URI names an absolute path (file:/x, file:///x or"
                        + " file://localhost/x), a relative path is written without the scheme");
            }
            String host = uri.getAuthority();
            if (host != null && !host.isEmpty() && !host.equalsIgnoreCase("localhost")) {
                throw new IllegalArgumentException("a file: URI must name this machine, not '" + host + "': " + path);
            }
            return Path.of(uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath())
                    .toAbsolutePath().normalize();
        }
        return Path.of(path).toAbsolutePath().normalize();
    }

    /**
     * Refuses the root directory for the deleting operations: emptying "/" is never what a path was meant to say
     * (it is what {@code "file:///"} or a path built from an empty variable gives). Arrow refuses it too and
     * keeps a separate {@code DeleteRootDirContents} for whoever really means it.
     */
    private static void refuseRoot(Path p, String operation) {
        if (p.getParent() == null) {
            throw new IllegalArgumentException(operation + ": refused for the root directory " + p + ": it would"
                    + " delete everything on the file system; delete the entries below it by name instead");
        }
    }

    @Override
    public String normalize(String path) {
        return resolve(path, "normalize").toString();
    }

    @Override
    public URI toUri(String path) {
        return resolve(path, "toUri").toUri();
    }

    @Override
    public FileInfo info(String path) throws IOException {
        Path p = resolve(path, "info");
        try {
            return info(p, Files.readAttributes(p, BasicFileAttributes.class));
        } catch (NoSuchFileException e) {
            return new FileInfo(p.toString(), FileType.NOT_FOUND, -1, null);
        } catch (FileSystemException e) {
            throw withOperation(e, "info");
        }
    }

    private static FileInfo info(Path p, BasicFileAttributes a) {
        FileType type = a.isDirectory() ? FileType.DIRECTORY : a.isRegularFile() ? FileType.FILE : FileType.UNKNOWN;
        return new FileInfo(p.toString(), type, type == FileType.FILE ? a.size() : -1,
                a.lastModifiedTime().toInstant());
    }

    @Override
    public List<FileInfo> list(FileSelector selector) throws IOException {
        Objects.requireNonNull(selector, "selector");
        Path base = resolve(selector.baseDir(), "baseDir", "list");
        BasicFileAttributes attributes;
        try {
            attributes = Files.readAttributes(base, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (selector.allowNotFound()) {
                return List.of();
            }
            throw withOperation(e, "list");
        } catch (FileSystemException e) {
            throw withOperation(e, "list");
        }
        if (!attributes.isDirectory()) {
            throw withOperation(new NotDirectoryException(base.toString()), "list");
        }
        int depth = selector.recursive() ? Math.max(1, selector.maxRecursion()) : 1;
        if (selector.recursive() && selector.maxRecursion() != Integer.MAX_VALUE) {
            depth = selector.maxRecursion() + 1; // levels below the base, plus the base's own entries
        }
        List<FileInfo> out = new ArrayList<>();
        try {
            // Symbolic links are followed, as Arrow's local file system follows them (a link to a directory is
            // listed, and listed into, as the directory); a link that leads back up the tree is listed once, as
            // a directory, and not entered again.
            Files.walkFileTree(base, EnumSet.of(FileVisitOption.FOLLOW_LINKS), depth, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult preVisitDirectory(Path dir, BasicFileAttributes a) {
                    if (!dir.equals(base)) {
                        out.add(info(dir, a));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes a) {
                    if (!a.isSymbolicLink()) { // a dangling link (its own attributes) names nothing
                        out.add(info(file, a));
                    }
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult visitFileFailed(Path file, IOException e) throws IOException {
                    if (e instanceof FileSystemLoopException) {
                        out.add(info(file, Files.readAttributes(file, BasicFileAttributes.class)));
                        return FileVisitResult.CONTINUE;
                    }
                    if (e instanceof NoSuchFileException) {
                        return FileVisitResult.CONTINUE; // deleted while listing
                    }
                    throw e;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null && !(e instanceof NoSuchFileException)) {
                        throw e;
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (FileSystemException e) {
            throw withOperation(e, "list");
        }
        return out;
    }

    @Override
    public void createDirectory(String path, boolean recursive) throws IOException {
        Path p = resolve(path, "createDirectory");
        try {
            if (recursive) {
                Files.createDirectories(p);
            } else {
                Files.createDirectory(p);
            }
        } catch (FileSystemException e) {
            throw withOperation(e, "createDirectory");
        }
    }

    @Override
    public void deleteDirectory(String path) throws IOException {
        Path p = resolve(path, "deleteDirectory");
        refuseRoot(p, "deleteDirectory");
        requireDirectory(p, "deleteDirectory");
        deleteTree(p, true, "deleteDirectory");
    }

    @Override
    public void deleteDirectoryContents(String path, boolean missingDirOk) throws IOException {
        Path p = resolve(path, "deleteDirectoryContents");
        refuseRoot(p, "deleteDirectoryContents");
        if (missingDirOk && !Files.exists(p, LinkOption.NOFOLLOW_LINKS)) {
            return;
        }
        requireDirectory(p, "deleteDirectoryContents");
        deleteTree(p, false, "deleteDirectoryContents");
    }

    private void requireDirectory(Path p, String operation) throws IOException {
        try {
            if (!Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS).isDirectory()) {
                throw withOperation(new NotDirectoryException(p.toString()), operation);
            }
        } catch (NoSuchFileException e) {
            throw withOperation(e, operation);
        }
    }

    /** Deletes everything below {@code root}, and {@code root} itself if asked; links are removed, not followed. */
    private static void deleteTree(Path root, boolean includingRoot, String operation) throws IOException {
        try {
            Files.walkFileTree(root, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.delete(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                    if (e != null) {
                        throw e;
                    }
                    if (includingRoot || !dir.equals(root)) {
                        Files.delete(dir);
                    }
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (FileSystemException e) {
            throw withOperation(e, operation);
        }
    }

    @Override
    public void deleteFile(String path) throws IOException {
        Path p = resolve(path, "deleteFile");
        if (Files.isDirectory(p, LinkOption.NOFOLLOW_LINKS)) {
            throw new IsDirectoryException(p.toString(), "deleteFile");
        }
        try {
            Files.delete(p);
        } catch (FileSystemException e) {
            throw withOperation(e, "deleteFile");
        }
    }

    @Override
    public void move(String source, String destination) throws IOException {
        Path from = resolve(source, "source", "move");
        Path to = resolve(destination, "destination", "move");
        requireReplaceable(from, to, Files.isDirectory(from, LinkOption.NOFOLLOW_LINKS), "move from " + from);
        try {
            Files.move(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) {
            throw withOperation(e, "move to " + to);
        }
    }

    @Override
    public void copyFile(String source, String destination) throws IOException {
        Path from = resolve(source, "source", "copyFile");
        Path to = resolve(destination, "destination", "copyFile");
        if (Files.isDirectory(from)) {
            throw new IsDirectoryException(from.toString(), "copyFile");
        }
        FileStat stat = FileStat.ofPath(from.toString()); // null when missing: Files.copy says so
        if (stat != null && !stat.isRegularFile()) {
            // Files.copy opens a FIFO and waits for a writer without bound; a device may never end (/dev/zero)
            throw new NotRegularFileException(from.toString(), "copyFile to " + to, stat.typeName(),
                    "copyFile copies regular files; stream it with OSFile and NativeFiles instead");
        }
        requireReplaceable(from, to, false, "copyFile from " + from);
        try {
            Files.copy(from, to, StandardCopyOption.REPLACE_EXISTING);
        } catch (FileSystemException e) {
            throw withOperation(e, "copyFile to " + to);
        }
    }

    /**
     * Refuses a destination that {@code copyFile} or {@code move} would replace but that is not of the source's
     * kind. {@code Files.copy} and {@code Files.move} with {@code REPLACE_EXISTING} delete whatever is there: an
     * empty directory, a FIFO, a device node (as root, {@code copyFile(x, "/dev/null")} would replace
     * {@code /dev/null} with a regular file). pyarrow refuses a destination that is not a regular file, and
     * Arrow's {@code Move} replaces only what has the source's type. A symbolic link is replaced itself, never
     * what it points to, so it is allowed. The check and the copy are not atomic: a destination that changes
     * in between is the caller's race, as with the JDK's own calls.
     *
     * @param sourceIsDirectory whether a directory is moved (it may replace an empty directory, as rename does)
     */
    private static void requireReplaceable(Path from, Path to, boolean sourceIsDirectory, String operation)
            throws IOException {
        BasicFileAttributes target;
        try {
            target = Files.readAttributes(to, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
        } catch (NoSuchFileException e) {
            return; // nothing to replace
        } catch (FileSystemException e) {
            throw withOperation(e, operation);
        }
        if (target.isSymbolicLink() || (target.isRegularFile() && !sourceIsDirectory)) {
            return;
        }
        if (target.isDirectory()) {
            if (sourceIsDirectory) {
                return; // rename replaces an empty directory and refuses a full one (DirectoryNotEmptyException)
            }
            throw new IsDirectoryException(to.toString(), operation);
        }
        if (target.isRegularFile()) {
            throw new FileAlreadyExistsException(to.toString(), from.toString(), operation
                    + ": the destination is a regular file and the source a directory; a directory replaces only"
                    + " an empty directory");
        }
        FileStat stat = FileStat.ofPath(to.toString());
        throw new NotRegularFileException(to.toString(), operation, stat == null ? "special file" : stat.typeName(),
                "copyFile and move replace only a regular file (or a directory by a directory); delete it first if"
                + " it is really meant to go");
    }

    @Override
    public SequentialInput openInput(String path) throws IOException {
        return OsFileImpl.open(resolve(path, "openInput"), FileMode.READ);
    }

    @Override
    public RandomAccessInput openRandomAccess(String path) throws IOException {
        return OsFileImpl.open(resolve(path, "openRandomAccess"), FileMode.READ);
    }

    @Override
    public SequentialOutput openOutput(String path) throws IOException {
        return OsFileImpl.open(resolve(path, "openOutput"), FileMode.WRITE);
    }

    @Override
    public SequentialOutput openAppend(String path) throws IOException {
        return OsFileImpl.open(resolve(path, "openAppend"), FileMode.APPEND);
    }

    @Override
    public String toString() {
        return "LocalFileSystem[file:]";
    }

    /** The same exception type with the operation in its reason (the JDK gives only the path). */
    static FileSystemException withOperation(FileSystemException e, String operation) {
        String reason = operation + ": " + (e.getReason() != null ? e.getReason() : describe(e));
        FileSystemException out;
        if (e instanceof NoSuchFileException) {
            out = new NoSuchFileException(e.getFile(), e.getOtherFile(), reason);
        } else if (e instanceof AccessDeniedException) {
            out = new AccessDeniedException(e.getFile(), e.getOtherFile(), reason);
        } else if (e instanceof FileAlreadyExistsException) {
            out = new FileAlreadyExistsException(e.getFile(), e.getOtherFile(), reason);
        } else if (e instanceof NotDirectoryException) {
            out = new NotADirectoryException(e.getFile(), operation + ": not a directory");
        } else if (e instanceof DirectoryNotEmptyException) {
            out = new NonEmptyDirectoryException(e.getFile(), operation + ": directory not empty");
        } else if (e.getClass() != FileSystemException.class) {
            return e; // no constructor that takes a reason, or one of ours that has it already
        } else {
            out = new FileSystemException(e.getFile(), e.getOtherFile(), reason);
        }
        out.initCause(e);
        return out;
    }

    private static String describe(FileSystemException e) {
        if (e instanceof NoSuchFileException) {
            return "no such file or directory";
        }
        if (e instanceof AccessDeniedException) {
            return "permission denied";
        }
        if (e instanceof FileAlreadyExistsException) {
            return "already exists";
        }
        return e.getClass().getSimpleName();
    }
}
