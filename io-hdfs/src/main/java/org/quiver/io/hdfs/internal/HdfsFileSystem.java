package org.quiver.io.hdfs.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.net.URI;
import java.net.URISyntaxException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.NoSuchFileException;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Options;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.fs.RemoteIterator;
import org.apache.hadoop.fs.permission.FsPermission;
import org.quiver.internal.kit.Locations;
import org.quiver.io.FileInfo;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.FileType;
import org.quiver.io.SequentialInput;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.NotADirectoryException;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;

/**
 * The {@code hdfs:} file system: one handle on a shared {@link Connection}. Paths are absolute HDFS paths
 * ({@code /data/a.csv}) or {@code hdfs://} URIs of this NameNode; relative paths resolve against the user's home
 * directory ({@code /user/NAME}), as in Hadoop. Files opened here hold their own reference to the connection, so
 * they outlive {@link #close()}.
 */
final class HdfsFileSystem implements QuiverFileSystem {

    private static final int COPY_CHUNK = 1 << 20;

    private final Connection connection;
    private final String home;
    private volatile boolean closed;

    HdfsFileSystem(Connection connection) {
        this.connection = connection;
        this.home = "/user/" + connection.user;
    }

    @Override
    public String scheme() {
        return "hdfs";
    }

    private Connection connection() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        return connection;
    }

    // ---- paths ----------------------------------------------------------------------------------------------

    @Override
    public String normalize(String path) {
        return normalize(path, "path", "normalize");
    }

    private String normalize(String path, String operation) {
        return normalize(path, "path", operation);
    }

    /**
     * The absolute form of {@code path}, given as {@code argument} of {@code operation}. An empty path is refused
     * (Hadoop would resolve it to the home directory, the local file system to the working directory: a path
     * meant to name something else), as Arrow refuses it.
     */
    private String normalize(String path, String argument, String operation) {
        java.util.Objects.requireNonNull(path, argument);
        if (path.isEmpty()) {
            throw new IllegalArgumentException(operation + ": empty " + argument + ": \"\" is not a path");
        }
        String p = path;
        if (Locations.isUri(path)) {
            URI uri = URI.create(path);
            if (!"hdfs".equalsIgnoreCase(uri.getScheme())) {
                throw new IllegalArgumentException("not an hdfs: URI: " + path);
            }
            String host = uri.getHost();
            if (host != null && !host.isEmpty()) {
                int port = uri.getPort() < 0 ? HdfsOptions.DEFAULT_PORT : uri.getPort();
                if (!sameHost(host, connection.nameNode.getHost()) || port != connection.nameNode.getPort()) {
                    throw new IllegalArgumentException("the URI " + path + " names another NameNode than "
                            + connection.nameNode);
                }
            }
            p = uri.getPath() == null || uri.getPath().isEmpty() ? "/" : uri.getPath();
        }
        if (!p.startsWith("/")) {
            p = home + "/" + p;
        }
        Deque<String> parts = new ArrayDeque<>();
        for (String part : p.split("/")) {
            if (part.isEmpty() || part.equals(".")) {
                continue;
            }
            if (part.equals("..")) {
                parts.pollLast();
            } else {
                parts.addLast(part);
            }
        }
        return "/" + String.join("/", parts);
    }

    private static boolean sameHost(String a, String b) {
        if (a.equalsIgnoreCase(b)) {
            return true;
        }
        boolean aLocal = a.equals("127.0.0.1") || a.equalsIgnoreCase("localhost");
        boolean bLocal = b.equals("127.0.0.1") || b.equalsIgnoreCase("localhost");
        return aLocal && bLocal;
    }

    @Override
    public URI toUri(String path) {
        try {
            return new URI("hdfs", connection.nameNode.getAuthority(), normalize(path, "toUri"), null, null);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException("not a path: " + path, e);
        }
    }

    private static Path hadoopPath(String normalized) {
        return new Path(null, null, normalized);
    }

    // ---- metadata -------------------------------------------------------------------------------------------

    @Override
    public FileInfo info(String path) throws IOException {
        String p = normalize(path, "info");
        FileStatus status = status(p, "info");
        return status == null ? new FileInfo(p, FileType.NOT_FOUND, -1, null) : info(p, status);
    }

    /** The status of {@code p}, or {@code null} when it does not exist. */
    private FileStatus status(String p, String operation) throws IOException {
        return connection().query(operation, p, dfs -> {
            try {
                return dfs.getFileStatus(hadoopPath(p));
            } catch (FileNotFoundException e) {
                return null;
            }
        });
    }

    private static FileInfo info(String p, FileStatus s) {
        FileType type = s.isDirectory() ? FileType.DIRECTORY : s.isFile() ? FileType.FILE : FileType.UNKNOWN;
        return new FileInfo(p, type, type == FileType.FILE ? s.getLen() : -1,
                Instant.ofEpochMilli(s.getModificationTime()));
    }

    @Override
    public List<FileInfo> list(FileSelector selector) throws IOException {
        java.util.Objects.requireNonNull(selector, "selector");
        String base = normalize(selector.baseDir(), "baseDir", "list");
        FileStatus status = status(base, "list");
        if (status == null) {
            if (selector.allowNotFound()) {
                return List.of();
            }
            throw new NoSuchFileException(base, null, "list: no such file or directory");
        }
        if (!status.isDirectory()) {
            throw new NotADirectoryException(base, "list: not a directory");
        }
        int depth = !selector.recursive() ? 1
                : selector.maxRecursion() == Integer.MAX_VALUE ? Integer.MAX_VALUE : selector.maxRecursion() + 1;
        List<FileInfo> out = new ArrayList<>();
        walk(base, 1, depth, out);
        return out;
    }

    private void walk(String dir, int level, int depth, List<FileInfo> out) throws IOException {
        List<String> subdirectories = new ArrayList<>();
        connection().query("list", dir, dfs -> {
            RemoteIterator<FileStatus> it;
            try {
                it = dfs.listStatusIterator(hadoopPath(dir));
            } catch (FileNotFoundException raced) {
                return null; // deleted while listing: not there
            }
            while (it.hasNext()) {
                FileStatus s = it.next();
                String p = (dir.equals("/") ? "" : dir) + "/" + s.getPath().getName();
                out.add(info(p, s));
                if (s.isDirectory()) {
                    subdirectories.add(p);
                }
            }
            return null;
        });
        if (level < depth) {
            for (String sub : subdirectories) {
                walk(sub, level + 1, depth, out);
            }
        }
    }

    // ---- directories ----------------------------------------------------------------------------------------

    @Override
    public void createDirectory(String path, boolean recursive) throws IOException {
        String p = normalize(path, "createDirectory");
        FileStatus existing = status(p, "createDirectory");
        if (existing != null && (!recursive || !existing.isDirectory())) {
            throw new FileAlreadyExistsException(p, null, "createDirectory: already exists"
                    + (existing.isDirectory() ? "" : " as a file"));
        }
        if (existing != null) {
            return;
        }
        connection().update("createDirectory", p, dfs -> recursive
                ? dfs.mkdirs(hadoopPath(p), FsPermission.getDirDefault())
                : dfs.mkdir(hadoopPath(p), FsPermission.getDirDefault()));
    }

    @Override
    public void deleteDirectory(String path) throws IOException {
        String p = normalize(path, "deleteDirectory");
        refuseRoot(p, "deleteDirectory");
        requireDirectory(p, "deleteDirectory");
        boolean deleted = connection().update("deleteDirectory", p, dfs -> dfs.delete(hadoopPath(p), true));
        if (!deleted && status(p, "deleteDirectory") != null) {
            throw new IOException(connection.nameNode + p + ": deleteDirectory: the NameNode refused to delete it");
        }
    }

    @Override
    public void deleteDirectoryContents(String path, boolean missingDirOk) throws IOException {
        String p = normalize(path, "deleteDirectoryContents");
        refuseRoot(p, "deleteDirectoryContents");
        if (missingDirOk && status(p, "deleteDirectoryContents") == null) {
            return;
        }
        requireDirectory(p, "deleteDirectoryContents");
        List<String> children = new ArrayList<>();
        connection().query("deleteDirectoryContents", p, dfs -> {
            for (FileStatus s : dfs.listStatus(hadoopPath(p))) {
                children.add((p.equals("/") ? "" : p) + "/" + s.getPath().getName());
            }
            return null;
        });
        for (String child : children) {
            connection().update("deleteDirectoryContents", child, dfs -> dfs.delete(hadoopPath(child), true));
        }
    }

    /** Refuses the root for the deleting operations, as the local file system and Arrow do (see there). */
    private static void refuseRoot(String p, String operation) {
        if (p.equals("/")) {
            throw new IllegalArgumentException(operation + ": refused for the root directory /: it would delete"
                    + " everything on the file system; delete the entries below it by name instead");
        }
    }

    private void requireDirectory(String p, String operation) throws IOException {
        FileStatus s = status(p, operation);
        if (s == null) {
            throw new NoSuchFileException(p, null, operation + ": no such file or directory");
        }
        if (!s.isDirectory()) {
            throw new NotADirectoryException(p, operation + ": not a directory");
        }
    }

    // ---- files ----------------------------------------------------------------------------------------------

    @Override
    public void deleteFile(String path) throws IOException {
        String p = normalize(path, "deleteFile");
        FileStatus s = status(p, "deleteFile");
        if (s == null) {
            throw new NoSuchFileException(p, null, "deleteFile: no such file or directory");
        }
        if (s.isDirectory()) {
            throw new IsDirectoryException(p, "deleteFile");
        }
        connection().update("deleteFile", p, dfs -> dfs.delete(hadoopPath(p), false));
    }

    @Override
    public void move(String source, String destination) throws IOException {
        String from = normalize(source, "source", "move");
        String to = normalize(destination, "destination", "move");
        if (from.equals(to)) {
            if (status(from, "move") == null) {
                throw new NoSuchFileException(from, null, "move: no such file or directory");
            }
            return;
        }
        FileStatus moved = status(from, "move to " + to);
        if (moved == null) {
            throw new NoSuchFileException(from, null, "move to " + to + ": no such file or directory");
        }
        requireReplaceable(from, to, moved.isDirectory(), "move from " + from);
        connection().update("move to " + to, from, dfs -> {
            dfs.rename(hadoopPath(from), hadoopPath(to), Options.Rename.OVERWRITE);
            return null;
        });
    }

    @Override
    public void copyFile(String source, String destination) throws IOException {
        String from = normalize(source, "source", "copyFile");
        String to = normalize(destination, "destination", "copyFile");
        requireReplaceable(from, to, false, "copyFile from " + from);
        try (SequentialInput in = openInput(from); SequentialOutput out = openOutput(to)) {
            byte[] chunk = new byte[COPY_CHUNK];
            int n;
            while ((n = in.read(chunk, 0, chunk.length)) > 0) {
                out.write(chunk, 0, n);
            }
        }
    }

    /**
     * Refuses a destination that is not of the source's kind, as the local file system does: the client would
     * otherwise fail a file onto a directory with a bare {@code IOException} ("must both be directories") for a
     * move, and late, after opening the source, for a copy. A directory may replace an empty directory.
     */
    private void requireReplaceable(String from, String to, boolean sourceIsDirectory, String operation)
            throws IOException {
        FileStatus target = status(to, operation);
        if (target == null || target.isDirectory() == sourceIsDirectory) {
            return;
        }
        if (target.isDirectory()) {
            throw new IsDirectoryException(to, operation);
        }
        throw new FileAlreadyExistsException(to, from, operation + ": the destination is a regular file and the"
                + " source a directory; a directory replaces only an empty directory");
    }

    @Override
    public SequentialInput openInput(String path) throws IOException {
        return HdfsInputFile.open(connection(), normalize(path, "openInput"));
    }

    @Override
    public RandomAccessInput openRandomAccess(String path) throws IOException {
        return HdfsInputFile.open(connection(), normalize(path, "openRandomAccess"));
    }

    @Override
    public SequentialOutput openOutput(String path) throws IOException {
        return HdfsOutputFile.create(connection(), normalize(path, "openOutput"));
    }

    @Override
    public SequentialOutput openAppend(String path) throws IOException {
        return HdfsOutputFile.append(connection(), normalize(path, "openAppend"));
    }

    @Override
    public void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        connection.release();
    }

    @Override
    public String toString() {
        return "HdfsFileSystem[" + connection + (closed ? ", closed" : "") + "]";
    }
}
