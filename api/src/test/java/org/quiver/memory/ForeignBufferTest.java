package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Proxy;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.io.BufferInput;
import org.quiver.io.BufferOutput;

/**
 * A {@link Buffer} that Quiver did not make (here a proxy forwarding every call to a wrapped array): it works
 * wherever a buffer is an argument, and what cannot take it refuses it by name.
 */
class ForeignBufferTest {

    private final MemoryPool pool = MemoryPool.proxy(MemoryPool.pool("libc"));

    @AfterEach
    void nothingLeft() {
        assertEquals(0, pool.bytesAllocated());
    }

    /** A buffer of the caller's own class, holding {@code bytes}. */
    private static Buffer foreign(byte[] bytes) {
        Buffer inside = Buffer.wrap(bytes);
        InvocationHandler forward = (proxy, method, args) -> {
            if (method.getName().equals("toString") && method.getParameterCount() == 0) {
                return "ForeignBuffer[" + inside.size() + "]";
            }
            try {
                return method.invoke(inside, args);
            } catch (InvocationTargetException e) {
                throw e.getCause();
            }
        };
        return (Buffer) Proxy.newProxyInstance(ForeignBufferTest.class.getClassLoader(), new Class<?>[] {Buffer.class},
                forward);
    }

    @Test
    void aPoolBufferCopiesFromItAndComparesEqualByContent() {
        Buffer mine = foreign(new byte[] {1, 2, 3, 4, 5});
        try (ResizableBuffer b = pool.allocate(5)) {
            b.put(0, mine, 0, 5);
            assertArrayEquals(new byte[] {1, 2, 3, 4, 5}, b.toByteArray());
            assertTrue(b.equals(mine), "same bytes, whoever made the buffer");
            b.setByte(4, (byte) 9);
            assertFalse(b.equals(mine));
            assertThrows(IndexOutOfBoundsException.class, () -> b.put(0, mine, 1, 5));
        }
    }

    @Test
    void reallocateRefusesItByName() {
        Buffer mine = foreign(new byte[8]);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> pool.reallocate(mine, 16));
        assertTrue(e.getMessage().contains("only a pool buffer can be reallocated"), e.getMessage());
        assertTrue(e.getMessage().contains("ForeignBuffer[8]"), e.getMessage());
    }

    @Test
    void inMemoryFilesReadAndWriteIt() throws Exception {
        Buffer mine = foreign("hello, arrow".getBytes(java.nio.charset.StandardCharsets.UTF_8));
        try (BufferInput in = new BufferInput(mine);
                Buffer word = in.readBufferAt(7, 5)) {
            assertArrayEquals("arrow".getBytes(java.nio.charset.StandardCharsets.UTF_8), word.toByteArray());
        }
        try (BufferOutput out = new BufferOutput(pool)) {
            out.write(mine, 0, mine.size());
            try (Buffer written = out.finish()) {
                assertNotSame(mine, written);
                assertTrue(written.equals(mine));
            }
        }
    }
}
