package org.quiver.io;

import java.io.IOException;
import java.net.URI;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Objects;

import org.quiver.internal.kit.Locations;

/**
 * A file system rooted at a directory of another: pyarrow's {@code pyarrow.fs.SubTreeFileSystem(base_path,
 * base_fs)}. Its paths are absolute within the sub-tree ({@code "/a/b.csv"} is {@code base_path + "/a/b.csv"}; a
 * relative path is taken from the sub-tree's root too), and every path it returns ({@link FileInfo#path()}) is one
 * of the sub-tree. It works over any file system (local, HDFS).
 *
 * {@snippet :
 * QuiverFileSystem data = SubTreeFileSystem.of("/srv/data/tenant-7", QuiverFileSystem.local());
 * try (SequentialInput in = data.openInput("/in/a.csv")) { ... }   // reads /srv/data/tenant-7/in/a.csv
 * data.openInput("../tenant-8/in/a.csv");                           // IllegalArgumentException: escapes
 * }
 *
 * <p>Nothing outside the sub-tree can be reached: a path whose {@code ..} segments climb above the root is
 * refused with an {@link IllegalArgumentException} naming it, and so is a URI of the base file system that names
 * a place outside. On the local file system symbolic links are followed as the kernel would, and a path that
 * would lead outside through one (also a dangling one that an open would create a file through) is refused with
 * an {@link AccessDeniedException}. The check runs before each operation: a link that another process puts in its
 * place between the check and the operation is not seen; a listing leaves out what a link inside leads to outside.
 * HDFS resolves no symbolic links (Hadoop has them off by
 * default), so there only the {@code ..} check applies. The root itself is never deleted, as for the file systems'
 * own roots.
 *
 * <p>Differences from pyarrow: paths are absolute in the sub-tree ({@code "/a/b.csv"}) where pyarrow's are relative
 * ({@code "a/b.csv"}; both are accepted), and symbolic links are checked, which pyarrow does not do. As in pyarrow,
 * the base file system's exceptions pass through, so their messages name its paths (the root included). Closing a
 * sub-tree leaves the base file system open: it is the caller's. A sub-tree of a sub-tree is one sub-tree, lower,
 * over the same base file system.
 *
 * @since 1.1
 */
public final class SubTreeFileSystem implements QuiverFileSystem {

    /** Symbolic links followed in one path at most, as Linux's {@code ELOOP} limit. */
    private static final int MAX_LINKS = 40;

    private final QuiverFileSystem base;
    /** The root as a path of the base file system, normalised. */
    private final String root;
    /** What paths of the base file system below the root start with: the root and a slash ({@code /} for "/"). */
    private final String prefix;
    private final boolean local;

    private SubTreeFileSystem(String basePath, QuiverFileSystem base) {
        this.base = base;
        this.root = base.normalize(basePath);
        this.prefix = root.endsWith("/") ? root : root + "/";
        this.local = "file".equals(base.scheme());
    }

