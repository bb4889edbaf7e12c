package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;

/**
 * An encoder that reads what it compresses straight from native memory (a pool buffer the caller writes), so that
 * no Java array sits between the buffer and the codec library, and writes the compressed bytes to the raw file. A
 * codec that has one ({@link Codec#nativeEncoder}) serves every write of a compressed file through it.
 */
interface NativeEncoder {

    /** Compresses {@code src}, a native segment the caller keeps alive for the call. */
    void write(MemorySegment src) throws IOException;

    /** Compresses {@code src[offset..offset+length)}. */
    void write(byte[] src, int offset, int length) throws IOException;

    /** Writes out what the encoder holds (ending a block where the format has them); not the raw file's flush. */
    void flush() throws IOException;

    /** Ends the stream: what is held, the end mark and the checksum. Nothing is written after this. */
    void finish() throws IOException;

    /** Frees what the encoder holds outside the Java heap; also after a failure, without writing. */
    void close();
}
