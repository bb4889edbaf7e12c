package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.commons.compress.compressors.bzip2.BZip2CompressorInputStream;
import org.apache.commons.compress.compressors.bzip2.BZip2CompressorOutputStream;
import org.quiver.io.Compression;

/** bzip2 through Commons Compress (pure Java). */
final class Bzip2Codec implements Codec {

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new BZip2CompressorInputStream(in, true);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        return new BZip2CompressorOutputStream(out, Codecs.level(Compression.BZ2, level));
    }
}
