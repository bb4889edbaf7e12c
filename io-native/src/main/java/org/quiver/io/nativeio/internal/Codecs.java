package org.quiver.io.nativeio.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.EnumMap;
import java.util.Map;

import org.quiver.io.Compression;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;

/**
 * The codec behind each {@link Compression}: the JDK's zlib for gzip, zstd-jni, lz4-java, Commons Compress for
 * bzip2 and framed snappy, and brotli4j. Each writes the container its command-line tool reads, and each
 * decoder's memory is bounded by its format (zstd windows up to 2^27 bytes, lz4 blocks up to 4 MiB, bzip2
 * blocks up to 900 kB, brotli windows up to 16 MiB), so a hostile header cannot make it allocate without end.
 *
 * <p>Every codec but gzip lives in its own {@link Codec} class, linked the first time it is asked for: a library
 * that is missing (a user may leave brotli4j out) or whose native part fails to load makes that codec
 * unavailable with the reason, and the others work. This class names no library type, so nothing here fails to
 * link.
 */
final class Codecs {

    /** Enough for a system call's worth of compressed input or output at a time. */
    static final int STREAM_BUFFER = 64 << 10;

    /** Each codec: its {@link Codec}, or the reason it has none (a {@code String}); probed once. */
    private static final Map<Compression, Object> LOADED = new EnumMap<>(Compression.class);

    private Codecs() {
    }

    /** Why {@code compression} cannot be used here, or {@code null}. */
    static String unavailableReason(Compression compression) {
        return compression == Compression.NONE ? null : load(compression) instanceof String reason ? reason : null;
    }

    private static synchronized Object load(Compression compression) {
        return LOADED.computeIfAbsent(compression, Codecs::link);
    }

    private static Object link(Compression compression) {
        try {
            Codec codec = switch (compression) {
                case GZIP -> new GzipCodec();
                case ZSTD -> new ZstdCodec();
                case LZ4_FRAME -> new Lz4Codec();
                case BZ2 -> new Bzip2Codec();
                case SNAPPY -> new SnappyCodec();
                case BROTLI -> new BrotliCodec();
                case NONE -> throw new AssertionError("no codec for NONE");
            };
            roundTrip(compression, codec);
            return codec;
        } catch (LinkageError | RuntimeException | IOException e) {
            // LinkageError: a class missing (NoClassDefFoundError), a native library that does not load
            // (UnsatisfiedLinkError), a static initialiser that failed, or a library of an incompatible version
            return reason(compression, e);
        }
    }

    /**
     * Encodes and decodes a few bytes, so that what the codec needs only once streams exist (a library's own
     * dependency, such as Commons Compress's commons-io, or its native part) fails here, not in the caller's
     * first stream.
     */
    private static void roundTrip(Compression compression, Codec codec) throws IOException {
        byte[] probe = "quiver".getBytes(StandardCharsets.US_ASCII);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        try (OutputStream out = codec.encoder(compressed, NativeFiles.DEFAULT_LEVEL)) {
            out.write(probe);
        }
        byte[] decoded;
        try (InputStream in = codec.decoder(new ByteArrayInputStream(compressed.toByteArray()), "a probe")) {
            decoded = in.readAllBytes();
        }
        if (!Arrays.equals(probe, decoded)) {
            throw new IllegalStateException(compression.pyarrowName() + " gave other bytes back for a probe");
        }
        ByteArrayOutputStream natively = new ByteArrayOutputStream();
        NativeEncoder encoder = codec.nativeEncoder(new JavaOutput(natively), NativeFiles.DEFAULT_LEVEL);
        if (encoder != null) {
            try {
                encoder.write(probe, 0, probe.length);
                encoder.finish();
            } finally {
                encoder.close();
            }
            try (InputStream in = codec.decoder(new ByteArrayInputStream(natively.toByteArray()), "a probe")) {
                if (!Arrays.equals(probe, in.readAllBytes())) {
                    throw new IllegalStateException(compression.pyarrowName()
                            + "'s native encoder wrote other bytes for a probe");
                }
            }
        }
        byte[] encoded = compressed.toByteArray();
        boolean[] given = new boolean[1];
        NativeDecoder decoder = codec.nativeDecoder(new ByteArrayInputStream(encoded), into -> {
            if (given[0]) {
                return -1;
            }
            given[0] = true;
            MemorySegment.copy(encoded, 0, into, ValueLayout.JAVA_BYTE, 0, encoded.length);
            return encoded.length;
        }, "a probe");
        if (decoder != null) {
            try (Arena arena = Arena.ofConfined()) {
                MemorySegment out = arena.allocate(probe.length + 1);
                long n = decoder.decode(out);
                if (n != probe.length || decoder.decode(out) != -1
                        || !Arrays.equals(probe, out.asSlice(0, n).toArray(ValueLayout.JAVA_BYTE))) {
                    throw new IllegalStateException(compression.pyarrowName()
                            + "'s native decoder gave other bytes back for a probe");
                }
            } finally {
                decoder.close();
            }
        }
    }

