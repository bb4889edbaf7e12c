package org.quiver.io;

import java.io.IOException;
import java.util.Objects;

import org.quiver.internal.kit.ReadLoops;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * A compression codec at a level, for whole buffers at once: pyarrow's {@code pa.Codec}, {@code pa.compress} and
 * {@code pa.decompress}. The bytes are the same streaming container that {@link NativeFiles#compressing} writes
 * and the format's command-line tool reads ({@code gzip -d}, {@code zstd -d}, ...), and the results live in pool
 * memory.
 *
 * {@snippet :
 * Codec zstd = Codec.of(Compression.ZSTD, 9);
 * try (ResizableBuffer packed = zstd.compress(data);
 *      ResizableBuffer unpacked = zstd.decompress(packed, data.size())) {
 *     ...
 * }
 * }
 *
 * <p>Levels and their ranges are pyarrow's ({@code minimum_compression_level}, {@code maximum_compression_level}),
 * except two defaults, which are the command-line tools' instead: gzip 6 (pyarrow 9) and zstd 3 (pyarrow 1). A
 * level outside the range is refused with the range in the message. Snappy has no levels. Immutable and
 * thread-safe.
 *
 * @since 1.1
 */
public final class Codec {

    /** Levels of a format: lowest, highest, default; none for snappy. */
    private record Levels(int minimum, int maximum, int byDefault) {
    }

    private static Levels levels(Compression compression) {
        return switch (compression) {
            case GZIP -> new Levels(1, 9, 6);
            // zstd's ZSTD_minCLevel() (the fast levels, -131072) to ZSTD_maxCLevel(), as pyarrow reports them.
            case ZSTD -> new Levels(-(1 << 17), 22, 3);
            case LZ4_FRAME -> new Levels(1, 12, 1);
            case BZ2 -> new Levels(1, 9, 9);
            case BROTLI -> new Levels(0, 11, 8);
            case SNAPPY -> null;
            case NONE -> throw new IllegalArgumentException("uncompressed is not a codec: use a compression format");
        };
    }

    private final Compression compression;
    private final Levels levels;
    private final int level;

    private Codec(Compression compression, int level) {
        this.compression = compression;
        this.levels = levels(compression);
        this.level = resolve(compression, levels, level);
    }

    private static int resolve(Compression compression, Levels levels, int level) {
        if (level == NativeFiles.DEFAULT_LEVEL) {
            return levels == null ? NativeFiles.DEFAULT_LEVEL : levels.byDefault();
        }
        if (levels == null) {
            throw new IllegalArgumentException(compression.pyarrowName() + " has no compression levels: level="
                    + level);
        }
        if (level < levels.minimum() || level > levels.maximum()) {
            throw new IllegalArgumentException(compression.pyarrowName() + " level must be from " + levels.minimum()
                    + " to " + levels.maximum() + ": level=" + level);
        }
        return level;
    }

    /**
     * The codec of {@code compression} at its default level.
     *
     * @throws IllegalArgumentException for {@link Compression#NONE}
     */
    public static Codec of(Compression compression) {
        return of(compression, NativeFiles.DEFAULT_LEVEL);
    }

    /**
     * The codec of {@code compression} at {@code level} ({@link NativeFiles#DEFAULT_LEVEL} for its default).
     *
     * @throws IllegalArgumentException for {@link Compression#NONE}, or a level outside the codec's range (the
     *                                  message gives the range), or any level for snappy
     */
    public static Codec of(Compression compression, int level) {
        return new Codec(Objects.requireNonNull(compression, "compression"), level);
    }

    /** The codec named as {@link Compression#byName} reads names ({@code "zstd"}, {@code "gz"}, ...). */
    public static Codec of(String name) {
        return of(Compression.byName(name));
    }

    /** The codec named {@code name} at {@code level}. */
    public static Codec of(String name, int level) {
        return of(Compression.byName(name), level);
    }

    /** The format. */
    public Compression compression() {
        return compression;
    }

    /** pyarrow's name of the format ({@code "gzip"}, {@code "zstd"}, {@code "lz4"}, ...). */
    public String name() {
        return compression.pyarrowName();
    }

    /** Whether the format has compression levels (all but snappy). */
    public boolean hasLevels() {
        return levels != null;
    }

    /**
     * The level this codec compresses at.
     *
     * @throws UnsupportedOperationException for snappy, which has none
     */
    public int level() {
        requireLevels();
        return level;
    }

    /**
     * The format's default level.
     *
     * @throws UnsupportedOperationException for snappy, which has none
     */
    public int defaultLevel() {
        return requireLevels().byDefault();
    }

    /**
     * The format's lowest level.
     *
     * @throws UnsupportedOperationException for snappy, which has none
     */
    public int minimumLevel() {
        return requireLevels().minimum();
    }

    /**
     * The format's highest level.
     *
     * @throws UnsupportedOperationException for snappy, which has none
     */
    public int maximumLevel() {
        return requireLevels().maximum();
    }

    private Levels requireLevels() {
        if (levels == null) {
            throw new UnsupportedOperationException(name() + " has no compression levels");
        }
        return levels;
    }

    /** Whether this format can be used here (its library is present and loads). */
    public boolean isAvailable() {
        return compression.isAvailable();
    }

    /** Why this format cannot be used here, or {@code null}. */
    public String unavailableReason() {
        return compression.unavailableReason();
    }

    /**
     * Compresses all of {@code input} into a buffer of the default pool ({@code pa.compress(buf, codec)}).
     *
     * @throws IllegalStateException if the codec is not available here, or {@code input} is closed
     */
    public ResizableBuffer compress(Buffer input) throws IOException {
        return compress(input, MemoryPool.defaultPool());
    }

    /**
     * Compresses all of {@code input} into a buffer of {@code pool}; {@code input} is left as it was.
     *
     * @throws IllegalStateException if the codec is not available here, or {@code input} is closed
     */
    public ResizableBuffer compress(Buffer input, MemoryPool pool) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(pool, "pool");
        requireAvailable();
        BufferOutput out = new BufferOutput(pool, Math.max(64, input.size() / 2));
        boolean done = false;
        try {
            try (SequentialOutput packing = NativeFiles.compressing(out, compression, level)) {
                packing.write(input, 0, input.size());
            }
            ResizableBuffer result = out.finish();
            done = true;
            return result;
        } finally {
            if (!done) {
                out.close();
            }
        }
    }

    /**
     * Decompresses all of {@code input} into a buffer of the default pool, however long the result
     * ({@code pa.decompress(buf, codec=...)}).
     *
     * @throws CorruptDataException   if {@code input} is not valid data of this format
     * @throws TruncatedDataException if {@code input} ends in the middle of the data
     */
    public ResizableBuffer decompress(Buffer input) throws IOException {
        return decompress(input, MemoryPool.defaultPool());
    }

    /** {@link #decompress(Buffer)} into a buffer of {@code pool}. */
    public ResizableBuffer decompress(Buffer input, MemoryPool pool) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(pool, "pool");
        requireAvailable();
        try (SequentialInput in = NativeFiles.openInput(input, compression)) {
            return ReadLoops.readBuffer(in, Long.MAX_VALUE, pool); // straight into pool memory, doubling
        }
    }

    /**
     * Decompresses all of {@code input}, which must decode to exactly {@code decompressedSize} bytes, into a buffer
     * of that size from the default pool ({@code pa.decompress(buf, decompressed_size, codec)}).
     *
     * @throws CorruptDataException     if {@code input} is not valid data of this format, or decodes to more or
     *                                  fewer bytes than {@code decompressedSize} (the message gives both)
     * @throws TruncatedDataException   if {@code input} ends in the middle of the data
     * @throws IllegalArgumentException if {@code decompressedSize} is negative
     */
    public ResizableBuffer decompress(Buffer input, long decompressedSize) throws IOException {
        return decompress(input, decompressedSize, MemoryPool.defaultPool());
    }

    /** {@link #decompress(Buffer, long)} into a buffer of {@code pool}. */
    public ResizableBuffer decompress(Buffer input, long decompressedSize, MemoryPool pool) throws IOException {
        Objects.requireNonNull(input, "input");
        Objects.requireNonNull(pool, "pool");
        if (decompressedSize < 0) {
            throw new IllegalArgumentException("negative decompressedSize: decompressedSize=" + decompressedSize);
        }
        requireAvailable();
        ResizableBuffer result = pool.allocate(decompressedSize);
        boolean done = false;
        try (SequentialInput in = NativeFiles.openInput(input, compression)) {
            long filled = 0;
            while (filled < decompressedSize) {
                long n = in.read(result, filled, decompressedSize - filled);
                if (n < 0) {
                    throw sizeMismatch("the data ends after " + filled + " bytes, but decompressedSize="
                            + decompressedSize);
                }
                filled += n;
            }
            if (in.read(new byte[1], 0, 1) >= 0) {
                throw sizeMismatch("the data decodes to more than decompressedSize=" + decompressedSize + " bytes");
            }
            done = true;
            return result;
        } finally {
            if (!done) {
                result.close();
            }
        }
    }

    private CorruptDataException sizeMismatch(String detail) {
        return new CorruptDataException(name() + " data in a buffer: " + detail, compression, -1, null);
    }

    private void requireAvailable() {
        String why = unavailableReason();
        if (why != null) {
            throw new IllegalStateException(name() + " is not available here: " + why);
        }
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Codec c && c.compression == compression && c.level == level;
    }

    @Override
    public int hashCode() {
        return compression.hashCode() * 31 + level;
    }

    /** {@code Codec[zstd, level 3]}, or {@code Codec[snappy]}. */
    @Override
    public String toString() {
        return "Codec[" + name() + (levels == null ? "" : ", level " + level) + "]";
    }
}
