package org.quiver.io;

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
}
