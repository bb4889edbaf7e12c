package org.quiver.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.URI;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.Charset;
import java.nio.file.Path;
import java.util.Objects;

import org.quiver.internal.io.IoProviders;
import org.quiver.internal.kit.Locations;
import org.quiver.memory.Buffer;

/**
 * Opening streams the way pyarrow's {@code input_stream} and {@code output_stream} do, plus the buffered,
 * compressed and Java-wrapping files.
 *
 * <p>A source or target given by name (a {@link Path}, a {@link URI}, or a string that is either) selects its
 * compression from its extension ({@code .gz}, {@code .bz2}, {@code .zst}, {@code .lz4}, {@code .br},
 * {@code .sz}: {@link Compression#forPath}), unless a {@link Compression} is given; {@link Compression#NONE}
 * turns detection off. URIs go through the {@link QuiverFileSystem} registered for their scheme ({@code file:} with
 * the {@code org.quiver.io.nativeio} bundle, {@code hdfs:} with the HDFS bundle); plain paths and
 * {@code file:} URIs open an {@link OSFile}. A FIFO given by name is refused with a
 * {@link NotRegularFileException} rather than waited on: to stream one, open it with
 * {@code OSFile.open(path, FileMode.READ, OSFile.Option.ALLOW_FIFO)} and pass it to
 * {@link #decompressing(SequentialInput, Compression)} if it is compressed.
 *
 * {@snippet :
 * try (SequentialInput in = NativeFiles.openInput("logs/day.json.gz");      // gunzipped as it is read
 *      SequentialOutput out = NativeFiles.openOutput(Path.of("day.json.zst"))) {   // zstd-compressed
 *     in.asInputStream().transferTo(out.asOutputStream());
 * }
 * }
 *
 * <p>Every argument, the compression's availability included, is checked before anything is opened: an
 * unavailable codec throws {@link IllegalStateException} with the reason and leaves an existing file as it was,
 * never truncated.
 *
 * <p>Every method here except the in-memory ones needs an IO provider (the {@code org.quiver.io.nativeio}
 * bundle or module); without one they throw {@link IllegalStateException} saying what to install.
 *
 * @since 1.0
 */
public final class NativeFiles {

    /** Asks a codec for its default compression level. */
    public static final int DEFAULT_LEVEL = Integer.MIN_VALUE;

    /** The buffer size of {@link #bufferedInput(SequentialInput)} and {@link #bufferedOutput(SequentialOutput)}: 64 KiB. */
    public static final int DEFAULT_BUFFER_SIZE = 64 << 10;

    private NativeFiles() {
    }

    // ---- input ----------------------------------------------------------------------------------------------

    /** Opens {@code path} for reading, decompressing by its extension. */
    public static SequentialInput openInput(Path path) throws IOException {
        return openInput(path, StreamOptions.detect());
    }

    /** Opens {@code path} for reading, decompressing {@code compression} ({@link Compression#NONE}: none). */
    public static SequentialInput openInput(Path path, Compression compression) throws IOException {
        Objects.requireNonNull(path, "path");
        return openInput(path, StreamOptions.of(compression));
    }

    /**
     * Opens {@code path} for reading with a compression and a buffer ({@code pa.input_stream(path,
     * compression=, buffer_size=)}).
     *
     * @throws IllegalStateException if the compression's codec is not available here (nothing is opened)
     * @since 1.1
     */
    public static SequentialInput openInput(Path path, StreamOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Compression compression = compressionFor(options, path.toString());
        return layerInput(OSFile.open(path, FileMode.READ), compression, options.bufferSize());
    }

    /**
     * Opens a path or URI ({@code "data.csv.gz"}, {@code "file:///tmp/x.zst"}, {@code "hdfs://nn:8020/a"}) for
     * reading, decompressing by its extension.
     */
    public static SequentialInput openInput(String pathOrUri) throws IOException {
        return openInput(pathOrUri, StreamOptions.detect());
    }

    /** Opens a path or URI for reading, decompressing {@code compression}. */
    public static SequentialInput openInput(String pathOrUri, Compression compression) throws IOException {
        Objects.requireNonNull(pathOrUri, "pathOrUri");
        return openInput(pathOrUri, StreamOptions.of(compression));
    }

