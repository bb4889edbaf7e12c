package org.quiver.internal.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.HexFormat;
import java.util.Objects;

import org.quiver.memory.Buffer;
import org.quiver.memory.Device;
import org.quiver.memory.MemoryManager;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.internal.kit.Checks;

/**
 * What every buffer shares: a segment exactly {@code size} bytes long, a mutability, and a closed flag that
 * every access checks first, so that a closed buffer never touches memory.
 *
 * <p>Memory lives in a root (a pool buffer or a wrapped buffer) that counts references: the root's own handle
 * and one per open slice or retained view. The last release frees it.
 */
public abstract sealed class AbstractBuffer implements Buffer permits PoolBuffer, SliceBuffer, WrappedBuffer {

    // One constant per type and order, fixed at class initialisation: an access through a constant layout compiles
    // to a plain load or store (with a byte swap for the foreign order), and the little-endian accessors use theirs
    // directly, so the overloads taking an order add nothing to the default path.
    static final ValueLayout.OfShort SHORT = ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfChar CHAR = ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfFloat FLOAT = ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfShort SHORT_BE = SHORT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfChar CHAR_BE = CHAR.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfInt INT_BE = INT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfLong LONG_BE = LONG.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfFloat FLOAT_BE = FLOAT.withOrder(ByteOrder.BIG_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE_BE = DOUBLE.withOrder(ByteOrder.BIG_ENDIAN);

    private static final VarHandle CLOSED;
    private static final VarHandle REFS;

    static {
        try {
            MethodHandles.Lookup l = MethodHandles.lookup();
            CLOSED = l.findVarHandle(AbstractBuffer.class, "closed", int.class);
            REFS = l.findVarHandle(AbstractBuffer.class, "refs", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    /** The data: exactly {@link #size()} bytes. Reassigned only by a resize. */
    MemorySegment segment;
    final boolean mutable;
    /** 1 once this handle is closed. Read plainly on the access path, set by CAS in close. */
    private int closed;
    /** In {@link #refs}: the root's own handle is closed (its reference already dropped). */
    private static final int ROOT_CLOSED = 1 << 30;

    /**
     * References to the memory when this buffer is a root (its own handle plus slices and views), with the
     * {@link #ROOT_CLOSED} bit.
     */
    @SuppressWarnings("unused")
    private int refs;

    AbstractBuffer(MemorySegment segment, boolean mutable) {
        this.segment = segment;
        this.mutable = mutable;
        this.refs = 1;
    }

    // ---- lifetime -------------------------------------------------------------------------------------------

    /** The buffer whose memory this one shares (itself for roots). */
    abstract AbstractBuffer root();

    /** Called once, when the last reference to a root's memory is released. */
    abstract void free();

    /**
     * Whether the root's memory is freed only after every thread has stopped using it (see
     * {@link org.quiver.memory.CloseSafety#isGuarded}); roots answer, slices ask theirs.
     */
    boolean guardedMemory() {
        return root().guardedMemory();
    }

    final void retain() {
        REFS.getAndAdd(this, 1);
    }

    final void release() {
        if (((int) REFS.getAndAdd(this, -1) & ~ROOT_CLOSED) == 1) {
            free();
        }
    }

    /** References to this root's memory (its own handle counts one while open). */
    final int references() {
        return (int) REFS.getVolatile(this) & ~ROOT_CLOSED;
    }

    @Override
    public final void close() {
        AbstractBuffer root = root();
        if (root != this) {
            if (CLOSED.compareAndSet(this, 0, 1)) {
                root.release();
            }
            return;
        }
        // A root drops its own reference and marks itself closed in one atomic step: the allocate-and-close
        // path pays for one atomic here, not two.
        int s;
        do {
            s = (int) REFS.getVolatile(this);
            if ((s & ROOT_CLOSED) != 0) {
                return;
            }
        } while (!REFS.weakCompareAndSet(this, s, (s - 1) | ROOT_CLOSED));
        CLOSED.setRelease(this, 1);
        if ((s & ~ROOT_CLOSED) == 1) {
            free();
        }
    }

    @Override
    public final boolean isClosed() {
        return closed != 0;
    }

    /**
     * The segment, after checking this handle is open. Every access goes through here. The flag is read plainly:
     * a compiled loop may hoist the check, which keeps a loop of {@code getLong} as fast as a bare segment's (an
     * opaque read made it 4.6 times slower: 569 against 123 ns for 512 reads, JMH, 2-core AMD EPYC). A loop in
     * another thread may then miss a close; for a guarded block the arena's close stops it (see {@link
     * org.quiver.memory.CloseSafety}), for an unguarded one that race is the caller's bug.
     */
    final MemorySegment live() {
        if (closed != 0) {
            throw closedException();
        }
        return segment;
    }

    final IllegalStateException closedException() {
        return new IllegalStateException("buffer is closed (size=" + size() + ")");
    }

    final MemorySegment writable(String operation, long index) {
        MemorySegment s = live();
        if (!mutable) {
            throw new UnsupportedOperationException(
                    "read-only buffer: cannot " + operation + " at index=" + index + " (size=" + size() + ")");
        }
        return s;
    }

    // ---- properties -----------------------------------------------------------------------------------------

    @Override
    public long size() {
        return segment.byteSize();
    }

    @Override
    public long capacity() {
        return segment.byteSize();
    }

    @Override
    public long address() {
        MemorySegment s = live();
        if (!s.isNative()) {
            throw new UnsupportedOperationException("heap buffer has no stable native address (size=" + size() + ")");
        }
        return s.address();
    }

    @Override
    public boolean isMutable() {
        return mutable;
    }

    @Override
    public boolean isCpu() {
        return true;
    }

    @Override
    public Buffer parent() {
        return null;
    }

    @Override
    public Device device() {
        return CpuDevice.INSTANCE;
    }

    @Override
    public MemoryManager memoryManager() {
        return CpuDevice.INSTANCE.defaultMemoryManager();
    }

    // ---- slices and copies ----------------------------------------------------------------------------------

    @Override
    public Buffer slice(long offset, long length) {
        MemorySegment s = live();
        Checks.checkRange(offset, length, s.byteSize());
        return new SliceBuffer(this, offset, length, false);
    }

    @Override
    public Buffer mutableSlice(long offset, long length) {
        MemorySegment s = writable("mutableSlice", offset);
        Checks.checkRange(offset, length, s.byteSize());
        return new SliceBuffer(this, offset, length, true);
    }

    @Override
    public ResizableBuffer copy(long offset, long length, MemoryPool pool) {
        Objects.requireNonNull(pool, "pool");
        MemorySegment s = live();
        Checks.checkRange(offset, length, s.byteSize());
        ResizableBuffer copy = pool.allocate(length);
        try {
            // any pool's buffer, a pool of the caller's own included: through its own put, never a cast
            copy.put(0, this, offset, length);
            return copy;
        } catch (RuntimeException | Error e) {
            copy.close();
            throw e;
        }
    }

    @Override
    public Buffer view(MemoryManager target) {
        Objects.requireNonNull(target, "target");
        live();
        if (!target.isCpu()) {
            throw new UnsupportedOperationException("cannot view CPU memory on device " + target.device().typeName());
        }
        return new SliceBuffer(this, 0, size(), mutable);
    }

    @Override
    public Buffer viewOrCopy(MemoryManager target) {
        Objects.requireNonNull(target, "target");
        if (target.isCpu()) {
            return view(target);
        }
        ResizableBuffer copy = target.allocate(size());
        copy.put(0, this, 0, size());
        return copy;
    }

    // ---- single values --------------------------------------------------------------------------------------

    /**
     * Whether {@code order} is little endian. Only the overloads that take an order ask; each then accesses through
     * one of two constant layouts (a layout held in a variable would reach the segment's var handle as a
     * non-constant and not be inlined).
     */
    private static boolean littleEndian(ByteOrder order) {
        if (order == ByteOrder.LITTLE_ENDIAN) {
            return true;
        }
        Objects.requireNonNull(order, "order");
        return false;
    }

    /** The layout for {@code order}, for the bulk copies, which take a layout as a value anyway. */
    private static <L extends ValueLayout> L ordered(ByteOrder order, L little, L big) {
        return littleEndian(order) ? little : big;
    }

    @Override
    public byte getByte(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 1, s.byteSize());
        return s.get(ValueLayout.JAVA_BYTE, index);
    }

    @Override
    public int getUnsignedByte(long index) {
        return Byte.toUnsignedInt(getByte(index));
    }

    @Override
    public short getShort(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 2, s.byteSize());
        return s.get(SHORT, index);
    }

    @Override
    public short getShort(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 2, s.byteSize());
        return little ? s.get(SHORT, index) : s.get(SHORT_BE, index);
    }

    @Override
    public int getUnsignedShort(long index) {
        return Short.toUnsignedInt(getShort(index));
    }

    @Override
    public int getUnsignedShort(long index, ByteOrder order) {
        return Short.toUnsignedInt(getShort(index, order));
    }

    @Override
    public char getChar(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 2, s.byteSize());
        return s.get(CHAR, index);
    }

