package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorInputStream;
import org.apache.commons.compress.compressors.snappy.FramedSnappyCompressorOutputStream;
import org.quiver.io.NativeFiles;

/** Snappy's framing format through Commons Compress (pure Java). */
final class SnappyCodec implements Codec {

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new FramedSnappyCompressorInputStream(in);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        if (level != NativeFiles.DEFAULT_LEVEL) {
            throw new IllegalArgumentException("snappy has no compression levels: level=" + level);
        }
        return new FramedSnappyCompressorOutputStream(out);
    }
}
