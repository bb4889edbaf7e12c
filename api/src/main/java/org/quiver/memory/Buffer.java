package org.quiver.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.WrappedBuffer;

/**
 * A contiguous range of memory: Arrow's {@code Buffer}.
 *
 * <p>A buffer has a {@link #size()}, a {@link #capacity()} (at least the size; the rest is padding), a
 * {@link #device()} and a mutability. Buffers from a {@link MemoryPool} are native, mutable and
 * {@link ResizableBuffer resizable}; {@link #wrap(byte[])} and friends view memory the caller owns, zero-copy.
 * Multi-byte values are little endian, as in the Arrow format.
 *
 * <p><b>Lifetime.</b> A buffer is {@link AutoCloseable}. {@link #slice} makes a zero-copy view that holds a
 * reference to the memory: the memory goes back to its allocator when the buffer and every slice are closed.
 * {@link #close()} is idempotent. After close, every method but {@code close}, {@link #isClosed()},
 * {@link #size()}, {@link #capacity()} and {@link #isMutable()} throws {@link IllegalStateException}; no method
 * ever touches freed memory. A buffer is not safe for use by one thread while another closes it.
 *
 * <p><b>Compared with {@link ByteBuffer}</b>: no position or limit, 64-bit sizes, explicit release instead of
 * garbage collection, and zero-copy slices that keep the memory alive.
 *
 * {@snippet :
 * try (Buffer data = Buffer.wrap("hello, arrow".getBytes(UTF_8));
 *      Buffer word = data.slice(7, 5)) {
 *     assert word.equals(Buffer.wrap("arrow".getBytes(UTF_8)));
 *     byte[] copy = word.toByteArray();                // pyarrow's to_pybytes()
 * }
 * }
 *
 * @since 0.3
 */
@ProviderType
public interface Buffer extends AutoCloseable {

    /** Bytes of data. */
    long size();

    /** Bytes of memory behind the buffer, padding included; equal to {@link #size()} for slices and views. */
    long capacity();

    /**
     * The native address of the first byte.
     *
     * @throws UnsupportedOperationException for heap memory ({@link #wrap(byte[])}), which has no stable address
     * @throws IllegalStateException         if closed
     */
    long address();

    /** Whether the bytes may be written through this buffer. */
    boolean isMutable();

    /** Whether the memory is directly addressable by the CPU (always, today). */
    boolean isCpu();

    /** Whether {@link #close()} has been called on this buffer. */
    boolean isClosed();

    /** The buffer this one is a slice or view of, or {@code null}. */
    Buffer parent();

    /** The device holding the memory. */
    Device device();

    /** The memory manager of the device holding the memory. */
    MemoryManager memoryManager();

    // ---- slices and copies ----------------------------------------------------------------------------------

    /**
     * A read-only zero-copy view from {@code offset} to the end. Close it like any buffer.
     *
     * @throws IndexOutOfBoundsException if {@code offset} is outside {@code [0, size]}
     * @throws IllegalStateException     if closed
     */
    default Buffer slice(long offset) {
        return slice(offset, size() - offset);
    }

    /**
     * A read-only zero-copy view of {@code length} bytes at {@code offset}. Close it like any buffer; the memory
     * stays alive until it is closed.
     *
     * @throws IndexOutOfBoundsException if the range is not inside {@code [0, size)} (the message gives
     *                                   offset, length and size)
     * @throws IllegalStateException     if closed
     */
    Buffer slice(long offset, long length);

    /**
     * A writable zero-copy view of {@code length} bytes at {@code offset}.
     *
     * @throws UnsupportedOperationException if this buffer is read-only
     * @throws IndexOutOfBoundsException     if the range is not inside the buffer
     * @throws IllegalStateException         if closed
     */
    Buffer mutableSlice(long offset, long length);

    /**
     * Copies {@code length} bytes at {@code offset} into a new buffer from {@code pool}.
     *
     * @throws IndexOutOfBoundsException if the range is not inside the buffer
     * @throws IllegalStateException     if closed
     */
    ResizableBuffer copy(long offset, long length, MemoryPool pool);