    /**
     * The sub-tree of {@code base} at {@code basePath} (pyarrow's argument order). The directory need not exist
     * yet; operations fail as on the base file system until it does.
     *
     * @throws IllegalArgumentException if {@code basePath} is empty or a URI of another file system, or (for a
     *                                  sub-tree of a sub-tree) outside {@code base}
     * @throws java.io.UncheckedIOException if {@code base} is a local sub-tree and {@code basePath} cannot be
     *                                      checked for symbolic links leading out of it
     */
    public static SubTreeFileSystem of(String basePath, QuiverFileSystem base) {
        Objects.requireNonNull(basePath, "basePath");
        Objects.requireNonNull(base, "base");
        if (basePath.isEmpty()) {
            throw new IllegalArgumentException("subTree: empty basePath: name the directory (\".\" for the working"
                    + " directory)");
        }
        if (base instanceof SubTreeFileSystem outer) { // one sub-tree, lower, over the same file system
            try {
                return new SubTreeFileSystem(outer.inner(basePath, "basePath", "subTree"), outer.base);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        }
        return new SubTreeFileSystem(basePath, base);
    }

    /** The root, as a path of the base file system (pyarrow's {@code base_path}). */
    public String basePath() {
        return root;
    }

    /** The file system this is a sub-tree of (pyarrow's {@code base_fs}). */
    public QuiverFileSystem baseFileSystem() {
        return base;
    }

    // ---- paths ----------------------------------------------------------------------------------------------

    /**
     * The base file system's path for {@code path} of the sub-tree, checked to stay inside: lexically always, and
     * through symbolic links on the local file system when {@code followLinks}.
     */
    private String inner(String path, String operand, String operation, boolean followLinks) throws IOException {
        Objects.requireNonNull(path, operand);
        if (path.isEmpty()) {
            throw new IllegalArgumentException(operation + ": empty " + operand + ": a path of the sub-tree starts"
                    + " from its root (\"/\" names the root)");
        }
        String full;
        if (Locations.isUri(path)) {
            full = base.normalize(path); // refuses another scheme or authority
            if (!full.equals(root) && !full.startsWith(prefix)) {
                throw new IllegalArgumentException(operation + ": " + operand + " '" + path + "' is outside the"
                        + " sub-tree " + root);
            }
        } else {
            String relative = lexical(path, operand, operation);
            full = relative.isEmpty() ? root : prefix + relative;
        }
        if (local && followLinks) {
            checkLinks(full, path, operand, operation);
        }
        return full;
    }

    private String inner(String path, String operand, String operation) throws IOException {
        return inner(path, operand, operation, true);
    }

    /** {@code path} without {@code .} and {@code ..} segments, relative to the root, or refused if it climbs out. */
    private String lexical(String path, String operand, String operation) {
        Deque<String> parts = new ArrayDeque<>();
        for (String segment : path.split("/")) {
            if (segment.isEmpty() || segment.equals(".")) {
                continue;
            }
            if (segment.equals("..")) {
                if (parts.isEmpty()) {
                    throw new IllegalArgumentException(operation + ": " + operand + " '" + path + "' climbs above"
                            + " the root of the sub-tree " + root);
                }
                parts.removeLast();
            } else {
                parts.addLast(segment);
            }
        }
        return String.join("/", parts);
    }

    /** The sub-tree's path of {@code full}, a path of the base file system inside the root. */
    private String outer(String full) {
        if (full.equals(root)) {
            return "/";
        }
        if (!full.startsWith(prefix)) {
            throw new IllegalStateException("the base file system answered with a path outside the sub-tree " + root
                    + ": " + full);
        }
        return "/" + full.substring(prefix.length());
    }

    private FileInfo outer(FileInfo info) {
        return new FileInfo(outer(info.path()), info.type(), info.size(), info.mtime());
    }

    /**
     * Refuses a local path that leads outside the root through a symbolic link: every existing link on the way,
     * the last component's included (dangling or not), is followed as the kernel would follow it.
     */
    private void checkLinks(String full, String path, String operand, String operation) throws IOException {
        Path realRoot = followLinks(Path.of(root));
        Path target = followLinks(Path.of(full));
        if (!target.startsWith(realRoot)) {
            throw new AccessDeniedException(path, null, operation + ": " + operand + " leads outside the sub-tree "
                    + root + " through a symbolic link (to " + target + ")");
        }
    }

    /** {@code p} with every symbolic link on the way replaced by what it points to; missing parts kept as named. */
    private static Path followLinks(Path p) throws IOException {
        Path absolute = p.toAbsolutePath();
        Path out = absolute.getRoot();
        Deque<String> todo = new ArrayDeque<>();
        for (Path name : absolute) {
            todo.addLast(name.toString());
        }
        int links = 0;
        while (!todo.isEmpty()) {
            String name = todo.removeFirst();
            if (name.isEmpty() || name.equals(".")) {
                continue;
            }
            if (name.equals("..")) {
                out = out.getParent() == null ? out : out.getParent();
                continue;
            }
            Path next = out.resolve(name);
            if (!Files.isSymbolicLink(next)) {
                out = next;
                continue;
            }
            if (++links > MAX_LINKS) {
                throw new FileSystemException(p.toString(), null, "too many levels of symbolic links");
            }
            Path link = Files.readSymbolicLink(next);
            List<String> names = new ArrayList<>();
            for (Path n : link) {
                names.add(n.toString());
            }
            for (int i = names.size() - 1; i >= 0; i--) {
                todo.addFirst(names.get(i));
            }
            if (link.isAbsolute()) {
                out = link.getRoot();
            }
        }
        return out;
    }

    private String notTheRoot(String path, String operation) throws IOException {
        String full = inner(path, "path", operation);
        if (full.equals(root)) {
            throw new IllegalArgumentException(operation + ": refused for the root directory of the sub-tree " + root
                    + ": delete the entries below it by name instead");
        }
        return full;
    }

    // ---- the file system ------------------------------------------------------------------------------------

    @Override
    public String scheme() {
        return base.scheme();
    }

    /** The path of the sub-tree, absolute in it ({@code "/a/c"} for {@code "a/./b/../c/"}). */
    @Override
    public String normalize(String path) {
        try {
            return outer(inner(path, "path", "normalize", false));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not reached: no link is followed
        }
    }

    /** The base file system's URI of {@code path}: it names the same file outside the sub-tree too. */
    @Override
    public URI toUri(String path) {
        try {
            return base.toUri(inner(path, "path", "toUri", false));
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e); // not reached: no link is followed
        }
    }