    /**
     * Opens a path or URI for reading with a compression and a buffer.
     *
     * @since 1.1
     */
    public static SequentialInput openInput(String pathOrUri, StreamOptions options) throws IOException {
        Objects.requireNonNull(pathOrUri, "pathOrUri");
        Objects.requireNonNull(options, "options");
        return isUri(pathOrUri) ? openInput(URI.create(pathOrUri), options) : openInput(Path.of(pathOrUri), options);
    }

    /** Opens a URI for reading through its scheme's file system, decompressing by its extension. */
    public static SequentialInput openInput(URI uri) throws IOException {
        return openInput(uri, StreamOptions.detect());
    }

    /** Opens a URI for reading through its scheme's file system, decompressing {@code compression}. */
    public static SequentialInput openInput(URI uri, Compression compression) throws IOException {
        Objects.requireNonNull(uri, "uri");
        return openInput(uri, StreamOptions.of(compression));
    }

    /**
     * Opens a URI for reading through its scheme's file system, with a compression and a buffer.
     *
     * @since 1.1
     */
    public static SequentialInput openInput(URI uri, StreamOptions options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Compression compression = compressionFor(options, nameOf(uri));
        try (QuiverFileSystem fs = QuiverFileSystem.fromUri(uri)) { // the file keeps what it needs of the file system
            return layerInput(fs.openInput(uri.toString()), compression, options.bufferSize());
        }
    }

    /** Reads a buffer (zero-copy; the reader keeps the memory alive). */
    public static SequentialInput openInput(Buffer buffer) {
        return new BufferInput(buffer);
    }

    /** Reads a buffer, decompressing {@code compression}. */
    public static SequentialInput openInput(Buffer buffer, Compression compression) throws IOException {
        Objects.requireNonNull(buffer, "buffer");
        requireAvailable(compression);
        return layerInput(new BufferInput(buffer), compression, 0);
    }

    /** Reads an array (zero-copy). */
    public static SequentialInput openInput(byte[] bytes) {
        return BufferInput.of(bytes);
    }

    /** Reads an array, decompressing {@code compression}. */
    public static SequentialInput openInput(byte[] bytes, Compression compression) throws IOException {
        Objects.requireNonNull(bytes, "bytes");
        requireAvailable(compression);
        return layerInput(BufferInput.of(bytes), compression, 0);
    }

    /** Reads a Java stream; closing the file closes the stream. */
    public static SequentialInput openInput(InputStream in) {
        return wrap(in);
    }

    /**
     * Reads a Java stream, decompressing {@code compression}; closing the file closes the stream. If the codec
     * cannot be opened, {@code in} is left open: it is the caller's until this returns.
     */
    public static SequentialInput openInput(InputStream in, Compression compression) throws IOException {
        Objects.requireNonNull(in, "in");
        requireAvailable(compression);
        return decompressing(wrap(in), compression); // the wrapper holds nothing else: no close on failure
    }

    // ---- output ---------------------------------------------------------------------------------------------

    /** Creates or truncates {@code path} for writing, compressing by its extension. */
    public static SequentialOutput openOutput(Path path) throws IOException {
        return openOutput(path, StreamOptions.detect());
    }

    /** Creates or truncates {@code path} for writing, compressing with {@code compression}. */
    public static SequentialOutput openOutput(Path path, Compression compression) throws IOException {
        Objects.requireNonNull(path, "path");
        return openOutput(path, StreamOptions.of(compression));
    }

    /**
     * Creates or truncates {@code path} for writing with a compression (and level) and a buffer
     * ({@code pa.output_stream(path, compression=, buffer_size=)}).
     *
     * @throws IllegalStateException if the compression's codec is not available here (the file is not touched)
     * @since 1.1
     */
    public static SequentialOutput openOutput(Path path, StreamOptions options) throws IOException {
        Objects.requireNonNull(path, "path");
        Compression compression = compressionFor(options, path.toString()); // before the open truncates the file
        return layerOutput(OSFile.open(path, FileMode.WRITE), compression, options);
    }

    /** Creates or truncates a path or URI for writing, compressing by its extension. */
    public static SequentialOutput openOutput(String pathOrUri) throws IOException {
        return openOutput(pathOrUri, StreamOptions.detect());
    }

    /** Creates or truncates a path or URI for writing, compressing with {@code compression}. */
    public static SequentialOutput openOutput(String pathOrUri, Compression compression) throws IOException {
        Objects.requireNonNull(pathOrUri, "pathOrUri");
        return openOutput(pathOrUri, StreamOptions.of(compression));
    }

