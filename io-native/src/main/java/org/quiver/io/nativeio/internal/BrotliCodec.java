package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.BrotliInputStream;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;

/** Raw brotli streams through brotli4j; its native part comes in a separate jar per platform. */
final class BrotliCodec implements Codec {

    BrotliCodec() {
        Brotli4jLoader.ensureAvailability(); // throws when the platform's native jar is missing or fails to load
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new BrotliInputStream(in, Codecs.STREAM_BUFFER);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        // 8 as Arrow: the tool's default 11 is about fifty times slower
        int quality = Codecs.level(Compression.BROTLI, level, 8, 0, 11);
        return new BrotliOutputStream(out, new Encoder.Parameters().setQuality(quality), Codecs.STREAM_BUFFER);
    }
}