    @Override
    public char getChar(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 2, s.byteSize());
        return little ? s.get(CHAR, index) : s.get(CHAR_BE, index);
    }

    @Override
    public int getInt(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 4, s.byteSize());
        return s.get(INT, index);
    }

    @Override
    public int getInt(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 4, s.byteSize());
        return little ? s.get(INT, index) : s.get(INT_BE, index);
    }

    @Override
    public long getUnsignedInt(long index) {
        return Integer.toUnsignedLong(getInt(index));
    }

    @Override
    public long getUnsignedInt(long index, ByteOrder order) {
        return Integer.toUnsignedLong(getInt(index, order));
    }

    @Override
    public long getLong(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 8, s.byteSize());
        return s.get(LONG, index);
    }

    @Override
    public long getLong(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 8, s.byteSize());
        return little ? s.get(LONG, index) : s.get(LONG_BE, index);
    }

    @Override
    public float getFloat(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 4, s.byteSize());
        return s.get(FLOAT, index);
    }

    @Override
    public float getFloat(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 4, s.byteSize());
        return little ? s.get(FLOAT, index) : s.get(FLOAT_BE, index);
    }

    @Override
    public double getDouble(long index) {
        MemorySegment s = live();
        Checks.checkIndex(index, 8, s.byteSize());
        return s.get(DOUBLE, index);
    }

    @Override
    public double getDouble(long index, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = live();
        Checks.checkIndex(index, 8, s.byteSize());
        return little ? s.get(DOUBLE, index) : s.get(DOUBLE_BE, index);
    }

    @Override
    public void setByte(long index, byte value) {
        MemorySegment s = writable("setByte", index);
        Checks.checkIndex(index, 1, s.byteSize());
        s.set(ValueLayout.JAVA_BYTE, index, value);
    }

    @Override
    public void setShort(long index, short value) {
        MemorySegment s = writable("setShort", index);
        Checks.checkIndex(index, 2, s.byteSize());
        s.set(SHORT, index, value);
    }

    @Override
    public void setShort(long index, short value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setShort", index);
        Checks.checkIndex(index, 2, s.byteSize());
        if (little) {
            s.set(SHORT, index, value);
        } else {
            s.set(SHORT_BE, index, value);
        }
    }

    @Override
    public void setChar(long index, char value) {
        MemorySegment s = writable("setChar", index);
        Checks.checkIndex(index, 2, s.byteSize());
        s.set(CHAR, index, value);
    }

    @Override
    public void setChar(long index, char value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setChar", index);
        Checks.checkIndex(index, 2, s.byteSize());
        if (little) {
            s.set(CHAR, index, value);
        } else {
            s.set(CHAR_BE, index, value);
        }
    }

    @Override
    public void setInt(long index, int value) {
        MemorySegment s = writable("setInt", index);
        Checks.checkIndex(index, 4, s.byteSize());
        s.set(INT, index, value);
    }

    @Override
    public void setInt(long index, int value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setInt", index);
        Checks.checkIndex(index, 4, s.byteSize());
        if (little) {
            s.set(INT, index, value);
        } else {
            s.set(INT_BE, index, value);
        }
    }

    @Override
    public void setLong(long index, long value) {
        MemorySegment s = writable("setLong", index);
        Checks.checkIndex(index, 8, s.byteSize());
        s.set(LONG, index, value);
    }

    @Override
    public void setLong(long index, long value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setLong", index);
        Checks.checkIndex(index, 8, s.byteSize());
        if (little) {
            s.set(LONG, index, value);
        } else {
            s.set(LONG_BE, index, value);
        }
    }

    @Override
    public void setFloat(long index, float value) {
        MemorySegment s = writable("setFloat", index);
        Checks.checkIndex(index, 4, s.byteSize());
        s.set(FLOAT, index, value);
    }

    @Override
    public void setFloat(long index, float value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setFloat", index);
        Checks.checkIndex(index, 4, s.byteSize());
        if (little) {
            s.set(FLOAT, index, value);
        } else {
            s.set(FLOAT_BE, index, value);
        }
    }

    @Override
    public void setDouble(long index, double value) {
        MemorySegment s = writable("setDouble", index);
        Checks.checkIndex(index, 8, s.byteSize());
        s.set(DOUBLE, index, value);
    }

    @Override
    public void setDouble(long index, double value, ByteOrder order) {
        boolean little = littleEndian(order);
        MemorySegment s = writable("setDouble", index);
        Checks.checkIndex(index, 8, s.byteSize());
        if (little) {
            s.set(DOUBLE, index, value);
        } else {
            s.set(DOUBLE_BE, index, value);
        }
    }

    // ---- bulk copies ----------------------------------------------------------------------------------------

    @Override
    public void get(long index, byte[] dst, int dstOffset, int length) {
        Objects.requireNonNull(dst, "dst");
        MemorySegment s = live();
        Checks.checkRange(index, length, s.byteSize());
        Checks.checkRange(dstOffset, length, dst.length);
        MemorySegment.copy(s, ValueLayout.JAVA_BYTE, index, dst, dstOffset, length);
    }

    /**
     * Copies {@code length} values of {@code layout} at {@code index} into {@code array[offset..]}, after checking
     * both ranges (the JDK's copy would check them too, but with a message that names neither operand).
     */
    private void getValues(long index, Object array, int arrayLength, int offset, int length, ValueLayout layout) {
        MemorySegment s = live();
        Checks.checkElements(index, length, layout.byteSize(), s.byteSize());
        Checks.checkRange(offset, length, arrayLength);
        MemorySegment.copy(s, layout, index, array, offset, length);
    }

    /** Copies {@code array[offset..offset+length)} to {@code index} as values of {@code layout}, after checking. */
    private void putValues(long index, Object array, int arrayLength, int offset, int length, ValueLayout layout) {
        MemorySegment s = writable("put", index);
        Checks.checkElements(index, length, layout.byteSize(), s.byteSize());
        Checks.checkRange(offset, length, arrayLength);
        MemorySegment.copy(array, offset, s, layout, index, length);
    }

    @Override
    public void get(long index, short[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, SHORT);
    }

    @Override
    public void get(long index, short[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, SHORT, SHORT_BE));
    }

    @Override
    public void get(long index, char[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, CHAR);
    }

    @Override
    public void get(long index, char[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, CHAR, CHAR_BE));
    }

    @Override
    public void get(long index, int[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, INT);
    }

    @Override
    public void get(long index, int[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, INT, INT_BE));
    }

    @Override
    public void get(long index, long[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, LONG);
    }

    @Override
    public void get(long index, long[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, LONG, LONG_BE));
    }

    @Override
    public void get(long index, float[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, FLOAT);
    }

    @Override
    public void get(long index, float[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, FLOAT, FLOAT_BE));
    }

    @Override
    public void get(long index, double[] dst, int dstOffset, int length) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length, DOUBLE);
    }

    @Override
    public void get(long index, double[] dst, int dstOffset, int length, ByteOrder order) {
        getValues(index, dst, Objects.requireNonNull(dst, "dst").length, dstOffset, length,
                ordered(order, DOUBLE, DOUBLE_BE));
    }

    @Override
    public void get(long index, ByteBuffer dst) {
        Objects.requireNonNull(dst, "dst");
        MemorySegment s = live();
        int length = dst.remaining();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only destination: cannot copy length=" + length
                    + " bytes at index=" + index + " into dst=" + dst);
        }
        Checks.checkRange(index, length, s.byteSize());
        // The segment of a byte buffer spans its position to its limit.
        MemorySegment.copy(s, index, MemorySegment.ofBuffer(dst), 0, length);
        dst.position(dst.position() + length);
    }

    @Override
    public void get(long index, MemorySegment dst, long dstOffset, long length) {
        Objects.requireNonNull(dst, "dst");
        MemorySegment s = live();
        if (dst.isReadOnly()) {
            throw new IllegalArgumentException("read-only destination: cannot copy length=" + length
                    + " bytes at index=" + index + " into dst=" + dst);
        }
        Checks.checkRange(index, length, s.byteSize());
        Checks.checkRange(dstOffset, length, dst.byteSize());
        MemorySegment.copy(s, index, dst, dstOffset, length);
    }

    @Override
    public void put(long index, byte[] src, int srcOffset, int length) {
        Objects.requireNonNull(src, "src");
        MemorySegment s = writable("put", index);
        Checks.checkRange(index, length, s.byteSize());
        Checks.checkRange(srcOffset, length, src.length);
        MemorySegment.copy(src, srcOffset, s, ValueLayout.JAVA_BYTE, index, length);
    }

    @Override
    public void put(long index, short[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, SHORT);
    }

    @Override
    public void put(long index, short[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, SHORT, SHORT_BE));
    }

    @Override
    public void put(long index, char[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, CHAR);
    }

    @Override
    public void put(long index, char[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, CHAR, CHAR_BE));
    }

    @Override
    public void put(long index, int[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, INT);
    }

    @Override
    public void put(long index, int[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, INT, INT_BE));
    }

    @Override
    public void put(long index, long[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, LONG);
    }

    @Override
    public void put(long index, long[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, LONG, LONG_BE));
    }

    @Override
    public void put(long index, float[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, FLOAT);
    }

    @Override
    public void put(long index, float[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, FLOAT, FLOAT_BE));
    }

    @Override
    public void put(long index, double[] src, int srcOffset, int length) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length, DOUBLE);
    }

    @Override
    public void put(long index, double[] src, int srcOffset, int length, ByteOrder order) {
        putValues(index, src, Objects.requireNonNull(src, "src").length, srcOffset, length,
                ordered(order, DOUBLE, DOUBLE_BE));
    }

    @Override
    public void put(long index, ByteBuffer src) {
        Objects.requireNonNull(src, "src");
        MemorySegment s = writable("put", index);
        int length = src.remaining();
        Checks.checkRange(index, length, s.byteSize());
        MemorySegment.copy(MemorySegment.ofBuffer(src), 0, s, index, length);
        src.position(src.position() + length);
    }

    @Override
    public void put(long index, MemorySegment src, long srcOffset, long length) {
        Objects.requireNonNull(src, "src");
        MemorySegment s = writable("put", index);
        Checks.checkRange(index, length, s.byteSize());
        Checks.checkRange(srcOffset, length, src.byteSize());
        MemorySegment.copy(src, srcOffset, s, index, length);
    }

    @Override
    public void put(long index, Buffer src, long srcOffset, long length) {
        Objects.requireNonNull(src, "src");
        MemorySegment s = writable("put", index);
        // Another implementation of Buffer (Buffer is not sealed) is read through its own checked view.
        MemorySegment from = src instanceof AbstractBuffer b ? b.live() : foreignSegment(src);
        Checks.checkRange(index, length, s.byteSize());
        Checks.checkRange(srcOffset, length, from.byteSize());
        MemorySegment.copy(from, srcOffset, s, index, length);
    }

    private static MemorySegment foreignSegment(Buffer src) {
        MemorySegment from = src.asSegment();
        if (from == null) {
            throw new IllegalArgumentException("src.asSegment() returned null: src=" + src);
        }
        return from;
    }

    @Override
    public void fill(byte value) {
        writable("fill", 0).fill(value);
    }

    // ---- conversions ----------------------------------------------------------------------------------------

    @Override
    public byte[] toByteArray() {
        MemorySegment s = live();
        if (s.byteSize() > Integer.MAX_VALUE - 8) {
            throw new IllegalStateException("buffer too large for a byte array: size=" + s.byteSize());
        }
        return s.toArray(ValueLayout.JAVA_BYTE);
    }

    @Override
    public String toHex() {
        MemorySegment s = live();
        if (s.byteSize() > (Integer.MAX_VALUE - 8) / 2) {
            throw new IllegalStateException("buffer too large for a hex string: size=" + s.byteSize());
        }
        return HexFormat.of().formatHex(s.toArray(ValueLayout.JAVA_BYTE));
    }

    @Override
    public String hexDump(long maxBytes) {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative maxBytes: maxBytes=" + maxBytes);
        }
        MemorySegment s = live();
        long n = Math.min(maxBytes, s.byteSize());
        StringBuilder out = new StringBuilder();
        for (long line = 0; line < n; line += 16) {
            out.append(String.format("%08x ", line));
            StringBuilder ascii = new StringBuilder();
            for (long i = line; i < line + 16; i++) {
                if (i < n) {
                    int b = s.get(ValueLayout.JAVA_BYTE, i) & 0xFF;
                    out.append(String.format(" %02x", b));
                    ascii.append(b >= 0x20 && b < 0x7F ? (char) b : '.');
                } else {
                    out.append("   ");
                }
                if (i == line + 7) {
                    out.append(' ');
                }
            }
            out.append("  |").append(ascii).append("|\n");
        }
        if (n < s.byteSize()) {
            out.append("... ").append(s.byteSize() - n).append(" more bytes\n");
        }
        return out.toString();
    }

    @Override
    public ByteBuffer asByteBuffer() {
        MemorySegment s = live();
        if (s.byteSize() > Integer.MAX_VALUE) {
            throw new UnsupportedOperationException("buffer too large for a ByteBuffer: size=" + s.byteSize());
        }
        ByteBuffer bb = s.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
        return mutable ? bb : bb.asReadOnlyBuffer().order(ByteOrder.LITTLE_ENDIAN);
    }

    @Override
    public MemorySegment asSegment() {
        MemorySegment s = live();
        return mutable ? s : s.asReadOnly();
    }

    @Override
    public MemorySegment asSegment(Arena arena) {
        Objects.requireNonNull(arena, "arena");
        MemorySegment s = live();
        if (!s.isNative()) {
            // Heap memory cannot be freed while the segment references it: nothing to retain.
            return mutable ? s : s.asReadOnly();
        }
        AbstractBuffer root = root();
        root.retain();
        MemorySegment scoped;
        try {
            scoped = NativeMemory.scoped(s.address(), s.byteSize(), arena, root::release);
        } catch (RuntimeException | Error e) {
            root.release();
            throw e;
        }
        return mutable ? scoped : scoped.asReadOnly();
    }

    // ---- equality -------------------------------------------------------------------------------------------

    @Override
    public boolean equals(Object other) {
        if (this == other) {
            return true;
        }
        MemorySegment b;
        if (other instanceof AbstractBuffer that) {
            b = that.live();
        } else if (other instanceof Buffer foreign) {
            // a Buffer of the caller's own: compared through the memory it exposes, as put(...) reads it
            b = foreign.asSegment();
            if (b == null) {
                return false;
            }
        } else {
            return false;
        }
        MemorySegment a = live();
        return a.byteSize() == b.byteSize() && MemorySegment.mismatch(a, 0, a.byteSize(), b, 0, b.byteSize()) == -1;
    }

    @Override
    public int hashCode() {
        MemorySegment s = live();
        long n = s.byteSize();
        int h = 1;
        long i = 0;
        for (; i + 8 <= n; i += 8) {
            h = 31 * h + Long.hashCode(s.get(LONG, i));
        }
        for (; i < n; i++) {
            h = 31 * h + s.get(ValueLayout.JAVA_BYTE, i);
        }
        return h;
    }

    @Override
    public String toString() {
        return getClass().getSimpleName() + "[size=" + size() + (isClosed() ? ", closed" : "")
                + (mutable ? "" : ", read-only") + "]";
    }
}