    /**
     * Creates or truncates a path or URI for writing with a compression and a buffer.
     *
     * @since 1.1
     */
    public static SequentialOutput openOutput(String pathOrUri, StreamOptions options) throws IOException {
        Objects.requireNonNull(pathOrUri, "pathOrUri");
        Objects.requireNonNull(options, "options");
        return isUri(pathOrUri) ? openOutput(URI.create(pathOrUri), options)
                : openOutput(Path.of(pathOrUri), options);
    }

    /** Creates or truncates a URI through its scheme's file system, compressing by its extension. */
    public static SequentialOutput openOutput(URI uri) throws IOException {
        return openOutput(uri, StreamOptions.detect());
    }

    /** Creates or truncates a URI through its scheme's file system, compressing with {@code compression}. */
    public static SequentialOutput openOutput(URI uri, Compression compression) throws IOException {
        Objects.requireNonNull(uri, "uri");
        return openOutput(uri, StreamOptions.of(compression));
    }

    /**
     * Creates or truncates a URI through its scheme's file system, with a compression and a buffer.
     *
     * @since 1.1
     */
    public static SequentialOutput openOutput(URI uri, StreamOptions options) throws IOException {
        Objects.requireNonNull(uri, "uri");
        Compression compression = compressionFor(options, nameOf(uri)); // before the open truncates the file
        try (QuiverFileSystem fs = QuiverFileSystem.fromUri(uri)) {
            return layerOutput(fs.openOutput(uri.toString()), compression, options);
        }
    }

    /** Writes to a Java stream; closing the file closes the stream. */
    public static SequentialOutput openOutput(OutputStream out) {
        return wrap(out);
    }

    /**
     * Writes to a Java stream, compressing with {@code compression}; closing the file closes the stream. If the
     * codec cannot be opened, {@code out} is left open.
     */
    public static SequentialOutput openOutput(OutputStream out, Compression compression) throws IOException {
        Objects.requireNonNull(out, "out");
        requireAvailable(compression);
        return compressing(wrap(out), compression);
    }

    // ---- layers ---------------------------------------------------------------------------------------------

    /** Buffers reads of {@code raw} with a {@link #DEFAULT_BUFFER_SIZE} buffer. */
    public static BufferedSequentialInput bufferedInput(SequentialInput raw) {
        return bufferedInput(raw, DEFAULT_BUFFER_SIZE);
    }

    /** Buffers writes to {@code raw} with a {@link #DEFAULT_BUFFER_SIZE} buffer. */
    public static BufferedSequentialOutput bufferedOutput(SequentialOutput raw) {
        return bufferedOutput(raw, DEFAULT_BUFFER_SIZE);
    }

    /**
     * Buffers reads of {@code raw} ({@code pa.BufferedInputStream(raw, buffer_size)}).
     *
     * @throws IllegalArgumentException if {@code bufferSize} is smaller than 1
     */
    public static BufferedSequentialInput bufferedInput(SequentialInput raw, int bufferSize) {
        Objects.requireNonNull(raw, "raw");
        checkBufferSize(bufferSize); // the arguments first, then the state
        requireOpen(raw);
        return IoProviders.nativeIo().bufferedInput(raw, bufferSize);
    }

    /**
     * Buffers writes to {@code raw} ({@code pa.BufferedOutputStream(raw, buffer_size)}); closing the result
     * flushes and closes {@code raw} (a {@link BufferOutput} closed this way keeps its bytes for
     * {@code finish()}).
     *
     * @throws IllegalArgumentException if {@code bufferSize} is smaller than 1
     */
    public static BufferedSequentialOutput bufferedOutput(SequentialOutput raw, int bufferSize) {
        Objects.requireNonNull(raw, "raw");
        checkBufferSize(bufferSize); // the arguments first, then the state
        requireOpen(raw);
        return IoProviders.nativeIo().bufferedOutput(layerTarget(raw), bufferSize);
    }

    /**
     * Decompresses {@code raw} as it is read ({@code pa.CompressedInputStream(raw, compression)}); closing the
     * result closes {@code raw}. {@link Compression#NONE} returns {@code raw} itself.
     *
     * @throws IllegalStateException if the codec is not available here (the reason says why)
     */
    public static SequentialInput decompressing(SequentialInput raw, Compression compression) throws IOException {
        requireOpen(raw);
        Objects.requireNonNull(compression, "compression");
        return compression == Compression.NONE ? raw : IoProviders.nativeIo().decompressing(raw, compression);
    }

