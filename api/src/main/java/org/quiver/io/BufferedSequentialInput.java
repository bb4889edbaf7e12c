package org.quiver.io;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * Reads another file through a buffer, so that many small reads cost few calls on the raw file: Arrow's
 * {@code BufferedInputStream}. Opened with {@link NativeFiles#bufferedInput(SequentialInput, int)}; closing it closes the
 * raw file unless it was {@linkplain #detach() detached}.
 *
 * @since 1.0
 */
@ProviderType
public interface BufferedSequentialInput extends SequentialInput {

    /** The buffer's size in bytes. */
    int bufferSize();

    /**
     * Changes the buffer size; bytes already buffered are kept.
     *
     * @throws IllegalArgumentException if {@code size} is smaller than 1 or than the bytes buffered now
     */
    void setBufferSize(int size);

    /** Bytes read from the raw file and not yet consumed. */
    int bytesBuffered();

    /**
     * Returns up to {@code length} next bytes without consuming them (fewer at the end of the file).
     *
     * @throws IllegalArgumentException if {@code length} is negative or larger than the buffer
     */
    byte[] peek(int length) throws IOException;

    /**
     * Closes this file without closing the raw one and returns the raw file. Bytes still buffered are lost to
     * it: the raw file's position is after them.
     */
    SequentialInput detach();
}
