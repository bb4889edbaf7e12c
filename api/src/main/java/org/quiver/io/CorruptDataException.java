package org.quiver.io;

import java.io.IOException;

/**
 * Compressed data that cannot be decoded: a bad header, a checksum mismatch, an invalid block. The message
 * names the codec, the source and the offset in the compressed input where decoding stopped.
 *
 * @since 1.0
 */
public class CorruptDataException extends IOException {

    private static final long serialVersionUID = 1L;

    private final Compression compression;
    private final long compressedOffset;

    /**
     * @param compression      the codec
     * @param source           what was being read (a path, a URI, or a description)
     * @param compressedOffset bytes of compressed input consumed when the error was found, or -1 if unknown
     * @param detail           what the decoder said
     * @param cause            the decoder's own exception, or {@code null}
     */
    public CorruptDataException(Compression compression, String source, long compressedOffset, String detail,
            Throwable cause) {
        super(compression.pyarrowName() + " data in " + source + " is corrupt near compressed offset "
                + compressedOffset + ": " + detail, cause);
        this.compression = compression;
        this.compressedOffset = compressedOffset;
    }

    CorruptDataException(String message, Compression compression, long compressedOffset, Throwable cause) {
        super(message, cause);
        this.compression = compression;
        this.compressedOffset = compressedOffset;
    }

    /** The codec that failed. */
    public Compression compression() {
        return compression;
    }

    /** Bytes of compressed input consumed when the error was found, or -1 if unknown. */
    public long compressedOffset() {
        return compressedOffset;
    }
}