    /**
     * Decodes charset {@code from} and encodes charset {@code to} as {@code source} is read: pyarrow's
     * {@code transcoding_input_stream(stream, src_encoding, dest_encoding)}. Streaming, in buffers of 64 KiB, and
     * strict: malformed {@code from} input, a character {@code to} cannot encode, or data that ends inside a
     * character ends the read with a {@link java.nio.charset.MalformedInputException} or
     * {@link java.nio.charset.UnmappableCharacterException} whose message names the source and the byte offset;
     * what was read before stays valid. Closing the result closes {@code source}. The same charset both ways
     * returns {@code source} itself, as pyarrow does.
     *
     * @since 1.1
     */
    public static SequentialInput transcoding(SequentialInput source, Charset from, Charset to) {
        requireOpen(source);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return from.equals(to) ? source : new TranscodingInput(source, from, to, DEFAULT_BUFFER_SIZE);
    }

    /**
     * {@link #transcoding(SequentialInput, Charset, Charset)} with charsets by name ({@code "utf-16"},
     * {@code "latin-1"}, {@code "cp1252"}, ...).
     *
     * @throws IllegalArgumentException naming the charset when the JVM has none by that name
     * @since 1.1
     */
    public static SequentialInput transcoding(SequentialInput source, String from, String to) {
        requireOpen(source);
        Objects.requireNonNull(from, "from");
        Objects.requireNonNull(to, "to");
        return transcoding(source, charset(from, "from"), charset(to, "to"));
    }

    private static Charset charset(String name, String operand) {
        Objects.requireNonNull(name, operand);
        String n = name.trim();
        // Python's spellings that Java does not know by that name
        String javaName = switch (n.toLowerCase(java.util.Locale.ROOT).replace('_', '-')) {
            case "latin-1", "latin1" -> "ISO-8859-1";
            case "utf8" -> "UTF-8";
            default -> n;
        };
        try {
            return Charset.forName(javaName);
        } catch (java.nio.charset.IllegalCharsetNameException | java.nio.charset.UnsupportedCharsetException e) {
            throw new IllegalArgumentException("unknown charset: " + operand + "=" + name, e);
        }
    }

    /** Compresses what is written to {@code raw} at the codec's default level. */
    public static SequentialOutput compressing(SequentialOutput raw, Compression compression) throws IOException {
        return compressing(raw, compression, DEFAULT_LEVEL);
    }

    /**
     * Compresses what is written to {@code raw} ({@code pa.CompressedOutputStream(raw, compression)}); closing
     * the result finishes the stream and closes {@code raw}. {@link Compression#NONE} returns {@code raw}.
     * A {@link BufferOutput} closed this way keeps what was written, so {@code raw.finish()} afterwards
     * returns the compressed bytes, as pyarrow's {@code raw.getvalue()} does.
     *
     * @param level the codec's level (gzip 1 to 9, zstd -131072 to 22, bz2 1 to 9, brotli 0 to 11, lz4 1 to 12;
     *              {@link Codec} has them), or {@link #DEFAULT_LEVEL}
     * @throws IllegalArgumentException if the level is outside the codec's range
     * @throws IllegalStateException    if the codec is not available here
     */
    public static SequentialOutput compressing(SequentialOutput raw, Compression compression, int level) throws IOException {
        requireOpen(raw);
        Objects.requireNonNull(compression, "compression");
        return compression == Compression.NONE ? raw
                : IoProviders.nativeIo().compressing(layerTarget(raw), compression, level);
    }

    /**
     * What a layer writes into and closes: an in-memory output as a target whose close keeps what was written for
     * {@link BufferOutput#finish()} (closing a layer must not destroy what the caller holds), any other file
     * as it is.
     */
    private static SequentialOutput layerTarget(SequentialOutput raw) {
        return raw instanceof BufferOutput memory ? memory.layerTarget() : raw;
    }

    // ---- Java interop ---------------------------------------------------------------------------------------

    /** A Java input stream as a file (pyarrow's {@code PythonFile} for reading); closing it closes the stream. */
    public static SequentialInput wrap(InputStream in) {
        Objects.requireNonNull(in, "in");
        return IoProviders.nativeIo().wrap(in);
    }

