package org.quiver.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.Objects;
import java.util.Set;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.IoProviders;

/**
 * A file of the operating system, read and written through its descriptor: pyarrow's {@code OSFile}.
 *
 * <p>Reads and writes go straight to the kernel ({@code pread}/{@code pwrite}), with no buffer in between:
 * wrap the file with {@link NativeFiles#bufferedInput(SequentialInput, int)} for many small reads.
 * {@link #readBuffer(long, org.quiver.memory.MemoryPool)} reads into a buffer allocated from the pool the
 * caller passes, with no extra copy. The positional reads and writes ({@code readAt}, {@code writeAt}) neither
 * use nor move the position and are safe from many threads at once; closing waits for none of them but never
 * lets one touch a closed or reused descriptor.
 *
 * <p>Compared with {@link java.nio.channels.FileChannel}: pool buffers instead of {@code ByteBuffer}s, opening by
 * descriptor, read-ahead hints, and exceptions that name the path and the operation.
 *
 * {@snippet :
 * try (OSFile file = OSFile.open(Path.of("data.bin"), FileMode.READ);
 *      Buffer header = file.readBufferAt(0, 4096)) {
 *     ...
 * }
 * }
 *
 * <p>Files of unknown size: the kernel's pseudo files ({@code /proc}, {@code /sys}) and character devices
 * report a size of 0 (or a page) whatever they hold. Reads never stop at the reported size: they go on to the
 * end of the file, so {@code readBuffer(n)} and {@code readBufferAt(0, n)} return what is there.
 * {@link #size()} returns what the file system reports. Memory maps refuse such files.
 *
 * <p>Past the end: {@link #seek} accepts any position, also past the end of the file, and a read there finds
 * the end ({@code -1}, or an empty buffer), as POSIX and pyarrow's {@code OSFile} do; positional reads past the
 * end likewise return nothing ({@code pread(2)}, pyarrow's {@code read_at}). A write there, where the mode
 * allows, grows the file with a hole. Memory maps and in-memory files refuse positions past their end with an
 * {@link java.io.EOFException}, as pyarrow's memory maps and buffer readers do.
 *
 * <p>Modes: {@link FileMode#READ} opens an existing file; {@link FileMode#WRITE} creates or truncates;
 * {@link FileMode#APPEND} creates or appends (every write goes to the end, and the file is not seekable);
 * {@link FileMode#READ_WRITE} opens an existing file for both.
 *
 * <p>Special files: character and block devices open as files ({@code /dev/null} reads as empty,
 * {@code /dev/zero} as endless zeros, {@code /dev/full} refuses writes with {@link DiskFullException}). A FIFO
 * (named pipe) is refused with a {@link NotRegularFileException} unless the caller asks for it with
 * {@link Option#ALLOW_FIFO}, because opening one the usual way waits for a process at its other end, without
 * bound and beyond the reach of {@link Thread#interrupt()}; sockets are refused.
 *
 * @since 1.0
 */
@ProviderType
public interface OSFile extends ReadWriteFile {

    /**
     * How {@link OSFile#open(Path, FileMode, Option...)} treats special files.
     *
     * @since 1.0
     */
    enum Option {
        /**
         * Opens a FIFO (named pipe) too, as a stream that is not {@linkplain OSFile#isSeekable() seekable}.
         * Opening never waits: for reading, the first read waits until a writer has written or has come and gone
         * (then the stream is empty); for writing, the open fails at once, naming the reason, when no process has
         * the FIFO open for reading. Reads and writes that wait for the other end wake every 100 ms, so a waiting
         * call ends with {@link java.io.InterruptedIOException} when its thread is interrupted, and with
         * {@link IllegalStateException} ({@code "closed"}) when another thread closes the file. Other files open
         * as without the option.
         */
        ALLOW_FIFO
    }

    /**
     * Opens {@code path}.
     *
     * @throws java.nio.file.NoSuchFileException   if it does not exist (read modes) or its folder does not
     * @throws java.nio.file.AccessDeniedException if permission is denied
     * @throws IsDirectoryException                if it is a directory
     * @throws NotRegularFileException             if it is a FIFO (see {@link Option#ALLOW_FIFO}) or a socket
     * @throws IllegalStateException               if no IO provider is installed ({@code org.quiver.io.nativeio})
     */
    static OSFile open(Path path, FileMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        return IoProviders.nativeIo().openFile(path, mode);
    }

    /**
     * Opens {@code path} with options: {@code OSFile.open(fifo, FileMode.READ, OSFile.Option.ALLOW_FIFO)} reads a
     * named pipe as a stream.
     *
     * @throws java.nio.file.NoSuchFileException   if it does not exist (read modes) or its folder does not
     * @throws java.nio.file.AccessDeniedException if permission is denied
     * @throws IsDirectoryException                if it is a directory
     * @throws NotRegularFileException             if it is a FIFO and {@link Option#ALLOW_FIFO} is not given,
     *                                             or a socket
     * @throws java.nio.file.FileSystemException   if it is a FIFO opened for writing that no process has open for
     *                                             reading
     * @since 1.0
     */
    static OSFile open(Path path, FileMode mode, Option... options) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        Set<Option> set = EnumSet.noneOf(Option.class);
        for (Option option : Objects.requireNonNull(options, "options")) {
            set.add(Objects.requireNonNull(option, "option"));
        }
        return IoProviders.nativeIo().openFile(path, mode, set);
    }

    /**
     * A file over an open descriptor (a file, a pipe, a socket...), which the returned file owns and closes.
     * A descriptor that cannot seek gives a file that is not {@linkplain #isSeekable() seekable}: its
     * positional reads throw {@link UnsupportedOperationException}.
     *
     * @param descriptor an open file descriptor
     * @param mode       how it was opened ({@link FileMode#READ}, {@link FileMode#WRITE} ...)
     * @throws java.nio.file.FileSystemException if the descriptor is not open
     */
    static OSFile ofDescriptor(int descriptor, FileMode mode) throws IOException {
        Objects.requireNonNull(mode, "mode");
        return IoProviders.nativeIo().openDescriptor(descriptor, mode);
    }

    /**
     * The path the file was opened with, or a description such as {@code fd:5} for a descriptor.
     *
     * @throws IllegalStateException if closed ({@code toString()} still names the path)
     */
    String path();

    /**
     * The descriptor.
     *
     * @throws IllegalStateException if closed
     */
    int descriptor();

    /**
     * Hints that {@code [position, position + length)} will be read soon ({@code posix_fadvise(WILLNEED)}),
     * so the kernel reads it ahead. Does nothing where the descriptor cannot take the hint (a pipe).
     */
    @Override
    void willNeed(long position, long length) throws IOException;
}
