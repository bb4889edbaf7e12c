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
import java.util.List;
import java.util.function.Function;
import java.util.stream.Stream;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.memory.Buffer;
import org.quiver.memory.Device;
import org.quiver.memory.MemoryManager;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The contract of {@link Buffer}, run against every kind of buffer: pool buffers, mutable slices of them, and
 * wrapped arrays, heap and direct byte buffers and segments. Teardown asserts the pool has nothing left.
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
                b::hashCode, () -> b.equals(Buffer.wrap(new byte[1])),
                () -> b.view(MemoryManager.cpu(pool)));
        for (Runnable use : uses) {
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
}
