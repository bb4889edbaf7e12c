package org.quiver.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Objects;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.io.IoProviders;
import org.quiver.memory.Buffer;

/**
 * A file mapped into memory: pyarrow's {@code MemoryMappedFile} ({@code memory_map}, {@code create_memory_map}).
 *
 * <p>{@link #readBuffer} and {@link #readBufferAt} are zero-copy: they return buffers over the mapping
 * itself (read-only unless the map is writable), which keep the mapping alive after this file is closed,
 * until the last of them is closed. {@link #resize} maps the file anew, so buffers over the old mapping stay
 * valid; shrinking is refused while such buffers would reach past the new end, because touching a page past
 * the end of a file is a bus error. Writes to a read-only mapping throw {@link ReadOnlyFileException} before
 * touching any memory.
 *
 * <p>Compared with {@link java.nio.channels.FileChannel#map}: unmapped deterministically (when the file and its
 * buffers are closed, not when the garbage collector gets to it), resizable, 64-bit throughout, and
 * read-ahead hints by {@code madvise}.
 *
 * {@snippet :
 * try (MemoryMappedFile map = MemoryMappedFile.create(Path.of("scratch.bin"), 1 << 20)) {
 *     map.writeAt(0, header, 0, header.length);
 *     try (Buffer view = map.readBufferAt(0, 64)) { ... }    // no copy
 * }
 * }
 *
 * <p>If another process truncates the file under a mapping, reading the lost pages raises
 * {@link InternalError} ("a fault occurred in an unsafe memory access") rather than returning data; this
 * is how the JDK reports the kernel's bus error.
 *
 * @since 1.0
 */
@ProviderType
public interface MemoryMappedFile extends ReadWriteFile {

    /**
     * Maps the whole of a file. {@link FileMode#READ} maps an existing file read-only; {@link FileMode#READ_WRITE}
     * and {@link FileMode#WRITE} map it shared and writable (writes reach the file; the file is not readable
     * through a {@code WRITE} map).
     *
     * <p>{@code WRITE} creates a missing file, empty (then {@link #resize} it to write), as pyarrow's
     * {@code memory_map(path, 'w')} and Arrow's {@code MemoryMappedFile::Open} do, and never truncates an
     * existing one. {@code READ_WRITE} needs an existing file, as {@code "r+"} does for {@link OSFile} and Python's
     * {@code open}: Arrow would create one there too, but a mistyped path to data that should be there is better
     * an error than a new empty file.
     *
     * @throws IllegalArgumentException            for {@link FileMode#APPEND}
     * @throws java.nio.file.NoSuchFileException   if the file does not exist ({@code READ}, {@code READ_WRITE}),
     *                                             or its folder does not ({@code WRITE})
     * @throws java.nio.file.AccessDeniedException if permission is denied
     * @throws java.nio.file.FileSystemException   if the file's size is unknown: a file of {@code /proc} or
     *                                             {@code /sys} that reports size 0 but has content (read it
     *                                             with {@link OSFile})
     */
    static MemoryMappedFile open(Path path, FileMode mode) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        return IoProviders.nativeIo().map(path, mode, 0, -1);
    }

    /**
     * Maps {@code length} bytes of a file from {@code offset}, which need not be page-aligned: the mapping
     * starts at the page boundary below it and this file's positions start at {@code offset}. A missing file is
     * created in {@link FileMode#WRITE}, with {@code offset + length} zero bytes (the size given; the blocks are
     * reserved), and otherwise as {@link #open(Path, FileMode)} says; an existing file is never grown by opening.
     *
     * @param length bytes to map, or -1 for the rest of the file
     * @throws java.io.EOFException if {@code offset + length} is beyond the size of an existing file
     */
    static MemoryMappedFile open(Path path, FileMode mode, long offset, long length) throws IOException {
        Objects.requireNonNull(path, "path");
        Objects.requireNonNull(mode, "mode");
        return IoProviders.nativeIo().map(path, mode, offset, length);
    }

    /**
     * Creates (or truncates) {@code path} with {@code size} zero bytes and maps it read-write (pyarrow's
     * {@code create_memory_map}).
     */
    static MemoryMappedFile create(Path path, long size) throws IOException {
        Objects.requireNonNull(path, "path");
        return IoProviders.nativeIo().createMap(path, size);
    }

    /**
     * The path of the mapped file.
     *
     * @throws IllegalStateException if closed ({@code toString()} still names the path)
     */
    String path();

    /**
     * Where this file's position 0 lies in the underlying file.
     *
     * @throws IllegalStateException if closed
     */
    long fileOffset();

    /**
     * Changes the size of the file and of the mapping. New bytes read as zero.
     *
     * @throws ReadOnlyFileException   if the map is read-only
     * @throws IllegalStateException   if shrinking while buffers over the mapping reach past the new size
     * @throws DiskFullException       if the file system cannot hold the new size
     */
    void resize(long newSize) throws IOException;

    /**
     * A zero-copy buffer over the whole mapped range, writable when the map is (the Java analog of pyarrow's
     * {@code memoryview(mmap)}). It keeps the mapping alive until closed.
     */
    Buffer buffer();

    /** Hints that the range will be read soon ({@code madvise(MADV_WILLNEED)}), so the kernel pages it in. */
    @Override
    void willNeed(long position, long length) throws IOException;
}