    @Override
    public FileInfo info(String path) throws IOException {
        return outer(base.info(inner(path, "path", "info")));
    }

    @Override
    public List<FileInfo> list(FileSelector selector) throws IOException {
        Objects.requireNonNull(selector, "selector");
        String dir = inner(selector.baseDir(), "baseDir", "list");
        List<FileInfo> found = base.list(new FileSelector(dir, selector.allowNotFound(), selector.recursive(),
                selector.maxRecursion()));
        List<FileInfo> out = new ArrayList<>(found.size());
        Path realRoot = local ? followLinks(Path.of(root)) : null;
        for (FileInfo f : found) {
            // the local file system lists into linked directories: what a link leads outside is not listed
            if (realRoot == null || followLinks(Path.of(f.path())).startsWith(realRoot)) {
                out.add(outer(f));
            }
        }
        return out;
    }

    @Override
    public void createDirectory(String path, boolean recursive) throws IOException {
        base.createDirectory(inner(path, "path", "createDirectory"), recursive);
    }

    @Override
    public void deleteDirectory(String path) throws IOException {
        base.deleteDirectory(notTheRoot(path, "deleteDirectory"));
    }

    @Override
    public void deleteDirectoryContents(String path, boolean missingDirOk) throws IOException {
        base.deleteDirectoryContents(notTheRoot(path, "deleteDirectoryContents"), missingDirOk);
    }

    @Override
    public void deleteFile(String path) throws IOException {
        base.deleteFile(inner(path, "path", "deleteFile"));
    }

    @Override
    public void move(String source, String destination) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        base.move(inner(source, "source", "move"), inner(destination, "destination", "move"));
    }

    @Override
    public void copyFile(String source, String destination) throws IOException {
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(destination, "destination");
        base.copyFile(inner(source, "source", "copyFile"), inner(destination, "destination", "copyFile"));
    }

    @Override
    public SequentialInput openInput(String path) throws IOException {
        return base.openInput(inner(path, "path", "openInput"));
    }

    @Override
    public RandomAccessInput openRandomAccess(String path) throws IOException {
        return base.openRandomAccess(inner(path, "path", "openRandomAccess"));
    }

    @Override
    public SequentialOutput openOutput(String path) throws IOException {
        return base.openOutput(inner(path, "path", "openOutput"));
    }

    @Override
    public SequentialOutput openAppend(String path) throws IOException {
        return base.openAppend(inner(path, "path", "openAppend"));
    }

    /** Nothing to release: the base file system is the caller's, and stays open. */
    @Override
    public void close() {
    }

    /** {@code SubTreeFileSystem[root=/srv/data/tenant-7, base=...]}. */
    @Override
    public String toString() {
        return "SubTreeFileSystem[root=" + root + ", base=" + base + "]";
    }
}
