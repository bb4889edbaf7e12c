package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.EnumMap;
import java.util.Map;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorOutputStream;
import org.quiver.io.Compression;
import org.quiver.io.NativeFiles;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;
import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The codec behind each {@link Compression}: the JDK's zlib for gzip, zstd-jni, lz4-java, Commons Compress for
 * bzip2 and framed snappy, and brotli4j. Each writes the container its command-line tool reads, and each
 * decoder's memory is bounded by its format (zstd windows up to 2^27 bytes, lz4 blocks up to 4 MiB, bzip2
 * blocks up to 900 kB, brotli windows up to 16 MiB), so a hostile header cannot make it allocate without end.
 */
final class Codecs {

    /** Enough for a system call's worth of compressed input or output at a time. */
    private static final int STREAM_BUFFER = 64 << 10;
    /** zstd's default limit, spelled out: frames asking for a larger window are refused, not allocated. */
    private static final int ZSTD_MAX_WINDOW_LOG = 27;

    private static final Map<Compression, String> UNAVAILABLE = new EnumMap<>(Compression.class);

    private Codecs() {
    }

    /** Why {@code compression} cannot be used here, or {@code null}; probed once per codec. */
    static synchronized String unavailableReason(Compression compression) {
        if (UNAVAILABLE.containsKey(compression)) {
            return UNAVAILABLE.get(compression);
        }
        String reason;
        try {
            switch (compression) {
                case ZSTD -> Zstd.defaultCompressionLevel(); // loads the native library
                case LZ4_FRAME -> LZ4Factory.fastestInstance();
                case BROTLI -> Brotli4jLoader.ensureAvailability();
                case BZ2 -> BZip2CompressorInputStream.class.getName();
                case SNAPPY -> FramedSnappyCompressorInputStream.class.getName();
                case GZIP, NONE -> {
                }
            }
            reason = null;
        } catch (LinkageError | RuntimeException e) {
            reason = compression.pyarrowName() + " codec failed to load: " + e;
        }
        UNAVAILABLE.put(compression, reason);
        return reason;
    }

    private static void requireAvailable(Compression compression) {
        String reason = unavailableReason(compression);
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
    }

    /** A decoder reading compressed bytes from {@code in}; concatenated members and frames read as one. */
    static InputStream decoder(Compression compression, InputStream in) throws IOException {
        requireAvailable(compression);
        return switch (compression) {
            case GZIP -> new GZIPInputStream(in, STREAM_BUFFER);
            case ZSTD -> new ZstdInputStreamNoFinalizer(in).setLongMax(ZSTD_MAX_WINDOW_LOG);
            case LZ4_FRAME -> new LZ4FrameInputStream(in);
            case BZ2 -> new BZip2CompressorInputStream(in, true);
            case BROTLI -> new BrotliInputStream(in, STREAM_BUFFER);
            case SNAPPY -> new FramedSnappyCompressorInputStream(in);
            case NONE -> in;
        };
    }

    /**
     * An encoder writing compressed bytes to {@code out}; closing it finishes the stream and closes {@code out}.
     *
     * @throws IllegalArgumentException if {@code level} is outside the codec's range
     */
    static OutputStream encoder(Compression compression, OutputStream out, int level) throws IOException {
        requireAvailable(compression);
        boolean byDefault = level == NativeFiles.DEFAULT_LEVEL;
        return switch (compression) {
            case GZIP -> {
                int l = byDefault ? 6 : checkLevel(compression, level, 0, 9);
                yield new GZIPOutputStream(out, STREAM_BUFFER) {
                    {
                        def.setLevel(l);
                    }
                };
            }
            case ZSTD -> {
                int l = byDefault ? 3 : checkLevel(compression, level, Zstd.minCompressionLevel(),
                        Zstd.maxCompressionLevel());
                yield new ZstdOutputStreamNoFinalizer(out, l).setChecksum(true);
            }
            case LZ4_FRAME -> {
                int l = byDefault ? 1 : checkLevel(compression, level, 1, 17);
                LZ4Factory factory = LZ4Factory.fastestInstance();
                yield new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L,
                        l < 3 ? factory.fastCompressor() : factory.highCompressor(l),
                        XXHashFactory.fastestInstance().hash32(), LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                        LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
            }
            case BZ2 -> new BZip2CompressorOutputStream(out, byDefault ? 9 : checkLevel(compression, level, 1, 9));
            case BROTLI -> new BrotliOutputStream(out,
                    new Encoder.Parameters().setQuality(byDefault ? 8 : checkLevel(compression, level, 0, 11)),
                    STREAM_BUFFER);
            case SNAPPY -> {
                if (!byDefault) {
                    throw new IllegalArgumentException("snappy has no compression levels: level=" + level);
                }
                yield new FramedSnappyCompressorOutputStream(out);
            }
            case NONE -> out;
        };
    }

    private static int checkLevel(Compression compression, int level, int min, int max) {
        if (level < min || level > max) {
            throw new IllegalArgumentException(compression.pyarrowName() + " level must be from " + min + " to "
                    + max + ": level=" + level);
        }
        return level;
    }
}
