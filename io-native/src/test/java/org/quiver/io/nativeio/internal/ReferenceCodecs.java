package org.quiver.io.nativeio.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;
import org.quiver.io.NativeFiles;

/** Compresses and decompresses with the codec libraries directly, as the reference for the streams. */
final class ReferenceCodecs {

    private ReferenceCodecs() {
    }

    static byte[] compress(Compression compression, byte[] data) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoder = Codecs.encoder(compression, out, NativeFiles.DEFAULT_LEVEL)) {
            encoder.write(data);
        }
        return out.toByteArray();
    }

    static byte[] decompress(Compression compression, byte[] data) throws IOException {
        try (InputStream decoder = Codecs.decoder(compression, new ByteArrayInputStream(data), "test data")) {
            return decoder.readAllBytes();
        }
    }
}
