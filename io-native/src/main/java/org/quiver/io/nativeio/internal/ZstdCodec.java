package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;
import org.quiver.io.SequentialOutput;

import com.github.luben.zstd.Zstd;
import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

/** zstd frames through zstd-jni, with checksums. */
final class ZstdCodec implements Codec {

    /** zstd's default limit, spelled out: frames asking for a larger window are refused, not allocated. */
    private static final int MAX_WINDOW_LOG = 27;

    ZstdCodec() {
        Zstd.defaultCompressionLevel(); // loads the native library, so that a failure shows here
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new ZstdInputStreamNoFinalizer(in).setLongMax(MAX_WINDOW_LOG);
    }

    /** zstd-jni's direct-buffer streaming, into the caller's memory. */
    @Override
    public NativeDecoder nativeDecoder(InputStream in, NativeDecoder.Source nativeSource, String source) {
        return new ZstdDecoder(nativeSource);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        return new ZstdOutputStreamNoFinalizer(out, level(level)).setChecksum(true);
    }

    /** zstd-jni's buffer streaming, from the caller's memory. */
    @Override
    public NativeEncoder nativeEncoder(SequentialOutput raw, int level) {
        return new ZstdEncoder(raw, level(level));
    }

    private static int level(int level) {
        return Codecs.level(Compression.ZSTD, level);
    }
}
