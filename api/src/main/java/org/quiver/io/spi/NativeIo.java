package org.quiver.io.spi;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.util.Set;

import org.osgi.annotation.versioning.ConsumerType;
import org.quiver.io.BufferedSequentialInput;
import org.quiver.io.BufferedSequentialOutput;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.ReadWriteFile;

/**
 * The local IO backend behind {@link OSFile}, {@link MemoryMappedFile} and
 * {@link org.quiver.io.NativeFiles}: OS files, memory maps, buffering, codecs and the Java wrappers. The
 * {@code org.quiver.io.nativeio} bundle provides it; it is published and ranked like a
 * {@link QuiverFileSystemProvider}. The API has checked every argument it can before calling.
 *
 * @since 1.0
 */
@ConsumerType
public interface NativeIo {

    /** The provider's name, for messages. */
    String name();

    /** The ranking when no service property gives one; higher wins. */
    default int ranking() {
        return 0;
    }

    /** Opens an OS file by path; a FIFO is refused (see {@link OSFile.Option#ALLOW_FIFO}). */
    OSFile openFile(Path path, FileMode mode) throws IOException;

    /**
     * Opens an OS file by path with options. A provider that knows no options refuses every one.
     *
     * @throws UnsupportedOperationException if the provider does not support one of {@code options}
     * @since 1.0
     */
    default OSFile openFile(Path path, FileMode mode, Set<OSFile.Option> options) throws IOException {
        if (!options.isEmpty()) {
            throw new UnsupportedOperationException("the IO provider " + name() + " does not support " + options);
        }
        return openFile(path, mode);
    }

    /** Takes over an open descriptor. */
    OSFile openDescriptor(int descriptor, FileMode mode) throws IOException;

    /** Maps {@code length} bytes (-1: to the end) of a file from {@code offset}. */
    MemoryMappedFile map(Path path, FileMode mode, long offset, long length) throws IOException;

    /** Creates or truncates a file of {@code size} bytes and maps it read-write. */
    MemoryMappedFile createMap(Path path, long size) throws IOException;

    /** Buffers reads. */
    BufferedSequentialInput bufferedInput(SequentialInput raw, int bufferSize);

    /** Buffers writes. */
    BufferedSequentialOutput bufferedOutput(SequentialOutput raw, int bufferSize);

    /** Decompresses {@code raw} (never {@link Compression#NONE}). */
    SequentialInput decompressing(SequentialInput raw, Compression compression) throws IOException;

    /** Compresses into {@code raw} (never {@link Compression#NONE}); level may be {@code DEFAULT_LEVEL}. */
    SequentialOutput compressing(SequentialOutput raw, Compression compression, int level) throws IOException;

    /** Why {@code compression} cannot be used, or {@code null}. */
    String codecUnavailableReason(Compression compression);

    /** A Java input stream as a file. */
    SequentialInput wrap(InputStream in);

    /** A Java output stream as a file. */
    SequentialOutput wrap(OutputStream out);

    /** A channel as a file. */
    ReadWriteFile wrap(SeekableByteChannel channel);
}
