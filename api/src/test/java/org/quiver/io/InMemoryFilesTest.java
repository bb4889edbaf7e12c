package org.quiver.io;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.util.IdentityHashMap;
import java.util.Map;

import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;
import org.quiver.io.testing.NativeFileContract;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/** The in-memory files (buffer reader, buffer output stream, fixed-size writer) under the file contract. */
class InMemoryFilesTest {

    /** Readers only: the output half of the contract does not apply. */
    abstract static class ReaderContract extends NativeFileContract {
        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class PoolBufferInput extends ReaderContract {
        @Override
        protected SequentialInput openInput(byte[] content) {
            try (ResizableBuffer b = pool().allocate(content.length)) {
                b.put(0, content, 0, content.length);
                return new BufferInput(b); // the reader keeps the memory alive
            }
        }
    }

    @Nested
    class ArrayBufferInput extends ReaderContract {
        @Override
        protected SequentialInput openInput(byte[] content) {
            return new BufferInput(Buffer.wrap(content));
        }
    }

    @Nested
    class GrowableOutput extends NativeFileContract {
        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return new BufferOutput(pool(), 1); // tiny: grows many times
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            try (Buffer b = ((BufferOutput) file).finish()) {
                return b.toByteArray();
            }
        }
    }

    @Nested
    class FixedSizeOutput extends NativeFileContract {
        private final Map<SequentialOutput, ResizableBuffer> targets = new IdentityHashMap<>();

        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            ResizableBuffer target = pool().allocate(expectedSize);
            FixedSizeBufferOutput w = new FixedSizeBufferOutput(target);
            targets.put(w, target);
            return w;
        }

        @Override
        protected byte[] written(SequentialOutput file) throws IOException {
            file.close();
            try (ResizableBuffer target = targets.remove(file)) {
                return target.toByteArray();
            }
        }

        @Override
        protected MemoryPool pool() {
            return MemoryPool.pool("libc");
        }

        @org.junit.jupiter.api.AfterEach
        void closeTargets() {
            targets.values().forEach(Buffer::close);
            targets.clear();
        }
    }

    @Test
    void bufferReaderSlicesAreZeroCopy() throws IOException {
        try (ResizableBuffer b = MemoryPool.defaultPool().allocate(100);
                BufferInput r = new BufferInput(b)) {
            b.setByte(10, (byte) 5);
            r.seek(10);
            try (Buffer s = r.readBuffer(10)) {
                assertEquals(b.address() + 10, s.address());
                assertEquals(5, s.getByte(0));
            }
        }
    }

    @Test
    void fixedSizeWriterRefusesOverflowWhole() throws IOException {
        try (ResizableBuffer b = MemoryPool.defaultPool().allocate(10);
                FixedSizeBufferOutput w = new FixedSizeBufferOutput(b)) {
            b.fill((byte) 0);
            w.write(new byte[] {1, 2, 3, 4, 5, 6, 7, 8});
            EOFException e = assertThrows(EOFException.class, () -> w.write(new byte[] {9, 9, 9}));
            assertTrue(e.getMessage().contains("position=8 length=3 size=10"), e.getMessage());
            assertEquals(0, b.getByte(8), "nothing of the refused write landed");
            w.writeAt(0, new byte[] {42}, 0, 1);
            assertEquals(42, b.getByte(0));
            assertEquals(8, w.tell());
            w.seek(9);
            w.write(new byte[] {7});
            assertEquals(7, b.getByte(9));
        }
        try (Buffer ro = Buffer.wrap(new byte[4]).slice(0, 4)) {
            assertThrows(UnsupportedOperationException.class, () -> new FixedSizeBufferOutput(ro));
        }
    }

    @Test
    void bufferOutputFinishHandsOverWithoutCopy() {
        MemoryPool pool = MemoryPool.pool("libc");
        long before = pool.bytesAllocated();
        BufferOutput out = new BufferOutput(pool);
        out.write(new byte[] {1, 2, 3}, 0, 3);
        try (ResizableBuffer result = out.finish()) {
            assertArrayEquals(new byte[] {1, 2, 3}, result.toByteArray());
            assertTrue(out.isClosed());
            assertThrows(IllegalStateException.class, out::finish);
        }
        out.close();
        assertEquals(before, pool.bytesAllocated());
        BufferOutput abandoned = new BufferOutput(pool);
        abandoned.write(new byte[100], 0, 100);
        abandoned.close();
        assertEquals(before, pool.bytesAllocated(), "closing without finish frees the buffer");
    }
}
