package org.quiver.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.WrappedBuffer;

/**
 * A contiguous range of memory: Arrow's {@code Buffer}.
 *
 * <p>A buffer has a {@link #size()}, a {@link #capacity()} (at least the size; the rest is padding), a
 * {@link #device()} and a mutability. Buffers from a {@link MemoryPool} are native, mutable and
 * {@link ResizableBuffer resizable}; {@link #wrap(byte[])} and friends view memory the caller owns, zero-copy.
 *
 * <p><b>Values.</b> {@code getX} and {@code setX} read and write one value of every primitive type at a byte
 * index, which needs no alignment; {@link #getUnsignedByte}, {@link #getUnsignedShort} and {@link #getUnsignedInt}
 * read Arrow's unsigned integers widened to the next Java type. Bulk {@code get} and {@code put} copy between the
 * buffer and arrays of every primitive type, {@link ByteBuffer}s, {@link MemorySegment}s and other buffers.
 * Multi-byte values are little endian, as in the Arrow format, unless the call names a {@link ByteOrder}: every
 * multi-byte accessor has an overload that takes one. The order is an argument of the access, as a layout's
 * order is in {@link MemorySegment#get(java.lang.foreign.ValueLayout.OfInt, long)}, not a mode of the buffer as in
 * {@link ByteBuffer#order(ByteOrder)}: a buffer reads the same to every component it is handed to, a slice or
 * view has no order to forget, and the little-endian accessors test nothing per call. Every accessor checks its
 * range first and then copies, so a refused call changes nothing; the {@link IndexOutOfBoundsException} names
 * each operand ({@code index=.. width=.. size=..} for one value, {@code index=.. length=.. width=.. size=..} for
 * an array's elements, {@code offset=.. length=.. size=..} for a range of bytes). A {@code null} argument throws
 * {@link NullPointerException} naming it.
 *
 * <p><b>Lifetime.</b> A buffer is {@link AutoCloseable}. {@link #slice} makes a zero-copy view that holds a
 * reference to the memory: the memory goes back to its allocator when the buffer and every slice are closed.
 * {@link #close()} is idempotent. After close, every method but {@code close}, {@link #isClosed()},
 * {@link #size()}, {@link #capacity()} and {@link #isMutable()} throws {@link IllegalStateException}; no method
 * ever touches freed memory. A buffer is not safe for use by one thread while another closes it.
 *
 * <p><b>Implementations.</b> Quiver's pools and {@code wrap} methods make every buffer; the interface is open (a
 * sealed one cannot span packages in an OSGi bundle or on the class path) but not meant to be implemented. A
 * buffer of your own still works wherever a {@code Buffer} is an argument ({@code put}, {@code equals}, files and
 * streams), through the memory its {@link #asSegment()} returns; {@link MemoryPool#reallocate} refuses it, as it
 * refuses any buffer that is not a pool's, with {@link IllegalArgumentException}.
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
 * @since 1.0
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

    // ---- single values --------------------------------------------------------------------------------------
    // Little endian unless an order is given; no index needs to be aligned.

    /**
     * The byte at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size)}
     * @throws IllegalStateException     if closed
     */
    byte getByte(long index);

    /**
     * The byte at {@code index} read as unsigned, from 0 to 255: Arrow's {@code uint8}.
     *
     * @throws IndexOutOfBoundsException if {@code index} is outside {@code [0, size)}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    int getUnsignedByte(long index);

    /**
     * The little-endian short at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    short getShort(long index);

    /**
     * The short at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    short getShort(long index, ByteOrder order);

    /**
     * The little-endian short at {@code index} read as unsigned, from 0 to 65535: Arrow's {@code uint16}. Write
     * one with {@link #setShort(long, short) setShort(index, (short) value)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    int getUnsignedShort(long index);

    /**
     * The short at {@code index}, in {@code order}, read as unsigned, from 0 to 65535.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    int getUnsignedShort(long index, ByteOrder order);

    /**
     * The little-endian char (a UTF-16 code unit) at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    char getChar(long index);

    /**
     * The char at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    char getChar(long index, ByteOrder order);

    /**
     * The little-endian int at {@code index}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     */
    int getInt(long index);

    /**
     * The int at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    int getInt(long index, ByteOrder order);

    /**
     * The little-endian int at {@code index} read as unsigned, from 0 to 2^32 - 1: Arrow's {@code uint32}. Write
     * one with {@link #setInt(long, int) setInt(index, (int) value)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    long getUnsignedInt(long index);

    /**
     * The int at {@code index}, in {@code order}, read as unsigned, from 0 to 2^32 - 1.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    long getUnsignedInt(long index, ByteOrder order);

    /**
     * The little-endian long at {@code index}. An Arrow {@code uint64} is read with this too: Java has no wider
     * primitive, and {@link Long#toUnsignedString(long)}, {@link Long#compareUnsigned} and
     * {@link Long#divideUnsigned} treat it as unsigned.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException     if closed
     */
    long getLong(long index);

    /**
     * The long at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    long getLong(long index, ByteOrder order);

    /**
     * The little-endian float at {@code index}; a NaN keeps its bits.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    float getFloat(long index);

    /**
     * The float at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    float getFloat(long index, ByteOrder order);

    /**
     * The little-endian double at {@code index}; a NaN keeps its bits.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException     if closed
     */
    double getDouble(long index);

    /**
     * The double at {@code index}, in {@code order}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    double getDouble(long index, ByteOrder order);

    /**
     * Writes {@code value} at {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code index} is outside {@code [0, size)}
     * @throws IllegalStateException         if closed
     */
    void setByte(long index, byte value);

    /**
     * Writes {@code value} little endian at {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setShort(long index, short value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setShort(long index, short value, ByteOrder order);

    /**
     * Writes {@code value} little endian at {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setChar(long index, char value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setChar(long index, char value, ByteOrder order);

    /**
     * Writes {@code value} little endian at {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException         if closed
     */
    void setInt(long index, int value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setInt(long index, int value, ByteOrder order);

    /**
     * Writes {@code value} little endian at {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException         if closed
     */
    void setLong(long index, long value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setLong(long index, long value, ByteOrder order);

    /**
     * Writes {@code value} little endian at {@code index}; a NaN keeps its bits.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setFloat(long index, float value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setFloat(long index, float value, ByteOrder order);

    /**
     * Writes {@code value} little endian at {@code index}; a NaN keeps its bits.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException         if closed
     */
    void setDouble(long index, double value);

    /**
     * Writes {@code value} at {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8)} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void setDouble(long index, double value, ByteOrder order);

    // ---- bulk copies ----------------------------------------------------------------------------------------
    // Array lengths and offsets count elements; the buffer's index counts bytes. Every range is checked before
    // anything is copied, so a refused copy changes neither side.

    /**
     * Copies {@code length} bytes at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException     if closed
     */
    void get(long index, byte[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} little-endian shorts at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, short[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} shorts at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, short[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code length} little-endian chars at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, char[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} chars at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 2 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, char[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code length} little-endian ints at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, int[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} ints at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, int[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code length} little-endian longs at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, long[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} longs at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, long[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code length} little-endian floats at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, float[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} floats at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 4 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, float[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code length} little-endian doubles at {@code index} into {@code dst[dstOffset..dstOffset+length)}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, double[] dst, int dstOffset, int length);

    /**
     * Copies {@code length} doubles at {@code index}, in {@code order}, into {@code dst[dstOffset..]}.
     *
     * @throws IndexOutOfBoundsException if {@code [index, index + 8 * length)} is outside the buffer or the range
     *                                   is outside {@code dst}
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, double[] dst, int dstOffset, int length, ByteOrder order);

    /**
     * Copies {@code dst.remaining()} bytes at {@code index} into {@code dst} at its position, and advances the
     * position past them, as {@link java.nio.channels.FileChannel#read(ByteBuffer, long)} does.
     *
     * @throws IllegalArgumentException  if {@code dst} is read-only
     * @throws IndexOutOfBoundsException if {@code [index, index + dst.remaining())} is outside the buffer
     * @throws IllegalStateException     if closed
     * @since 1.0
     */
    void get(long index, ByteBuffer dst);

    /**
     * Copies {@code length} bytes at {@code index} into {@code dst} at {@code dstOffset} (the ranges may
     * overlap).
     *
     * @throws IllegalArgumentException  if {@code dst} is read-only
     * @throws IndexOutOfBoundsException if either range is out of bounds
     * @throws IllegalStateException     if closed, or if {@code dst}'s arena is closed
     * @throws WrongThreadException      if {@code dst} is confined to another thread
     * @since 1.0
     */
    void get(long index, MemorySegment dst, long dstOffset, long length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if either range is out of bounds
     * @throws IllegalStateException         if closed
     */
    void put(long index, byte[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, short[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, short[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, char[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 2 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, char[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, int[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, int[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, long[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, long[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, float[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 4 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, float[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, little endian.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, double[] src, int srcOffset, int length);

    /**
     * Copies {@code src[srcOffset..srcOffset+length)} to {@code index}, in {@code order}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + 8 * length)} is outside the buffer or the
     *                                       range is outside {@code src}
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, double[] src, int srcOffset, int length, ByteOrder order);

    /**
     * Copies {@code src.remaining()} bytes of {@code src} from its position to {@code index}, and advances its
     * position past them, as {@link java.nio.channels.FileChannel#write(ByteBuffer, long)} does.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if {@code [index, index + src.remaining())} is outside the buffer
     * @throws IllegalStateException         if closed
     * @since 1.0
     */
    void put(long index, ByteBuffer src);

    /**
     * Copies {@code length} bytes of {@code src} at {@code srcOffset} to {@code index} (the ranges may overlap).
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if either range is out of bounds
     * @throws IllegalStateException         if closed, or if {@code src}'s arena is closed
     * @throws WrongThreadException          if {@code src} is confined to another thread
     * @since 1.0
     */
    void put(long index, MemorySegment src, long srcOffset, long length);

    /**
     * Copies {@code length} bytes of {@code src} at {@code srcOffset} to {@code index} (ranges may overlap).
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IndexOutOfBoundsException     if either range is out of bounds
     * @throws IllegalStateException         if either buffer is closed
     */
    void put(long index, Buffer src, long srcOffset, long length);

    /**
     * Sets every byte to {@code value}.
     *
     * @throws UnsupportedOperationException if read-only
     * @throws IllegalStateException         if closed
     */
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

    /**
     * A hash of the bytes, consistent with {@link #equals}, computed the same way by every buffer so that buffers
     * of any implementation with the same bytes hash alike: starting from 1, {@code h = 31 * h + Long.hashCode(v)}
     * for each little-endian long {@code v} of the bytes, then {@code h = 31 * h + b} for each remaining byte.
     */
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
     * @since 1.0
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
