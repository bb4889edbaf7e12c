package org.quiver.io;

import java.io.Closeable;
import java.io.IOException;
import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.IoProviders;

/**
 * A file system: pyarrow's {@code pyarrow.fs.FileSystem}. One interface for the local disk ({@code file:}),
 * HDFS ({@code hdfs:}) and whatever a provider bundle registers, chosen by the URI's scheme and the
 * provider's ranking.
 *
 * <p>Paths are strings: a path of this file system ({@code "/data/a.csv"}, or a relative one, which the local
 * file system resolves against the working directory) or a URI of its scheme ({@code "file:///data/a.csv"}).
 * They are normalised ({@code "/a/./b/../c/"} is {@code "/a/c"}). An empty path is refused by every operation
 * with an {@link IllegalArgumentException} naming it (it would resolve to the working directory; {@code "."}
 * names that). Errors are specific: missing paths throw
 * {@link java.nio.file.NoSuchFileException}, permission problems {@link java.nio.file.AccessDeniedException}, a
 * directory where a file is expected {@link IsDirectoryException}, a file where a directory is expected
 * {@link java.nio.file.NotDirectoryException}; each names the path and the operation.
 *
 * <p>{@link #fromUri} returns a handle to close when done. Handles made with equal options share one
 * connection (for HDFS, one Hadoop client), which closes with the last handle and the last file opened through
 * them.
 *
 * <p>Compared with {@link java.nio.file.FileSystem}: one registry across bundles and modules, streams that are
 * {@link NativeFile}s (reading into pool buffers), and the pyarrow operation set.
 *
 * {@snippet :
 * QuiverFileSystem fs = QuiverFileSystem.fromUri("file:///tmp");
 * fs.createDirectory("/tmp/out", true);
 * try (SequentialOutput out = fs.openOutput("/tmp/out/a.bin")) { out.write(bytes); }
 * for (FileInfo info : fs.list(FileSelector.recursive("/tmp/out"))) { ... }
 * }
 *
 * @since 1.0
 */
@ProviderType
public interface QuiverFileSystem extends Closeable {

    /** The local file system ({@code file:}), from the {@code org.quiver.io.nativeio} provider. */
    static QuiverFileSystem local() throws IOException {
        return IoProviders.fileSystem(URI.create("file:///"), Map.of());
    }

    /**
     * The file system for {@code uri}'s scheme, from the best-ranked provider of that scheme. A string without
     * a scheme is a local path.
     *
     * @throws IllegalArgumentException if no provider handles the scheme (the message lists the known ones)
     */
    static QuiverFileSystem fromUri(String uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        return NativeFiles.isUri(uri) ? fromUri(URI.create(uri)) : local();
    }

    /** The file system for {@code uri}'s scheme. */
    static QuiverFileSystem fromUri(URI uri) throws IOException {
        Objects.requireNonNull(uri, "uri");
        return IoProviders.fileSystem(uri, Map.of());
    }

    /**
     * The file system for {@code uri}'s scheme with provider options (for HDFS: {@code user},
     * {@code replication}, {@code buffer_size} ...). Options in the URI's query string apply too; these win.
     */
    static QuiverFileSystem fromUri(URI uri, Map<String, String> options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Objects.requireNonNull(options, "options");
        return IoProviders.fileSystem(uri, options);
    }

    /** The schemes a provider is registered for now, best first. */
    static List<String> supportedSchemes() {
        return IoProviders.schemes();
    }

    /** The scheme this file system serves ({@code "file"}, {@code "hdfs"}). */
    String scheme();

    /**
     * The normalised form of {@code path}: absolute, without {@code .} and {@code ..} segments or a trailing
     * slash, without the scheme and authority.
     *
     * @throws IllegalArgumentException if {@code path} is a URI of another scheme or authority
     */
    String normalize(String path);

    /** The URI of {@code path} on this file system. */
    URI toUri(String path);

    /** What {@code path} names; a missing path gives {@link FileType#NOT_FOUND}, not an exception. */
    FileInfo info(String path) throws IOException;

    /** The entries the selector selects, in no particular order; the base directory itself is not included. */
    List<FileInfo> list(FileSelector selector) throws IOException;

    /**
     * Creates a directory; with {@code recursive}, also its missing parents, and an existing directory is fine.
     *
     * @throws java.nio.file.FileAlreadyExistsException if not recursive and the path exists
     */
    void createDirectory(String path, boolean recursive) throws IOException;

    /**
     * Deletes a directory and everything in it.
     *
     * @throws IllegalArgumentException if {@code path} is the root directory (as in Arrow: never what was meant)
     */
    void deleteDirectory(String path) throws IOException;

