package org.quiver.io;

import java.util.Objects;

/**
 * How a stream is opened: its compression and its buffer, pyarrow's {@code compression=} and
 * {@code buffer_size=} arguments of {@code input_stream}, {@code output_stream} and the file systems'
 * {@code open_input_stream}, {@code open_output_stream} and {@code open_append_stream}.
 *
 * {@snippet :
 * // pa.input_stream("day.json.gz", buffer_size=1 << 20)
 * NativeFiles.openInput("day.json.gz", StreamOptions.detect().withBufferSize(1 << 20));
 * // fs.open_output_stream("/out/x.zst", compression="zstd") at level 19
 * fs.openOutput("/out/x", StreamOptions.of(Codec.of(Compression.ZSTD, 19)));
 * }
 *
 * <p>The compression is detected from the path's extension ({@link #detect()}, pyarrow's {@code 'detect'}), none
 * ({@link #uncompressed()}, pyarrow's {@code None}), or a given format at a level ({@link #of(Compression)},
 * {@link #of(Codec)}). The buffer, as in pyarrow, sits between the file and the codec: reads of the file and
 * writes to it are made {@code bufferSize} bytes at a time; 0 (the default) adds no buffer. Immutable; every
 * argument is checked when the options are made, so a bad one never truncates a file.
 *
 * @since 1.1
 */
public final class StreamOptions {

    private static final StreamOptions DETECT = new StreamOptions(null, NativeFiles.DEFAULT_LEVEL, 0);
    private static final StreamOptions UNCOMPRESSED = new StreamOptions(Compression.NONE, NativeFiles.DEFAULT_LEVEL,
            0);

    /** {@code null}: detected from the path. */
    private final Compression compression;
    private final int level;
    private final int bufferSize;

    private StreamOptions(Compression compression, int level, int bufferSize) {
        this.compression = compression;
        this.level = level;
        this.bufferSize = bufferSize;
    }

    /** Compression detected from the path's extension ({@link Compression#forPath}), no buffer: the default. */
    public static StreamOptions detect() {
        return DETECT;
    }

    /** No compression, no buffer: the bytes as they are in the file. */
    public static StreamOptions uncompressed() {
        return UNCOMPRESSED;
    }

    /** {@code compression} at its default level ({@link Compression#NONE}: none), no buffer. */
    public static StreamOptions of(Compression compression) {
        return new StreamOptions(Objects.requireNonNull(compression, "compression"), NativeFiles.DEFAULT_LEVEL, 0);
    }

    /** {@code codec}'s format at its level (levels matter when writing), no buffer. */
    public static StreamOptions of(Codec codec) {
        Objects.requireNonNull(codec, "codec");
        return new StreamOptions(codec.compression(), codec.hasLevels() ? codec.level() : NativeFiles.DEFAULT_LEVEL,
                0);
    }

    /**
     * These options with a buffer of {@code bufferSize} bytes between the file and the codec (pyarrow's
     * {@code buffer_size}); 0 for none.
     *
     * @throws IllegalArgumentException if {@code bufferSize} is negative
     */
    public StreamOptions withBufferSize(int bufferSize) {
        if (bufferSize < 0) {
            throw new IllegalArgumentException("buffer size must be 0 (no buffer) or more: bufferSize=" + bufferSize);
        }
        return new StreamOptions(compression, level, bufferSize);
    }

    /** Whether the compression is detected from the path. */
    public boolean detectsCompression() {
        return compression == null;
    }

    /**
     * The compression for a stream of {@code path}: the given one, or the one its extension names.
     *
     * @param path a path or URI, or {@code null} for a stream without a name (then a detected compression is none)
     */
    public Compression compressionFor(String path) {
        if (compression != null) {
            return compression;
        }
        return path == null ? Compression.NONE : Compression.forPath(path);
    }

    /** The compression level to write at, {@link NativeFiles#DEFAULT_LEVEL} for the codec's default. */
    public int level() {
        return level;
    }

    /** The buffer between the file and the codec, in bytes; 0 for none. */
    public int bufferSize() {
        return bufferSize;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof StreamOptions s && Objects.equals(compression, s.compression) && level == s.level
                && bufferSize == s.bufferSize;
    }

    @Override
    public int hashCode() {
        return Objects.hash(compression, level, bufferSize);
    }

    /** {@code StreamOptions[compression=zstd, level=19, bufferSize=65536]}; {@code detect} when detected. */
    @Override
    public String toString() {
        return "StreamOptions[compression=" + (compression == null ? "detect" : compression.pyarrowName())
                + (level == NativeFiles.DEFAULT_LEVEL ? "" : ", level=" + level) + ", bufferSize=" + bufferSize + "]";
    }
}
