package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Locale;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.quiver.io.Compression;

/**
 * gzip: decoded straight into native memory by Intel's ISA-L ({@link Isal}) where {@code libisal.so.2} is
 * installed, else by the JDK's zlib, which is always there ({@link GzipDecoder} reads the members for both);
 * encoded by the JDK's zlib. The system property
 * {@value #ENGINE_PROPERTY} chooses: {@code auto} (the default: ISA-L when it loads), {@code isal} (ISA-L or gzip
 * is unavailable, with the reason) or {@code jdk}.
 */
final class GzipCodec implements Codec {

    /** The system property that chooses the decoder. */
    static final String ENGINE_PROPERTY = "quiver.gzip.engine";

    /** Who decodes. */
    enum Engine {
        /** Intel's ISA-L through the FFM API, into native memory. */
        ISAL,
        /** The JDK's zlib ({@link java.util.zip.Inflater} on direct buffers). */
        JDK
    }

    private final Engine engine;

    GzipCodec() {
        this(engine(System.getProperty(ENGINE_PROPERTY, "auto")));
    }

    GzipCodec(Engine engine) {
        if (engine == Engine.ISAL) {
            Isal.load(); // an Error naming the library and the dynamic linker's reason when it cannot load
        }
        this.engine = engine;
    }

    Engine engine() {
        return engine;
    }

    /** The engine a property value asks for; {@code auto} is ISA-L when it loads. */
    static Engine engine(String value) {
        return switch (value.trim().toLowerCase(Locale.ROOT)) {
            case "jdk" -> Engine.JDK;
            case "isal" -> Engine.ISAL;
            case "auto", "" -> isalLoads() ? Engine.ISAL : Engine.JDK;
            default -> throw new IllegalArgumentException(ENGINE_PROPERTY + " must be auto, isal or jdk: "
                    + ENGINE_PROPERTY + "=" + value);
        };
    }

    private static boolean isalLoads() {
        try {
            Isal.load();
            return true;
        } catch (LinkageError e) {
            return false;
        }
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new GZIPInputStream(in, Codecs.STREAM_BUFFER);
    }

    @Override
    public NativeDecoder nativeDecoder(InputStream in, NativeDecoder.Source nativeSource, String source) {
        return engine == Engine.ISAL ? new IsalGzipDecoder(nativeSource) : new JdkGzipDecoder(nativeSource);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        int l = Codecs.level(Compression.GZIP, level);
        return new GZIPOutputStream(out, Codecs.STREAM_BUFFER) {
            {
                def.setLevel(l);
            }
        };
    }
}