    /**
     * Deletes everything in a directory but not the directory.
     *
     * @param missingDirOk whether a missing directory is fine
     * @throws IllegalArgumentException if {@code path} is the root directory (as in Arrow: never what was meant)
     */
    void deleteDirectoryContents(String path, boolean missingDirOk) throws IOException;

    /**
     * Deletes a file.
     *
     * @throws IsDirectoryException if it is a directory
     */
    void deleteFile(String path) throws IOException;

    /**
     * Moves (renames) a file or directory. A file replaces a regular file at the destination; a directory
     * replaces an empty directory. Anything else there is refused and left as it is.
     *
     * @throws IsDirectoryException                     if a file is moved onto a directory
     * @throws NotRegularFileException                  if the destination is a FIFO, a device or a socket
     * @throws java.nio.file.FileAlreadyExistsException if a directory is moved onto a file
     * @throws java.nio.file.DirectoryNotEmptyException if a directory is moved onto a directory that is not empty
     */
    void move(String source, String destination) throws IOException;

    /**
     * Copies a file, replacing a regular file at the destination; anything else there is refused and left as it
     * is, as pyarrow does (a FIFO or a device node is never replaced by a regular file).
     *
     * @throws IsDirectoryException    if the source or the destination is a directory
     * @throws NotRegularFileException if the source or the destination is a FIFO, a device or a socket
     */
    void copyFile(String source, String destination) throws IOException;

    /** Opens a file for sequential reading. */
    SequentialInput openInput(String path) throws IOException;

    /** Opens a file for reading with positions ({@code readAt}, {@code seek}, {@code size}). */
    RandomAccessInput openRandomAccess(String path) throws IOException;

    /** Creates or truncates a file for writing. */
    SequentialOutput openOutput(String path) throws IOException;

    /** Opens a file for appending, creating it if missing. */
    SequentialOutput openAppend(String path) throws IOException;

    /**
     * Opens a file for sequential reading with a compression and a buffer: pyarrow's
     * {@code fs.open_input_stream(path, compression=, buffer_size=)}. {@link #openInput(String)} reads the bytes
     * as they are; {@link StreamOptions#detect()} decompresses by the extension, pyarrow's default.
     *
     * @throws IllegalStateException if the compression's codec is not available here (nothing is opened)
     * @since 1.1
     */
    default SequentialInput openInput(String path, StreamOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Compression compression = NativeFiles.compressionFor(options, path);
        return NativeFiles.layerInput(openInput(path), compression, options.bufferSize());
    }

    /**
     * Creates or truncates a file for writing with a compression (and level) and a buffer: pyarrow's
     * {@code fs.open_output_stream(path, compression=, buffer_size=)}.
     *
     * @throws IllegalStateException if the compression's codec is not available here (the file is not touched)
     * @since 1.1
     */
    default SequentialOutput openOutput(String path, StreamOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Compression compression = NativeFiles.compressionFor(options, path);
        return NativeFiles.layerOutput(openOutput(path), compression, options);
    }

    /**
     * Opens a file for appending with a compression and a buffer: pyarrow's {@code fs.open_append_stream(path,
     * compression=, buffer_size=)}. A compressed append adds a new member (gzip), frame (zstd, lz4), stream
     * (bzip2) or chunk run (snappy) after what the file holds, which every reader here and the format's tool read
     * as one stream. Brotli has no such concatenation, so appending it to a file that is not empty is refused
     * before anything is written.
     *
     * @throws IllegalStateException    if the compression's codec is not available here (nothing is opened)
     * @throws IllegalArgumentException for brotli onto a file that is not empty (the file is not touched)
     * @since 1.1
     */
    default SequentialOutput openAppend(String path, StreamOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Compression compression = NativeFiles.compressionFor(options, path);
        if (compression == Compression.BROTLI) {
            FileInfo existing = info(path);
            if (existing.type() == FileType.FILE && existing.size() > 0) {
                throw new IllegalArgumentException(path + ": cannot append brotli to a file that is not empty ("
                        + existing.size() + " bytes): brotli streams do not concatenate, so the file would not"
                        + " decode; write a new file, or append with gzip, zstd, lz4, bzip2 or snappy");
            }
        }
        return NativeFiles.layerOutput(openAppend(path), compression, options);
    }

    /**
     * Releases this handle; afterwards its operations throw {@link IllegalStateException}, except on the local
     * file system, which holds nothing. Files opened through it stay open until they are closed themselves: a
     * connection (an HDFS client) goes away with the last handle and the last file using it. Idempotent.
     */
    @Override
    default void close() throws IOException {
    }
}
