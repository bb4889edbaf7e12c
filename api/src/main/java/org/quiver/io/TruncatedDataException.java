package org.quiver.io;

/**
 * Compressed data that ends in the middle of a frame, block or member: the file was cut short. A
 * {@link CorruptDataException}, so one catch handles both.
 *
 * @since 1.0
 */
public class TruncatedDataException extends CorruptDataException {

    private static final long serialVersionUID = 1L;

    /**
     * @param compression      the codec
     * @param source           what was being read
     * @param compressedOffset bytes of compressed input read before it ended
     * @param cause            the decoder's own exception, or {@code null}
     */
    public TruncatedDataException(Compression compression, String source, long compressedOffset, Throwable cause) {
        super(compression.pyarrowName() + " data in " + source + " is truncated: the input ends after "
                + compressedOffset + " compressed bytes, in the middle of a frame", compression, compressedOffset,
                cause);
    }
}
