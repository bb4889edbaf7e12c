package org.quiver.io;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Writes to another file through a buffer: Arrow's {@code BufferedOutputStream}. Opened with
 * {@link NativeFiles#bufferedOutput(SequentialOutput, int)}; closing it flushes and closes the raw file unless it was
 * {@linkplain #detach() detached}.
 *
 * @since 1.0
 */
@ProviderType
public interface BufferedSequentialOutput extends SequentialOutput {

    /** The buffer's size in bytes. */
    int bufferSize();

    /**
     * Flushes, then changes the buffer size.
     *
     * @throws IllegalArgumentException if {@code size} is smaller than 1
     */
    void setBufferSize(int size) throws IOException;

    /** Bytes written to this file and not yet to the raw file. */
    int bytesBuffered();

    /** Flushes, closes this file without closing the raw one, and returns the raw file. */
    SequentialOutput detach() throws IOException;
}