    /** A Java output stream as a file; closing it closes the stream. */
    public static SequentialOutput wrap(OutputStream out) {
        Objects.requireNonNull(out, "out");
        return IoProviders.nativeIo().wrap(out);
    }

    /**
     * An NIO channel as a file with positions; closing it closes the channel. A {@link
     * java.nio.channels.FileChannel}'s positional reads go to {@code FileChannel.read(dst, position)} and are
     * safe from many threads; other channels serialise them.
     */
    public static ReadWriteFile wrap(SeekableByteChannel channel) {
        Objects.requireNonNull(channel, "channel");
        return IoProviders.nativeIo().wrap(channel);
    }

    /**
     * Whether a location the user typed is a URI, refusing one that is neither a URI nor a path: {@code ://x} has
     * no scheme, so it would be read as the relative path {@code :/x} (a path's repeated slashes collapse), and
     * every error would name a file the user never typed.
     *
     * @throws IllegalArgumentException for a location with {@code ://} but no scheme before it
     */
    static boolean isUri(String pathOrUri) {
        if (Locations.isUri(pathOrUri)) {
            return true;
        }
        if (pathOrUri.contains("://")) {
            throw new IllegalArgumentException("'" + pathOrUri + "' is neither a path nor a URI: a URI needs a scheme"
                    + " before '://' (file:///data/x.gz, hdfs://namenode:8020/x.gz)");
        }
        return false;
    }

    /** The path part of a URI, where its extension is (the whole URI if it has none: {@code hdfs:x.gz}). */
    private static String nameOf(URI uri) {
        return uri.getPath() == null ? uri.toString() : uri.getPath();
    }

    /**
     * The compression {@code options} give a stream of {@code name}, checked available: before anything is
     * opened, so a file is never truncated for a codec that is not there.
     */
    static Compression compressionFor(StreamOptions options, String name) {
        Compression compression = Objects.requireNonNull(options, "options").compressionFor(name);
        requireAvailable(compression);
        return compression;
    }

    /**
     * {@code raw} under a buffer of {@code bufferSize} bytes (0: none) and the codec, as pyarrow stacks them (the
     * buffer next to the file); on failure {@code raw} (and any layer made) is closed.
     */
    static SequentialInput layerInput(SequentialInput raw, Compression compression, int bufferSize)
            throws IOException {
        SequentialInput top = raw;
        try {
            if (bufferSize > 0) {
                top = bufferedInput(top, bufferSize);
            }
            return decompressing(top, compression);
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(top, e);
            throw e;
        }
    }

    /** {@code raw} under {@code options}' buffer and codec (at its level); on failure the layers are closed. */
    static SequentialOutput layerOutput(SequentialOutput raw, Compression compression, StreamOptions options)
            throws IOException {
        SequentialOutput top = raw;
        try {
            if (options.bufferSize() > 0) {
                top = bufferedOutput(top, options.bufferSize());
            }
            return compressing(top, compression, options.level());
        } catch (IOException | RuntimeException | Error e) {
            closeQuietly(top, e);
            throw e;
        }
    }

    /**
     * Checks {@code compression} before anything is opened: opening for writing truncates the file, and a codec
     * found unavailable only afterwards would leave the caller with an empty file and an exception.
     *
     * @throws IllegalStateException if the codec is not available here (the message is the reason)
     */
    private static void requireAvailable(Compression compression) {
        String reason = Objects.requireNonNull(compression, "compression").unavailableReason();
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    /**
     * Refuses a closed file to layer over at the call: the layer would be made and fail only at its first read or
     * write, far from the mistake.
     *
     * @throws IllegalStateException {@code "closed: "} and the file, if {@code raw} is closed
     */
    private static void requireOpen(NativeFile raw) {
        if (Objects.requireNonNull(raw, "raw").isClosed()) {
            throw new IllegalStateException("closed: " + raw);
        }
    }

    private static void checkBufferSize(int bufferSize) {
        if (bufferSize < 1) {
            throw new IllegalArgumentException("buffer size must be at least 1: bufferSize=" + bufferSize);
        }
    }

    private static void closeQuietly(NativeFile file, Throwable primary) {
        try {
            file.close();
        } catch (IOException | RuntimeException suppressed) {
            primary.addSuppressed(suppressed);
        }
    }
}