    /** Copies the whole buffer into a new buffer from the default pool. */
    default ResizableBuffer copy() {
        return copy(0, size(), Backends.defaultPoolFor(
                Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /**
     * A zero-copy view of this buffer usable on {@code target}'s device, as Arrow's {@code Buffer::View}.
     *
     * @throws UnsupportedOperationException if the devices cannot share memory
     */
    Buffer view(MemoryManager target);

    /** A view on {@code target} when possible, else a copy allocated by {@code target}: {@code Buffer::ViewOrCopy}. */
    Buffer viewOrCopy(MemoryManager target);

    // ---- element access (little endian) --------------------------------------------------------------------

    /** @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size)} */
    byte getByte(long index);

    /** @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer */
    int getInt(long index);

    /** @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer */
    long getLong(long index);

    /** @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer */
    double getDouble(long index);

    /**
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code index} is outside {@code [0, size)}
     */
    void setByte(long index, byte value);

    /** @throws UnsupportedOperationException if read-only */
    void setInt(long index, int value);

    /** @throws UnsupportedOperationException if read-only */
    void setLong(long index, long value);

    /** @throws UnsupportedOperationException if read-only */
    void setDouble(long index, double value);

    /**
     * Copies {@code length} bytes at {@code index} into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if either range is out of bounds
     */
    void get(long index, byte[] dst, int dstOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if either range is out of bounds
     */
    void put(long index, byte[] src, int srcOffset, int length);

    /**
     * Copies {@code length} bytes of {@code src} at {@code srcOffset} to {@code index} (ranges may overlap).
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if either range is out of bounds
     */
    void put(long index, Buffer src, long srcOffset, long length);

    /** Sets every byte to {@code value}. @throws UnsupportedOperationException if read-only */
    void fill(byte value);

    // ---- conversions ----------------------------------------------------------------------------------------

    /**
     * A copy of the bytes: pyarrow's {@code to_pybytes()}.
     *
     * @throws IllegalStateException if the buffer is larger than a Java array can hold (2^31 - 9 bytes)
     */
    byte[] toByteArray();

    /** The bytes as lower-case hex, two digits per byte: pyarrow's {@code hex()}. */
    String toHex();

    /**
     * A canonical hex dump (offset, 16 bytes in hex, ASCII) of at most {@code maxBytes} bytes.
     *
     * @throws IllegalArgumentException if {@code maxBytes} is negative
     */
    String hexDump(long maxBytes);

    /**
     * A zero-copy {@link ByteBuffer} over the data, little endian, read-only if this buffer is. The view is
     * valid while this buffer is open; use {@link #asSegment(Arena)} for a checked lifetime.
     *
     * @throws UnsupportedOperationException if the buffer is larger than 2^31 - 1 bytes
     */
    ByteBuffer asByteBuffer();

    /**
     * A zero-copy segment over the data, read-only if this buffer is. <b>Unchecked</b>: the segment stays
     * accessible after the buffer is closed, so the caller must not use it then.
     */
    MemorySegment asSegment();

    /**
     * A zero-copy segment over the data whose lifetime is {@code arena}'s: the buffer's memory is retained until
     * the arena closes, and the segment is inaccessible after that. Safe where {@link #asSegment()} is not.
     */
    MemorySegment asSegment(Arena arena);

    /** Whether {@code other} is a buffer with the same bytes (sizes and contents; capacity is ignored). */
    @Override
    boolean equals(Object other);

    /** A hash of the bytes, consistent with {@link #equals}. */
    @Override
    int hashCode();

    /**
     * Releases this buffer's reference to the memory. The memory goes back to its allocator when the buffer
     * and all its slices are closed. Idempotent.
     */
    @Override
    void close();

    // ---- wrapping memory the caller owns --------------------------------------------------------------------

    /** A mutable zero-copy buffer over {@code bytes} (pyarrow's {@code py_buffer}). */
    static Buffer wrap(byte[] bytes) {
        return WrappedBuffer.ofArray(java.util.Objects.requireNonNull(bytes, "bytes"), 0, bytes.length);
    }

    /**
     * A mutable zero-copy buffer over {@code bytes[offset..offset+length)}.
     *
     * @throws IndexOutOfBoundsException if the range is outside the array
     */
    static Buffer wrap(byte[] bytes, int offset, int length) {
        return WrappedBuffer.ofArray(bytes, offset, length);
    }

    /**
     * A zero-copy buffer over {@code byteBuffer}'s remaining bytes, read-only if it is.
     * Heap and direct byte buffers both work.
     */
    static Buffer wrap(ByteBuffer byteBuffer) {
        return WrappedBuffer.ofByteBuffer(byteBuffer);
    }

    /**
     * A zero-copy buffer over {@code segment} (pyarrow's {@code foreign_buffer}), read-only if it is. The caller
     * keeps the segment's scope alive while the buffer is used.
     */
    static Buffer wrap(MemorySegment segment) {
        return WrappedBuffer.ofSegment(segment);
    }

    /**
     * A zero-copy buffer over {@code segment} that runs {@code release} once, when the buffer and all its
     * slices are closed (pyarrow's {@code foreign_buffer(address, size, base)}, with the base's lifetime made
     * explicit). Read-only if the segment is. This is how a provider hands out memory it owns, such as a file
     * mapping, and learns when the last user is done with it.
     *
     * @since 0.3
     */
    static Buffer wrap(MemorySegment segment, Runnable release) {
        return WrappedBuffer.ofSegment(segment, release);
    }

    /** Allocates a buffer from the default pool: pyarrow's {@code allocate_buffer(size)}. */
    static ResizableBuffer allocate(long size) {
        return Backends.defaultPoolFor(
                Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null).allocate(size);
    }
}