    /** The reason, naming the library to add and what the JVM said. */
    private static String reason(Compression compression, Throwable failure) {
        String library = switch (compression) {
            case ZSTD -> "zstd-jni (com.github.luben:zstd-jni)";
            case LZ4_FRAME -> "lz4-java (at.yawk.lz4:lz4-java)";
            case BZ2, SNAPPY -> "Commons Compress (org.apache.commons:commons-compress)";
            case BROTLI -> "brotli4j (com.aayushatharva.brotli4j:brotli4j with its native-<os>-<arch> jar)";
            case GZIP, NONE -> "the JDK's java.util.zip";
        };
        Throwable root = failure instanceof ExceptionInInitializerError && failure.getCause() != null
                ? failure.getCause() : failure;
        StringBuilder what = new StringBuilder(root.toString());
        for (Throwable cause = root.getCause(); cause != null && cause != root; cause = cause.getCause()) {
            what.append("; caused by ").append(cause);
        }
        boolean missing = root instanceof NoClassDefFoundError || root instanceof ClassNotFoundException;
        return compression.pyarrowName() + " codec is unavailable: " + library + (missing
                ? " or a library it needs is missing (not on the class path, or its bundle not installed): "
                : " failed to load: ") + what;
    }

    private static Codec codec(Compression compression) {
        Object loaded = load(compression);
        if (loaded instanceof Codec codec) {
            return codec;
        }
        throw new IllegalStateException((String) loaded);
    }

    /**
     * A decoder reading compressed bytes from {@code in}; concatenated members and frames read as one.
     *
     * @param source what is being read, for messages
     * @throws IllegalStateException if the codec is unavailable (the message is the reason)
     */
    static InputStream decoder(Compression compression, InputStream in, String source) throws IOException {
        return compression == Compression.NONE ? in : codec(compression).decoder(in, source);
    }

    /**
     * An encoder reading native memory and writing to {@code raw}, or {@code null} when the codec has none (then use
     * {@link #encoder}).
     *
     * @throws IllegalArgumentException if {@code level} is outside the codec's range
     * @throws IllegalStateException    if the codec is unavailable (the message is the reason)
     */
    static NativeEncoder nativeEncoder(Compression compression, SequentialOutput raw, int level) {
        return compression == Compression.NONE ? null : codec(compression).nativeEncoder(raw, level);
    }

    /**
     * A decoder writing into native memory, or {@code null} when the codec has none (then use {@link #decoder}).
     *
     * @param in           the compressed bytes as a stream
     * @param nativeSource the same bytes read into native memory; a decoder uses one of the two
     * @throws IllegalStateException if the codec is unavailable (the message is the reason)
     */
    static NativeDecoder nativeDecoder(Compression compression, InputStream in, NativeDecoder.Source nativeSource,
            String source) throws IOException {
        return compression == Compression.NONE ? null : codec(compression).nativeDecoder(in, nativeSource, source);
    }

    /**
     * An encoder writing compressed bytes to {@code out}; closing it finishes the stream and closes {@code out}.
     *
     * @throws IllegalArgumentException if {@code level} is outside the codec's range
     * @throws IllegalStateException    if the codec is unavailable (the message is the reason)
     */
    static OutputStream encoder(Compression compression, OutputStream out, int level) throws IOException {
        return compression == Compression.NONE ? out : codec(compression).encoder(out, level);
    }

    /**
     * The level to compress {@code compression} at: {@code level}, or the codec's default for
     * {@link org.quiver.io.NativeFiles#DEFAULT_LEVEL} (the ranges and defaults are {@link org.quiver.io.Codec}'s).
     *
     * @throws IllegalArgumentException if {@code level} is outside the codec's range (the message gives it)
     */
    static int level(Compression compression, int level) {
        return org.quiver.io.Codec.of(compression, level).level();
    }
}
