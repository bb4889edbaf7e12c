package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.nio.file.FileSystemException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributes;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The metadata of a local file ({@link org.quiver.io.SequentialInput#metadata()}): its attributes, read at the call.
 * An open file is asked through its descriptor ({@code /proc/self/fd/N} leads to the open file itself, also when
 * it was renamed or deleted meanwhile); a file without one by its path.
 */
final class LocalMetadata {

    private LocalMetadata() {
    }

    /** The metadata of the file open as descriptor {@code fd}; {@code path} names it in messages and gives its type. */
    static Map<String, String> ofDescriptor(int fd, String path) throws IOException {
        return of(Path.of("/proc/self/fd/" + fd), path);
    }

    /** The metadata of the file at {@code path}. */
    static Map<String, String> ofPath(String path) throws IOException {
        return of(Path.of(path), path);
    }

    private static Map<String, String> of(Path at, String path) throws IOException {
        PosixFileAttributes a;
        try {
            a = Files.readAttributes(at, PosixFileAttributes.class);
        } catch (IOException e) {
            FileSystemException named = new FileSystemException(path, null, "metadata: " + e.getMessage());
            named.initCause(e);
            throw named;
        }
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", Long.toString(a.size()));
        m.put("mtime", a.lastModifiedTime().toInstant().toString());
        m.put("atime", a.lastAccessTime().toInstant().toString());
        m.put("owner", a.owner().getName());
        m.put("group", a.group().getName());
        m.put("permissions", PosixFilePermissions.toString(a.permissions()));
        String type = contentType(path);
        if (type != null) {
            m.put("content_type", type);
        }
        return Collections.unmodifiableMap(m);
    }

    /** The MIME type the system's tables give the file's name, or {@code null}. */
    private static String contentType(String path) {
        try {
            return Files.probeContentType(Path.of(path));
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null; // a hint only: no type is an answer
        }
    }
}
