package org.quiver.io;

import java.io.IOException;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A file with positions that may be read and written: Arrow's {@code ReadWriteFileInterface}. Which of the
 * two a particular file allows follows its {@link #mode()}: the other kind of call throws a
 * {@link FileModeException} ({@link ReadOnlyFileException} for writes) and changes nothing.
 *
 * @since 1.0
 */
@ProviderType
public interface ReadWriteFile extends RandomAccessInput, RandomAccessOutput {

    /** {@inheritDoc} (one position for reads and writes.) */
    @Override
    default long seek(long offset, SeekOrigin origin) throws IOException {
        return RandomAccessInput.super.seek(offset, origin);
    }
}
