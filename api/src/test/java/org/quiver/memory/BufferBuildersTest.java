package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The byte builder and the typed builders, over a proxy of their own so that the teardown sees only their bytes. */
class BufferBuildersTest {

    private final MemoryPool pool = MemoryPool.proxy(MemoryPool.pool("libc"));

    @AfterEach
    void nothingLeft() {
        assertEquals(0, pool.bytesAllocated());
    }

    @Test
    void bufferBuilderAppendsReservesFinishesAndResets() {
        try (BufferBuilder b = new BufferBuilder(pool)) {
            b.reserve(10);
            assertTrue(b.capacity() >= 10);
            b.append(new byte[] {1, 2, 3}).appendByte((byte) 4).appendInt(0x08070605).appendLong(-1L)
                    .appendDouble(1.5).appendRepeated((byte) 9, 3);
            assertEquals(3 + 1 + 4 + 8 + 8 + 3, b.length());
            assertEquals(5, b.getByte(4));
            try (Buffer w = Buffer.wrap(new byte[] {7, 7})) {
                b.append(w);
            }
            try (ResizableBuffer r = b.finish()) {
                assertEquals(29, r.size());
                assertEquals(64, r.capacity(), "shrunk to fit, padded to 64");
                assertEquals(0x0807060504030201L, r.getLong(0));
                assertEquals(1.5, r.getDouble(16));
                assertEquals(7, r.getByte(28));
            }
            assertEquals(0, b.length(), "finish empties the builder");
            b.append(new byte[1000]);
            b.reset();
            assertEquals(0, b.length());
            assertEquals(0, pool.bytesAllocated(), "reset frees");
            try (ResizableBuffer empty = b.finish()) {
                assertEquals(0, empty.size());
            }
            assertThrows(IndexOutOfBoundsException.class, () -> b.getByte(0));
            assertThrows(IllegalArgumentException.class, () -> b.reserve(-1));
        }
    }

    @Test
    void typedBuildersAppendReadBackAndFinishAtTheirWidth() {
        try (IntBufferBuilder ints = new IntBufferBuilder(pool);
                LongBufferBuilder longs = new LongBufferBuilder(pool);
                DoubleBufferBuilder doubles = new DoubleBufferBuilder(pool)) {
            for (int i = 0; i < 1000; i++) {
                ints.append(i);
                longs.append(i * 1_000_000_000L);
                doubles.append(i / 2.0);
            }
            ints.append(-1, -2);
            assertEquals(1002, ints.length());
            assertEquals(999, ints.get(999));
            assertEquals(-2, ints.get(1001));
            assertEquals(999_000_000_000L, longs.get(999));
            assertEquals(499.5, doubles.get(999));
            assertThrows(IndexOutOfBoundsException.class, () -> ints.get(1002));
            try (ResizableBuffer r = ints.finish()) {
                assertEquals(4008, r.size());
                assertEquals(-2, r.getInt(4004));
            }
            try (ResizableBuffer r = longs.finish(); ResizableBuffer d = doubles.finish()) {
                assertEquals(8000, r.size());
                assertEquals(8000, d.size());
            }
        }
    }

    @Test
    void booleanBuilderPacksBitsLsbFirstAndCountsFalse() {
        try (BooleanBufferBuilder b = new BooleanBufferBuilder(pool)) {
            b.append(true, false, true, true, false, false, false, true, true); // 0b10001101, 0b1
            b.appendRepeated(false, 10);
            assertEquals(19, b.length());
            assertEquals(4 + 10, b.falseCount());
            assertTrue(b.get(0));
            assertFalse(b.get(1));
            assertTrue(b.get(8));
            assertFalse(b.get(18));
            assertThrows(IndexOutOfBoundsException.class, () -> b.get(19));
            try (ResizableBuffer r = b.finish()) {
                assertArrayEquals(new byte[] {(byte) 0b10001101, 0b1, 0}, r.toByteArray());
            }
            assertEquals(0, b.length());
            assertEquals(0, b.falseCount());
        }
    }
}
