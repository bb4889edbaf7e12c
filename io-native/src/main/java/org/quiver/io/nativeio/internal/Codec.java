package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * One codec library's streams. Each implementation is its own class and the only one that names its library's
 * types, so that a library left off the class path (or whose native part does not load) makes only its own
 * codec unavailable: the JVM resolves a class's references when that class is linked, and {@link Codecs} links
 * each implementation separately, catching the failure.
 */
interface Codec {

    /** A decoder reading compressed bytes from {@code in}; concatenated members and frames read as one. */
    InputStream decoder(InputStream in, String source) throws IOException;

    /**
     * An encoder writing compressed bytes to {@code out}; closing it finishes the stream and closes {@code out}.
     *
     * @param level the codec's level or {@link org.quiver.io.NativeFiles#DEFAULT_LEVEL}
     * @throws IllegalArgumentException if {@code level} is outside the codec's range
     */
    OutputStream encoder(OutputStream out, int level) throws IOException;

    /**
     * A decoder writing into native memory, or {@code null} if this codec has none and {@link #decoder} serves
     * (the default). Given both views of the same compressed input: a decoder uses one of them.
     *
     * @param in     the compressed bytes as a stream, for decoders that read arrays
     * @param nativeSource the compressed bytes read into native memory, for decoders that read segments
     * @param source what is being read, for messages
     */
    /**
     * An encoder reading native memory and writing to {@code raw}, or {@code null} if this codec has none and
     * {@link #encoder} serves (the default).
     *
     * @param level the codec's level or {@link org.quiver.io.NativeFiles#DEFAULT_LEVEL}
     * @throws IllegalArgumentException if {@code level} is outside the codec's range
     */
    default NativeEncoder nativeEncoder(org.quiver.io.SequentialOutput raw, int level) {
        return null;
    }

    default NativeDecoder nativeDecoder(InputStream in, NativeDecoder.Source nativeSource, String source)
            throws IOException {
        return null;
    }
}
