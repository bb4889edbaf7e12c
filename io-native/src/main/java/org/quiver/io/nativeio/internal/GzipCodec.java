package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.quiver.io.Compression;

/** gzip through the JDK's zlib: always there. */
final class GzipCodec implements Codec {

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new GZIPInputStream(in, Codecs.STREAM_BUFFER);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        int l = Codecs.level(Compression.GZIP, level, 6, 0, 9);
        return new GZIPOutputStream(out, Codecs.STREAM_BUFFER) {
            {
                def.setLevel(l);
            }
        };
    }
}
