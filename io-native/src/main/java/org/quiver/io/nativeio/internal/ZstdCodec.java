package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;

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

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        int l = Codecs.level(Compression.ZSTD, level, 3, Zstd.minCompressionLevel(), Zstd.maxCompressionLevel());
        return new ZstdOutputStreamNoFinalizer(out, l).setChecksum(true);
    }
}
