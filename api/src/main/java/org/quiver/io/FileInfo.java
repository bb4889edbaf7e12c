package org.quiver.io;

import java.time.Instant;
import java.util.Objects;

/**
 * What a file system knows about one path: pyarrow's {@code FileInfo}.
 *
 * @param path  the normalised path, as the file system writes it (absolute for the local file system)
 * @param type  what the path names
 * @param size  the size in bytes of a file; -1 for directories and when unknown
 * @param mtime the last modification, or {@code null} when unknown (and for {@link FileType#NOT_FOUND})
 * @since 1.0
 */
public record FileInfo(String path, FileType type, long size, Instant mtime) {

    /** Checks the path and type are given. */
    public FileInfo {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(type, "type");
    }

    /** The last path component ({@code "c.txt"} for {@code "/a/b/c.txt"}). */
    public String baseName() {
        String p = path.endsWith("/") && path.length() > 1 ? path.substring(0, path.length() - 1) : path;
        return p.substring(p.lastIndexOf('/') + 1);
    }

    /** The extension without the dot, or {@code ""}. */
    public String extension() {
        String name = baseName();
        int dot = name.lastIndexOf('.');
        return dot <= 0 ? "" : name.substring(dot + 1);
    }

    /** Whether the path names a regular file. */
    public boolean isFile() {
        return type == FileType.FILE;
    }

    /** Whether the path names a directory. */
    public boolean isDirectory() {
        return type == FileType.DIRECTORY;
    }
}
