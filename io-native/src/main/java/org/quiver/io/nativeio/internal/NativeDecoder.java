package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * A decoder that writes decoded bytes straight into native memory (a pool buffer the caller reads into), so that
 * no Java array sits between the codec library and the buffer. A codec that has one ({@link Codec#nativeDecoder})
 * serves every read of a compressed file through it, the array reads included.
 */
interface NativeDecoder {

    /**
     * Decodes into {@code dst}, at most its size.
     *
     * @param dst a native segment the caller keeps alive for the call
     * @return the bytes written (never 0 for a non-empty {@code dst}), or -1 at the end of the compressed input
     */
    long decode(MemorySegment dst) throws IOException;

    /** Frees what the decoder holds outside the Java heap; a decoder is not used after this. */
    void close() throws IOException;

    /** Where a native decoder takes its compressed bytes from: the raw file, read into native memory. */
    @FunctionalInterface
    interface Source {
        /** Reads compressed bytes into {@code into} from its start; the count (more than 0), or -1 at the end. */
        long fill(MemorySegment into) throws IOException;
    }
}
