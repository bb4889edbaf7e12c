package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import java.util.function.Function;
import java.util.function.IntFunction;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.Device;
import org.quiver.memory.DoubleBufferBuilder;
import org.quiver.memory.FloatBufferBuilder;
import org.quiver.memory.IntBufferBuilder;
import org.quiver.memory.LongBufferBuilder;
import org.quiver.memory.MemoryManager;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.ShortBufferBuilder;

/**
 * The contract of {@link Buffer}, run against every kind of buffer: pool buffers, guarded ones ({@link CloseSafety}),
 * mutable slices of them, and wrapped arrays, heap and direct byte buffers and segments; and the typed builders'
 * growth on the pool. Teardown asserts the pool has nothing left.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
public abstract class BufferContract {

    protected abstract MemoryPool pool();

    private MemoryPool pool;
    private long startBytes;
    private final List<Arena> arenas = new ArrayList<>();

    @BeforeEach
    void remember() {
        pool = pool();
        startBytes = pool.bytesAllocated();
    }

    @AfterEach
    void nothingOutstanding() {
        arenas.forEach(Arena::close);
        arenas.clear();
        assertEquals(startBytes, pool.bytesAllocated(), "bytes left allocated");
    }

    /** Makes a mutable buffer holding {@code content}. */
    record Source(String name, Function<byte[], Buffer> make) {
        @Override
        public String toString() {
            return name;
        }
    }

    Stream<Arguments> sources() {
        return Stream.of(
                new Source("pool", c -> {
                    ResizableBuffer b = pool.allocate(c.length);
                    b.put(0, c, 0, c.length);
                    return b;
                }),
                new Source("guarded pool buffer", c -> {
                    CloseSafety level = CloseSafety.level();
                    CloseSafety.setLevel(CloseSafety.ALL);
                    try {
                        ResizableBuffer b = pool.allocate(c.length);
                        b.put(0, c, 0, c.length);
                        return b;
                    } finally {
                        CloseSafety.setLevel(level);
                    }
                }),
                new Source("mutable slice of pool buffer", c -> {
                    try (ResizableBuffer b = pool.allocate(c.length + 20)) {
                        Buffer s = b.mutableSlice(10, c.length);
                        s.put(0, c, 0, c.length);
                        return s;
                    }
                }),
                new Source("byte[]", c -> Buffer.wrap(c.clone())),
                new Source("byte[] range", c -> {
                    byte[] big = new byte[c.length + 6];
                    System.arraycopy(c, 0, big, 3, c.length);
                    return Buffer.wrap(big, 3, c.length);
                }),
                new Source("heap ByteBuffer", c -> Buffer.wrap(ByteBuffer.wrap(c.clone()))),
                new Source("direct ByteBuffer", c -> Buffer.wrap(ByteBuffer.allocateDirect(c.length).put(c).flip())),
                new Source("MemorySegment", c -> {
                    Arena a = Arena.ofConfined();
                    arenas.add(a);
                    MemorySegment s = a.allocate(Math.max(1, c.length)).asSlice(0, c.length);
                    MemorySegment.copy(c, 0, s, ValueLayout.JAVA_BYTE, 0, c.length);
                    return Buffer.wrap(s);
                })).map(Arguments::of);
    }

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    @ParameterizedTest
    @MethodSource("sources")
    void holdsItsBytes(Source source) {
        byte[] content = bytes("hello, arrow");
        try (Buffer b = source.make().apply(content)) {
            assertEquals(content.length, b.size());
            assertArrayEquals(content, b.toByteArray());
            assertEquals("68656c6c6f2c206172726f77", b.toHex());
            assertTrue(b.hexDump(100).contains("|hello, arrow|"), b.hexDump(100));
            IllegalArgumentException negative = org.junit.jupiter.api.Assertions.assertThrows(
                    IllegalArgumentException.class, () -> b.hexDump(-1));
            assertEquals("negative maxBytes: maxBytes=-1", negative.getMessage());
            assertTrue(b.isMutable());
            assertTrue(b.isCpu());
            assertSame(Device.cpu(), b.device());
            assertTrue(b.memoryManager().isCpu());
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void slicesAreZeroCopyAndChecked(Source source) {
        try (Buffer b = source.make().apply(bytes("hello, arrow"))) {
            try (Buffer word = b.slice(7, 5)) {
                assertArrayEquals(bytes("arrow"), word.toByteArray());
                assertSame(b, word.parent());
                assertFalse(word.isMutable());
                UnsupportedOperationException e =
                        assertThrows(UnsupportedOperationException.class, () -> word.setByte(0, (byte) 'A'));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
                b.setByte(7, (byte) 'A');
                assertEquals('A', word.getByte(0), "a slice sees writes to its parent");
                try (Buffer ow = word.slice(1, 2)) {
                    assertArrayEquals(bytes("rr"), ow.toByteArray());
                }
            }
            try (Buffer tail = b.slice(12)) {
                assertEquals(0, tail.size());
            }
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.slice(8, 5));
            assertTrue(e.getMessage().contains("offset=8") && e.getMessage().contains("length=5")
                    && e.getMessage().contains("size=12"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> b.slice(-1, 2));
            assertThrows(IndexOutOfBoundsException.class, () -> b.slice(0, -1));
            assertThrows(IndexOutOfBoundsException.class, () -> b.slice(13));
            assertThrows(IndexOutOfBoundsException.class, () -> b.slice(Long.MAX_VALUE, 2));
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void mutableSlicesWriteThrough(Source source) {
        try (Buffer b = source.make().apply(bytes("abcdef"))) {
            try (Buffer m = b.mutableSlice(2, 3)) {
                assertTrue(m.isMutable());
                m.setByte(0, (byte) 'X');
                m.put(1, bytes("YZ"), 0, 2);
                assertThrows(IndexOutOfBoundsException.class, () -> m.setByte(3, (byte) 0));
            }
            assertArrayEquals(bytes("abXYZf"), b.toByteArray());
            try (Buffer ro = b.slice(0, 3)) {
                assertThrows(UnsupportedOperationException.class, () -> ro.mutableSlice(0, 1));
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void copiesAreIndependent(Source source) {
        try (Buffer b = source.make().apply(bytes("0123456789"));
                ResizableBuffer c = b.copy(2, 5, pool)) {
            assertArrayEquals(bytes("23456"), c.toByteArray());
            b.setByte(2, (byte) 'x');
            assertEquals('2', c.getByte(0));
            try (ResizableBuffer all = b.copy(0, b.size(), pool)) {
                assertEquals(b, all);
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void equalityIsByContent(Source source) {
        try (Buffer a = source.make().apply(bytes("same bytes here!"));
                Buffer b = Buffer.wrap(bytes("same bytes here!"));
                Buffer c = Buffer.wrap(bytes("same bytes here?"));
                Buffer d = Buffer.wrap(bytes("same bytes"))) {
            assertEquals(a, b);
            assertEquals(b, a);
            assertEquals(a.hashCode(), b.hashCode());
            assertNotEquals(a, c);
            assertNotEquals(a, d);
            assertNotEquals(a, "same bytes here!");
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void littleEndianValues(Source source) {
        try (Buffer b = source.make().apply(new byte[24])) {
            b.setInt(0, 0x01020304);
            b.setLong(4, 0x1122334455667788L);
            b.setDouble(12, Math.PI);
            assertEquals(0x04, b.getByte(0));
            assertEquals(0x01020304, b.getInt(0));
            assertEquals(0x88, b.getByte(4) & 0xFF);
            assertEquals(0x1122334455667788L, b.getLong(4));
            assertEquals(Math.PI, b.getDouble(12));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> b.getLong(20));
            assertTrue(e.getMessage().contains("index=20") && e.getMessage().contains("size=24"), e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> b.getByte(-1));
            assertThrows(IndexOutOfBoundsException.class, () -> b.setInt(21, 0));
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void byteBufferViewIsZeroCopy(Source source) {
        try (Buffer b = source.make().apply(bytes("abcdefgh"))) {
            ByteBuffer view = b.asByteBuffer();
            assertEquals(8, view.remaining());
            assertEquals(ByteOrder.LITTLE_ENDIAN, view.order());
            view.put(0, (byte) 'Z');
            assertEquals('Z', b.getByte(0));
            try (Buffer ro = b.slice(0, 4)) {
                assertTrue(ro.asByteBuffer().isReadOnly());
                assertTrue(ro.asSegment().isReadOnly());
            }
            MemorySegment seg = b.asSegment();
            seg.set(ValueLayout.JAVA_BYTE, 1, (byte) 'Y');
            assertEquals('Y', b.getByte(1));
        }
    }

    @Test
    void checkedSegmentViewRetainsPoolMemoryUntilItsArenaCloses() {
        long before = pool.bytesAllocated();
        MemorySegment view;
        try (Arena arena = Arena.ofConfined()) {
            try (ResizableBuffer b = pool.allocate(100)) {
                b.setLong(0, 99);
                view = b.asSegment(arena);
                assertThrows(IllegalStateException.class, () -> b.resize(200), "views pin the memory");
            }
            // the buffer is closed, but the arena still holds the memory
            assertTrue(pool.bytesAllocated() > before);
            assertEquals(99, view.get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
        }
        assertEquals(before, pool.bytesAllocated());
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0),
                "the segment dies with its arena");
    }

    @Test
    void slicesKeepPoolMemoryAliveAfterTheParentCloses() {
        long before = pool.bytesAllocated();
        Buffer slice;
        try (ResizableBuffer b = pool.allocate(64)) {
            b.setByte(10, (byte) 42);
            slice = b.slice(10, 5);
        }
        assertTrue(pool.bytesAllocated() > before, "memory held by the slice");
        assertEquals(42, slice.getByte(0));
        slice.close();
        assertEquals(before, pool.bytesAllocated());
        assertThrows(IllegalStateException.class, () -> slice.getByte(0));
    }

    @ParameterizedTest
    @MethodSource("sources")
    void everyAccessAfterCloseThrows(Source source) {
        Buffer b = source.make().apply(bytes("closed soon"));
        b.close();
        assertTrue(b.isClosed());
        assertEquals(11, b.size(), "size stays readable");
        List<Runnable> uses = List.of(() -> b.getByte(0), () -> b.getInt(0), () -> b.getLong(0),
                () -> b.getDouble(0), () -> b.setByte(0, (byte) 1), () -> b.setLong(0, 1), () -> b.slice(0, 1),
                () -> b.mutableSlice(0, 1), () -> b.copy(0, 1, pool), b::toByteArray, b::toHex,
                () -> b.hexDump(16), b::asByteBuffer, b::asSegment, () -> b.asSegment(Arena.global()),
                () -> b.get(0, new byte[1], 0, 1), () -> b.put(0, new byte[1], 0, 1), () -> b.fill((byte) 0),
                () -> b.get(0, ByteBuffer.allocate(1)), () -> b.put(0, ByteBuffer.allocate(1)),
                () -> b.get(0, MemorySegment.ofArray(new byte[1]), 0, 1),
                () -> b.put(0, MemorySegment.ofArray(new byte[1]), 0, 1),
                b::hashCode, () -> b.equals(Buffer.wrap(new byte[1])),
                () -> b.view(MemoryManager.cpu(pool)));
        List<Runnable> all = new ArrayList<>(uses);
        for (Accessor a : accessors()) {
            all.add(() -> a.call().at(b, 0));
        }
        for (ArrayType t : ARRAY_TYPES) {
            for (Order order : Order.values()) {
                all.add(() -> t.get().copy(b, 0, t.sample().apply(1), 0, 1, order));
                all.add(() -> t.put().copy(b, 0, t.sample().apply(1), 0, 1, order));
            }
        }
        for (Runnable use : all) {
            IllegalStateException e = assertThrows(IllegalStateException.class, use::run);
            assertTrue(e.getMessage().contains("closed"), e.getMessage());
        }
        b.close(); // idempotent
    }

    @ParameterizedTest
    @MethodSource("sources")
    void putBetweenBuffersHandlesOverlap(Source source) {
        try (Buffer b = source.make().apply(bytes("0123456789"))) {
            b.put(2, b, 0, 5);
            assertArrayEquals(bytes("0101234789"), b.toByteArray());
            try (Buffer other = Buffer.wrap(bytes("ab"))) {
                b.put(8, other, 0, 2);
                assertThrows(IndexOutOfBoundsException.class, () -> b.put(9, other, 0, 2));
            }
            assertArrayEquals(bytes("01012347ab"), b.toByteArray());
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void viewsOnTheCpuAreZeroCopy(Source source) {
        try (Buffer b = source.make().apply(bytes("device"))) {
            MemoryManager mm = MemoryManager.cpu(pool);
            try (Buffer v = b.view(mm); Buffer w = b.viewOrCopy(mm)) {
                b.setByte(0, (byte) 'D');
                assertEquals('D', v.getByte(0));
                assertEquals('D', w.getByte(0));
                assertSame(b, v.parent());
            }
        }
    }

    /** Hostile: every byte written and read one at a time through a chain of one-byte slices. */
    @ParameterizedTest
    @MethodSource("sources")
    void oneByteSlicesEverywhere(Source source) {
        byte[] content = new byte[300];
        for (int i = 0; i < content.length; i++) {
            content[i] = (byte) (i * 7);
        }
        try (Buffer b = source.make().apply(content)) {
            for (int i = 0; i < content.length; i++) {
                try (Buffer one = b.slice(i, 1)) {
                    assertEquals(content[i], one.getByte(0));
                    assertEquals(1, one.toByteArray().length);
                }
            }
        }
    }

    /** The buffers of the guarded source really are guarded: a view used after the last close throws. */
    @Test
    void theGuardedSourceIsGuarded() {
        Source guarded = sources().map(a -> (Source) a.get()[0]).filter(s -> s.name().startsWith("guarded"))
                .findFirst().orElseThrow();
        Buffer b = guarded.make().apply(bytes("guarded"));
        MemorySegment view = b.asSegment();
        b.close();
        assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 0));
    }

    // ---- values of every type -------------------------------------------------------------------------------

    private static final List<ByteOrder> ORDERS = List.of(ByteOrder.LITTLE_ENDIAN, ByteOrder.BIG_ENDIAN);

    /** A value as {@link ByteBuffer} writes it in {@code order}: the reference encoding. */
    private static byte[] encoded(ByteOrder order, int width, Consumer<ByteBuffer> put) {
        ByteBuffer bb = ByteBuffer.allocate(width).order(order);
        put.accept(bb);
        return bb.array();
    }

    private static byte[] bytesAt(Buffer b, long index, int length) {
        byte[] out = new byte[length];
        b.get(index, out, 0, length);
        return out;
    }

    @ParameterizedTest
    @MethodSource("sources")
    void everyTypeRoundTripsInBothOrders(Source source) {
        float nan = Float.intBitsToFloat(0x7FC12345); // a quiet NaN with a payload: its bits must survive
        double dnan = Double.longBitsToDouble(0x7FF8_1234_5678_9ABCL);
        try (Buffer b = source.make().apply(new byte[21])) {
            for (ByteOrder order : ORDERS) {
                for (long at : new long[] {3, b.size() - 8}) { // unaligned, and the last eight bytes
                    String where = " " + order + " at " + at;
                    b.setShort(at, (short) 0x8182, order);
                    assertArrayEquals(encoded(order, 2, bb -> bb.putShort((short) 0x8182)), bytesAt(b, at, 2),
                            "setShort" + where);
                    assertEquals((short) 0x8182, b.getShort(at, order), "getShort" + where);
                    b.setChar(at, '\u20AC', order);
                    assertArrayEquals(encoded(order, 2, bb -> bb.putChar('\u20AC')), bytesAt(b, at, 2),
                            "setChar" + where);
                    assertEquals('\u20AC', b.getChar(at, order), "getChar" + where);
                    b.setInt(at, 0x81828384, order);
                    assertArrayEquals(encoded(order, 4, bb -> bb.putInt(0x81828384)), bytesAt(b, at, 4),
                            "setInt" + where);
                    assertEquals(0x81828384, b.getInt(at, order), "getInt" + where);
                    b.setLong(at, 0x8182838485868788L, order);
                    assertArrayEquals(encoded(order, 8, bb -> bb.putLong(0x8182838485868788L)), bytesAt(b, at, 8),
                            "setLong" + where);
                    assertEquals(0x8182838485868788L, b.getLong(at, order), "getLong" + where);
                    b.setFloat(at, nan, order);
                    assertArrayEquals(encoded(order, 4, bb -> bb.putFloat(nan)), bytesAt(b, at, 4),
                            "setFloat" + where);
                    assertEquals(0x7FC12345, Float.floatToRawIntBits(b.getFloat(at, order)), "getFloat" + where);
                    b.setFloat(at, -1.5e-3f, order);
                    assertEquals(-1.5e-3f, b.getFloat(at, order), "getFloat" + where);
                    b.setDouble(at, dnan, order);
                    assertArrayEquals(encoded(order, 8, bb -> bb.putDouble(dnan)), bytesAt(b, at, 8),
                            "setDouble" + where);
                    assertEquals(0x7FF8_1234_5678_9ABCL, Double.doubleToRawLongBits(b.getDouble(at, order)),
                            "getDouble" + where);
                    b.setDouble(at, -Math.E, order);
                    assertEquals(-Math.E, b.getDouble(at, order), "getDouble" + where);
                }
            }
        }
    }

    /** Without an order, every accessor is little endian: the same bytes as with {@code LITTLE_ENDIAN}. */
    @ParameterizedTest
    @MethodSource("sources")
    void withoutAnOrderValuesAreLittleEndian(Source source) {
        ByteOrder little = ByteOrder.LITTLE_ENDIAN;
        try (Buffer b = source.make().apply(new byte[13])) {
            b.setShort(5, (short) 0x8182);
            assertArrayEquals(encoded(little, 2, bb -> bb.putShort((short) 0x8182)), bytesAt(b, 5, 2));
            assertEquals((short) 0x8182, b.getShort(5));
            assertEquals((short) 0x8281, b.getShort(5, ByteOrder.BIG_ENDIAN));
            b.setChar(5, '\u20AC');
            assertArrayEquals(encoded(little, 2, bb -> bb.putChar('\u20AC')), bytesAt(b, 5, 2));
            assertEquals('\u20AC', b.getChar(5));
            assertEquals('\uAC20', b.getChar(5, ByteOrder.BIG_ENDIAN));
            b.setInt(5, 0x81828384, ByteOrder.BIG_ENDIAN);
            assertEquals(0x84838281, b.getInt(5));
            b.setLong(5, 0x8182838485868788L, ByteOrder.BIG_ENDIAN);
            assertEquals(0x8887868584838281L, b.getLong(5));
            b.setFloat(5, 1.5f);
            assertArrayEquals(encoded(little, 4, bb -> bb.putFloat(1.5f)), bytesAt(b, 5, 4));
            assertEquals(1.5f, b.getFloat(5));
            assertEquals(Float.floatToRawIntBits(1.5f), b.getInt(5));
            b.setDouble(5, Math.PI);
            assertEquals(Double.doubleToRawLongBits(Math.PI), b.getLong(5));
            assertEquals(Math.PI, b.getDouble(5));
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void unsignedReadsAtTheEdges(Source source) {
        try (Buffer b = source.make().apply(new byte[9])) {
            b.fill((byte) 0xFF);
            assertEquals(0xFF, b.getUnsignedByte(8));
            assertEquals(0xFFFF, b.getUnsignedShort(7));
            assertEquals(0xFFFF_FFFFL, b.getUnsignedInt(5));
            for (ByteOrder order : ORDERS) {
                assertEquals(0xFFFF, b.getUnsignedShort(7, order));
                assertEquals(0xFFFF_FFFFL, b.getUnsignedInt(5, order));
            }
            b.fill((byte) 0);
            assertEquals(0, b.getUnsignedByte(0));
            assertEquals(0, b.getUnsignedShort(0));
            assertEquals(0, b.getUnsignedInt(0));
            b.setByte(0, (byte) 0x80); // the sign bits alone
            assertEquals(0x80, b.getUnsignedByte(0));
            b.setShort(1, (short) 0x8001);
            assertEquals(0x8001, b.getUnsignedShort(1));
            assertEquals(0x0180, b.getUnsignedShort(1, ByteOrder.BIG_ENDIAN));
            b.setInt(3, 0x8000_0001);
            assertEquals(0x8000_0001L, b.getUnsignedInt(3));
            assertEquals(0x0100_0080L, b.getUnsignedInt(3, ByteOrder.BIG_ENDIAN));
            b.setShort(7, Short.MAX_VALUE);
            assertEquals(0x7FFF, b.getUnsignedShort(7));
            assertEquals(0x7F, b.getUnsignedByte(8));
        }
    }

    /** A call of one single-value accessor at an index. */
    @FunctionalInterface
    interface IndexedCall {
        void at(Buffer buffer, long index);
    }

    /** One single-value accessor: its name, the bytes it touches, and whether it writes. */
    record Accessor(String name, int width, boolean writes, IndexedCall call) {
        @Override
        public String toString() {
            return name;
        }
    }

    /** Every single-value accessor, with and without an order. */
    static List<Accessor> accessors() {
        List<Accessor> all = new ArrayList<>(List.of(
                new Accessor("getByte", 1, false, Buffer::getByte),
                new Accessor("getUnsignedByte", 1, false, Buffer::getUnsignedByte),
                new Accessor("getShort", 2, false, Buffer::getShort),
                new Accessor("getUnsignedShort", 2, false, Buffer::getUnsignedShort),
                new Accessor("getChar", 2, false, Buffer::getChar),
                new Accessor("getInt", 4, false, Buffer::getInt),
                new Accessor("getUnsignedInt", 4, false, Buffer::getUnsignedInt),
                new Accessor("getLong", 8, false, Buffer::getLong),
                new Accessor("getFloat", 4, false, Buffer::getFloat),
                new Accessor("getDouble", 8, false, Buffer::getDouble),
                new Accessor("setByte", 1, true, (b, i) -> b.setByte(i, (byte) 0x5A)),
                new Accessor("setShort", 2, true, (b, i) -> b.setShort(i, (short) 0x5A5A)),
                new Accessor("setChar", 2, true, (b, i) -> b.setChar(i, 'Z')),
                new Accessor("setInt", 4, true, (b, i) -> b.setInt(i, 0x5A5A5A5A)),
                new Accessor("setLong", 8, true, (b, i) -> b.setLong(i, 0x5A5A5A5A5A5A5A5AL)),
                new Accessor("setFloat", 4, true, (b, i) -> b.setFloat(i, 1.5f)),
                new Accessor("setDouble", 8, true, (b, i) -> b.setDouble(i, 1.5))));
        for (ByteOrder o : ORDERS) {
            all.addAll(List.of(
                    new Accessor("getShort(" + o + ")", 2, false, (b, i) -> b.getShort(i, o)),
                    new Accessor("getUnsignedShort(" + o + ")", 2, false, (b, i) -> b.getUnsignedShort(i, o)),
                    new Accessor("getChar(" + o + ")", 2, false, (b, i) -> b.getChar(i, o)),
                    new Accessor("getInt(" + o + ")", 4, false, (b, i) -> b.getInt(i, o)),
                    new Accessor("getUnsignedInt(" + o + ")", 4, false, (b, i) -> b.getUnsignedInt(i, o)),
                    new Accessor("getLong(" + o + ")", 8, false, (b, i) -> b.getLong(i, o)),
                    new Accessor("getFloat(" + o + ")", 4, false, (b, i) -> b.getFloat(i, o)),
                    new Accessor("getDouble(" + o + ")", 8, false, (b, i) -> b.getDouble(i, o)),
                    new Accessor("setShort(" + o + ")", 2, true, (b, i) -> b.setShort(i, (short) 0x5A5A, o)),
                    new Accessor("setChar(" + o + ")", 2, true, (b, i) -> b.setChar(i, 'Z', o)),
                    new Accessor("setInt(" + o + ")", 4, true, (b, i) -> b.setInt(i, 0x5A5A5A5A, o)),
                    new Accessor("setLong(" + o + ")", 8, true, (b, i) -> b.setLong(i, 0x5A5A5A5A5A5A5A5AL, o)),
                    new Accessor("setFloat(" + o + ")", 4, true, (b, i) -> b.setFloat(i, 1.5f, o)),
                    new Accessor("setDouble(" + o + ")", 8, true, (b, i) -> b.setDouble(i, 1.5, o))));
        }
        return all;
    }

    @ParameterizedTest
    @MethodSource("sources")
    void everyAccessorChecksItsIndexAndARefusalChangesNothing(Source source) {
        byte[] content = bytes("0123456789abcdef");
        try (Buffer b = source.make().apply(content)) {
            long size = b.size();
            for (Accessor a : accessors()) {
                a.call().at(b, 0); // the first and the last index that fit
                a.call().at(b, size - a.width());
                b.put(0, content, 0, content.length);
                for (long index : new long[] {-1, size - a.width() + 1, size, Long.MAX_VALUE, Long.MIN_VALUE}) {
                    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                            () -> a.call().at(b, index), a + " at " + index);
                    assertTrue(e.getMessage().contains("index=" + index) && e.getMessage().contains(
                            "width=" + a.width()) && e.getMessage().contains("size=" + size), e.getMessage());
                    assertArrayEquals(content, b.toByteArray(), a + " at " + index + " changed the buffer");
                }
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void readOnlyBuffersRefuseEveryWrite(Source source) {
        byte[] content = bytes("0123456789abcdef");
        try (Buffer b = source.make().apply(content); Buffer readOnly = b.slice(0, b.size())) {
            List<Runnable> writes = new ArrayList<>();
            for (Accessor a : accessors()) {
                if (a.writes()) {
                    writes.add(() -> a.call().at(readOnly, 8));
                } else {
                    a.call().at(readOnly, 8); // reads work
                }
            }
            for (ArrayType t : ARRAY_TYPES) {
                for (Order order : Order.values()) {
                    writes.add(() -> t.put().copy(readOnly, 8, t.sample().apply(1), 0, 1, order));
                    t.get().copy(readOnly, 8, t.sample().apply(1), 0, 1, order);
                }
            }
            ByteBuffer src = ByteBuffer.wrap(bytes("xy"));
            writes.add(() -> readOnly.put(8, src));
            writes.add(() -> readOnly.put(8, MemorySegment.ofArray(bytes("xy")), 0, 2));
            for (Runnable write : writes) {
                UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class, write::run);
                assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("index=8")
                        && e.getMessage().contains("size=16"), e.getMessage());
            }
            assertEquals(0, src.position(), "a refused put consumed the source");
            assertArrayEquals(content, b.toByteArray());
        }
    }

    // ---- bulk copies ----------------------------------------------------------------------------------------

    /** How a test passes the byte order: not at all (the little-endian default), or as an argument. */
    enum Order {
        DEFAULT(ByteOrder.LITTLE_ENDIAN), LITTLE(ByteOrder.LITTLE_ENDIAN), BIG(ByteOrder.BIG_ENDIAN);

        final ByteOrder byteOrder;

        Order(ByteOrder byteOrder) {
            this.byteOrder = byteOrder;
        }
    }

    /** A bulk copy between a buffer and an array, through the overload {@code order} picks. */
    @FunctionalInterface
    interface BulkCopy {
        void copy(Buffer buffer, long index, Object array, int offset, int length, Order order);
    }

    /** Writes {@code array[offset..offset+length)} into a byte buffer, in the byte buffer's order. */
    @FunctionalInterface
    interface Encoder {
        void put(ByteBuffer target, Object array, int offset, int length);
    }

    /** One primitive array type: its width, sample values, the reference encoding, and the buffer's copies. */
    record ArrayType(String name, Class<?> component, int width, IntFunction<Object> sample, Encoder encoder,
            BulkCopy get, BulkCopy put) {

        /** {@code array[offset..offset+length)} as {@link ByteBuffer} writes it in {@code order}. */
        byte[] encoded(ByteOrder order, Object array, int offset, int length) {
            ByteBuffer bb = ByteBuffer.allocate(length * width).order(order);
            encoder.put(bb, array, offset, length);
            return bb.array();
        }

        Object empty(int length) {
            return java.lang.reflect.Array.newInstance(component, length);
        }

        @Override
        public String toString() {
            return name + "[]";
        }
    }

    /** Sample values with every byte different and the sign bits set in some. */
    private static long sampleBits(int i) {
        return 0x8192A3B4C5D6E7F8L + i * 0x0101010101010101L;
    }

    static final List<ArrayType> ARRAY_TYPES = List.of(
            new ArrayType("short", short.class, 2, n -> {
                short[] a = new short[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (short) sampleBits(i);
                }
                return a;
            }, (bb, a, o, n) -> bb.asShortBuffer().put((short[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (short[]) a, o, n);
                } else {
                    b.get(i, (short[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (short[]) a, o, n);
                } else {
                    b.put(i, (short[]) a, o, n, order.byteOrder);
                }
            }),
            new ArrayType("char", char.class, 2, n -> {
                char[] a = new char[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (char) sampleBits(i);
                }
                return a;
            }, (bb, a, o, n) -> bb.asCharBuffer().put((char[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (char[]) a, o, n);
                } else {
                    b.get(i, (char[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (char[]) a, o, n);
                } else {
                    b.put(i, (char[]) a, o, n, order.byteOrder);
                }
            }),
            new ArrayType("int", int.class, 4, n -> {
                int[] a = new int[n];
                for (int i = 0; i < n; i++) {
                    a[i] = (int) sampleBits(i);
                }
                return a;
            }, (bb, a, o, n) -> bb.asIntBuffer().put((int[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (int[]) a, o, n);
                } else {
                    b.get(i, (int[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (int[]) a, o, n);
                } else {
                    b.put(i, (int[]) a, o, n, order.byteOrder);
                }
            }),
            new ArrayType("long", long.class, 8, n -> {
                long[] a = new long[n];
                for (int i = 0; i < n; i++) {
                    a[i] = sampleBits(i);
                }
                return a;
            }, (bb, a, o, n) -> bb.asLongBuffer().put((long[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (long[]) a, o, n);
                } else {
                    b.get(i, (long[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (long[]) a, o, n);
                } else {
                    b.put(i, (long[]) a, o, n, order.byteOrder);
                }
            }),
            new ArrayType("float", float.class, 4, n -> {
                float[] a = new float[n];
                for (int i = 0; i < n; i++) {
                    a[i] = -1.25e-3f * (i + 1) + i;
                }
                return a;
            }, (bb, a, o, n) -> bb.asFloatBuffer().put((float[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (float[]) a, o, n);
                } else {
                    b.get(i, (float[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (float[]) a, o, n);
                } else {
                    b.put(i, (float[]) a, o, n, order.byteOrder);
                }
            }),
            new ArrayType("double", double.class, 8, n -> {
                double[] a = new double[n];
                for (int i = 0; i < n; i++) {
                    a[i] = -Math.PI * (i + 1) * 1e100;
                }
                return a;
            }, (bb, a, o, n) -> bb.asDoubleBuffer().put((double[]) a, o, n), (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.get(i, (double[]) a, o, n);
                } else {
                    b.get(i, (double[]) a, o, n, order.byteOrder);
                }
            }, (b, i, a, o, n, order) -> {
                if (order == Order.DEFAULT) {
                    b.put(i, (double[]) a, o, n);
                } else {
                    b.put(i, (double[]) a, o, n, order.byteOrder);
                }
            }));

    @ParameterizedTest
    @MethodSource("sources")
    void arraysOfEveryTypeRoundTripInEveryOrder(Source source) {
        try (Buffer b = source.make().apply(new byte[40])) {
            for (ArrayType t : ARRAY_TYPES) {
                for (Order order : Order.values()) {
                    String what = t + " " + order;
                    Object values = t.sample().apply(6);
                    b.fill((byte) 0x77);
                    t.put().copy(b, 3, values, 1, 4, order); // four values from the second, to an unaligned index
                    byte[] expected = new byte[40];
                    Arrays.fill(expected, (byte) 0x77);
                    System.arraycopy(t.encoded(order.byteOrder, values, 1, 4), 0, expected, 3, 4 * t.width());
                    assertArrayEquals(expected, b.toByteArray(), "put " + what);
                    Object back = t.empty(7);
                    t.get().copy(b, 3, back, 2, 4, order);
                    ByteOrder any = ByteOrder.LITTLE_ENDIAN; // comparing arrays: any one encoding will do
                    assertArrayEquals(t.encoded(any, values, 1, 4), t.encoded(any, back, 2, 4), "get " + what);
                    assertArrayEquals(new byte[3 * t.width()],
                            concat(t.encoded(any, back, 0, 2), t.encoded(any, back, 6, 1)),
                            "get " + what + " wrote outside its range");
                }
            }
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }

    @ParameterizedTest
    @MethodSource("sources")
    void bulkCopiesCheckEveryOperandAndARefusalChangesNothing(Source source) {
        byte[] content = bytes("0123456789abcdef");
        try (Buffer b = source.make().apply(content)) {
            for (ArrayType t : ARRAY_TYPES) {
                int w = t.width();
                String buffer = " width=" + w + " size=16";
                // index, offset in the array of 4, length, and what the message must say
                List<Object[]> refused = List.of(
                        new Object[] {-1L, 0, 1, "index=-1 length=1" + buffer},
                        new Object[] {16L - w + 1, 0, 1, "index=" + (16 - w + 1) + " length=1" + buffer},
                        new Object[] {Long.MAX_VALUE, 0, 1, "index=" + Long.MAX_VALUE + " length=1" + buffer},
                        new Object[] {Long.MIN_VALUE, 0, 1, "index=" + Long.MIN_VALUE + " length=1" + buffer},
                        new Object[] {0L, 0, -1, "index=0 length=-1" + buffer},
                        new Object[] {0L, 0, 16 / w + 1, "index=0 length=" + (16 / w + 1) + buffer},
                        new Object[] {0L, 0, Integer.MAX_VALUE, "index=0 length=" + Integer.MAX_VALUE + buffer},
                        new Object[] {0L, -1, 1, "offset=-1 length=1 size=4"},
                        new Object[] {0L, 3, 2, "offset=3 length=2 size=4"},
                        new Object[] {0L, Integer.MAX_VALUE, 1, "offset=" + Integer.MAX_VALUE + " length=1 size=4"},
                        new Object[] {0L, Integer.MIN_VALUE, 1, "offset=" + Integer.MIN_VALUE + " length=1 size=4"});
                for (Object[] r : refused) {
                    long index = (Long) r[0];
                    int offset = (Integer) r[1];
                    int length = (Integer) r[2];
                    for (Order order : Order.values()) {
                        for (BulkCopy copy : List.of(t.get(), t.put())) {
                            String what = (copy == t.get() ? "get" : "put") + "(" + index + ", " + t + ", " + offset
                                    + ", " + length + ", " + order + ")";
                            Object array = t.sample().apply(4);
                            byte[] arrayBefore = t.encoded(ByteOrder.LITTLE_ENDIAN, array, 0, 4);
                            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                                    () -> copy.copy(b, index, array, offset, length, order), what);
                            assertTrue(e.getMessage().contains((String) r[3]), what + ": " + e.getMessage());
                            assertArrayEquals(content, b.toByteArray(), what + " changed the buffer");
                            assertArrayEquals(arrayBefore, t.encoded(ByteOrder.LITTLE_ENDIAN, array, 0, 4),
                                    what + " changed the array");
                        }
                    }
                }
                // the whole buffer, to the last byte
                Object all = t.empty(16 / w);
                t.get().copy(b, 0, all, 0, 16 / w, Order.DEFAULT);
                assertArrayEquals(content, t.encoded(ByteOrder.LITTLE_ENDIAN, all, 0, 16 / w), t + " of everything");
            }
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void byteBufferCopiesUseAndAdvanceItsPosition(Source source) {
        try (Buffer b = source.make().apply(bytes("0123456789"))) {
            for (ByteBuffer dst : List.of(ByteBuffer.allocate(8), ByteBuffer.allocateDirect(8))) {
                dst.position(2).limit(6);
                b.get(3, dst);
                assertEquals(6, dst.position());
                dst.clear();
                byte[] seen = new byte[8];
                dst.get(0, seen);
                assertArrayEquals(new byte[] {0, 0, '3', '4', '5', '6', 0, 0}, seen);
                for (long index : new long[] {3, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
                    IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                            () -> b.get(index, dst));
                    assertTrue(e.getMessage().contains("offset=" + index + " length=8 size=10"), e.getMessage());
                    assertEquals(0, dst.position(), "a refused get moved the position");
                    dst.get(0, seen);
                    assertArrayEquals(new byte[] {0, 0, '3', '4', '5', '6', 0, 0}, seen, "a refused get wrote");
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> b.get(0, dst.asReadOnlyBuffer()));
                assertTrue(e.getMessage().contains("read-only") && e.getMessage().contains("index=0"),
                        e.getMessage());
            }
            ByteBuffer src = ByteBuffer.wrap(bytes("abcdef")).position(1).limit(4);
            b.put(5, src);
            assertEquals(4, src.position());
            assertArrayEquals(bytes("01234bcd89"), b.toByteArray());
            b.put(0, ByteBuffer.allocateDirect(2).put(bytes("xy")).flip().asReadOnlyBuffer()); // read-only is fine
            assertArrayEquals(bytes("xy234bcd89"), b.toByteArray());
            ByteBuffer tooLong = ByteBuffer.wrap(bytes("abcdef"));
            for (long index : new long[] {5, -1, Long.MAX_VALUE, Long.MIN_VALUE}) {
                IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class,
                        () -> b.put(index, tooLong));
                assertTrue(e.getMessage().contains("offset=" + index + " length=6 size=10"), e.getMessage());
                assertEquals(0, tooLong.position(), "a refused put consumed the source");
                assertArrayEquals(bytes("xy234bcd89"), b.toByteArray(), "a refused put wrote");
            }
            ByteBuffer own = b.asByteBuffer().limit(4); // overlapping: as if through a temporary copy
            b.put(2, own);
            assertArrayEquals(bytes("xyxy23cd89"), b.toByteArray());
        }
    }

    @ParameterizedTest
    @MethodSource("sources")
    void segmentCopiesCheckBothRangesAndARefusalChangesNothing(Source source) {
        try (Buffer b = source.make().apply(bytes("0123456789")); Arena arena = Arena.ofConfined()) {
            for (MemorySegment segment : List.of(arena.allocate(8), MemorySegment.ofArray(new byte[8]))) {
                b.get(3, segment, 2, 4);
                byte[] expected = {0, 0, '3', '4', '5', '6', 0, 0};
                assertArrayEquals(expected, segment.toArray(ValueLayout.JAVA_BYTE));
                // index, offset in the segment of 8, length, and what the message must say
                List<Object[]> refused = List.of(
                        new Object[] {-1L, 0L, 1L, "offset=-1 length=1 size=10"},
                        new Object[] {7L, 0L, 4L, "offset=7 length=4 size=10"},
                        new Object[] {Long.MAX_VALUE, 0L, 1L, "offset=" + Long.MAX_VALUE + " length=1 size=10"},
                        new Object[] {0L, 0L, -1L, "offset=0 length=-1 size=10"},
                        new Object[] {0L, -1L, 1L, "offset=-1 length=1 size=8"},
                        new Object[] {0L, 5L, 4L, "offset=5 length=4 size=8"},
                        new Object[] {0L, Long.MAX_VALUE, 1L, "offset=" + Long.MAX_VALUE + " length=1 size=8"},
                        new Object[] {0L, Long.MIN_VALUE, 1L, "offset=" + Long.MIN_VALUE + " length=1 size=8"});
                for (Object[] r : refused) {
                    long index = (Long) r[0];
                    long offset = (Long) r[1];
                    long length = (Long) r[2];
                    IndexOutOfBoundsException get = assertThrows(IndexOutOfBoundsException.class,
                            () -> b.get(index, segment, offset, length));
                    assertTrue(get.getMessage().contains((String) r[3]), get.getMessage());
                    IndexOutOfBoundsException put = assertThrows(IndexOutOfBoundsException.class,
                            () -> b.put(index, segment, offset, length));
                    assertTrue(put.getMessage().contains((String) r[3]), put.getMessage());
                    assertArrayEquals(expected, segment.toArray(ValueLayout.JAVA_BYTE), "a refused get wrote");
                    assertArrayEquals(bytes("0123456789"), b.toByteArray(), "a refused put wrote");
                }
                IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                        () -> b.get(0, segment.asReadOnly(), 0, 1));
                assertTrue(e.getMessage().contains("read-only"), e.getMessage());
            }
            MemorySegment dead;
            try (Arena gone = Arena.ofConfined()) {
                dead = gone.allocate(4);
            }
            assertThrows(IllegalStateException.class, () -> b.get(0, dead, 0, 4));
            assertThrows(IllegalStateException.class, () -> b.put(0, dead, 0, 4));
            b.put(8, MemorySegment.ofArray(bytes("xy")).asReadOnly(), 0, 2);
            assertArrayEquals(bytes("01234567xy"), b.toByteArray());
            b.put(1, b.asSegment(), 0, 4); // overlapping: as if through a temporary copy
            assertArrayEquals(bytes("00123567xy"), b.toByteArray());
        }
    }

    // ---- typed builders -------------------------------------------------------------------------------------

    /** Growth by at least doubling, counted: appending n values reallocates O(log n) times. */
    private static final class Growth {
        private long capacity;
        private int times;

        void check(String builder, long now) {
            if (now != capacity) {
                assertTrue(now >= 2 * capacity, builder + " grew from " + capacity + " to only " + now);
                capacity = now;
                times++;
            }
        }
    }

    @Test
    void typedBuildersGrowByDoublingAndKeepEveryValue() {
        int n = 5000;
        try (ShortBufferBuilder shorts = new ShortBufferBuilder(pool);
                IntBufferBuilder ints = new IntBufferBuilder(pool);
                LongBufferBuilder longs = new LongBufferBuilder(pool);
                FloatBufferBuilder floats = new FloatBufferBuilder(pool);
                DoubleBufferBuilder doubles = new DoubleBufferBuilder(pool)) {
            Growth[] growth = {new Growth(), new Growth(), new Growth(), new Growth(), new Growth()};
            for (int i = 0; i < n; i++) {
                shorts.append((short) sampleBits(i));
                ints.append((int) sampleBits(i));
                longs.append(sampleBits(i));
                floats.append(i / 4f);
                doubles.append(i / 8.0);
                growth[0].check("shorts", shorts.capacity());
                growth[1].check("ints", ints.capacity());
                growth[2].check("longs", longs.capacity());
                growth[3].check("floats", floats.capacity());
                growth[4].check("doubles", doubles.capacity());
            }
            for (Growth g : growth) {
                assertTrue(g.times <= 12, g.times + " growths for " + n + " values");
            }
            assertEquals(n, shorts.length());
            assertEquals(n, doubles.length());
            assertEquals((short) sampleBits(n - 1), shorts.get(n - 1));
            assertEquals((int) sampleBits(77), ints.get(77));
            assertEquals(sampleBits(0), longs.get(0));
            assertEquals(1.25f, floats.get(5));
            assertEquals(0.625, doubles.get(5));
            IndexOutOfBoundsException e = assertThrows(IndexOutOfBoundsException.class, () -> floats.get(n));
            assertTrue(e.getMessage().contains("index=" + n) && e.getMessage().contains("size=" + n),
                    e.getMessage());
            assertThrows(IndexOutOfBoundsException.class, () -> shorts.get(-1));
            try (ResizableBuffer s = shorts.finish(); ResizableBuffer f = floats.finish();
                    ResizableBuffer d = doubles.finish()) {
                assertEquals(2L * n, s.size());
                assertEquals((2L * n + 63) & ~63L, s.capacity(), "shrunk to fit");
                short[] shortValues = new short[n];
                s.get(0, shortValues, 0, n);
                float[] floatValues = new float[n];
                f.get(0, floatValues, 0, n);
                double[] doubleValues = new double[n];
                d.get(0, doubleValues, 0, n);
                for (int i = 0; i < n; i++) {
                    assertEquals((short) sampleBits(i), shortValues[i]);
                    assertEquals(i / 4f, floatValues[i]);
                    assertEquals(i / 8.0, doubleValues[i]);
                }
            }
            assertEquals(0, shorts.length(), "finish empties the builder");
            assertEquals(0, shorts.capacity());
            shorts.reserve(1000);
            long reserved = shorts.capacity();
            assertTrue(reserved >= 1000, "reserved " + reserved);
            for (int i = 0; i < 1000; i++) {
                shorts.append((short) i);
            }
            assertEquals(reserved, shorts.capacity(), "appending what was reserved grew the builder");
            shorts.append((short) 1, (short) 2, (short) 3);
            assertEquals(3, shorts.get(1002));
            floats.append(0.5f, Float.NaN);
            assertTrue(Float.isNaN(floats.get(1)));
            assertThrows(IllegalArgumentException.class, () -> floats.reserve(-1));
            long before = pool.bytesAllocated();
            shorts.reset();
            assertEquals(0, shorts.length());
            assertTrue(pool.bytesAllocated() < before, "reset frees");
        }
    }
}
