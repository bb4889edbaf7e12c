package org.quiver.internal.kit;

import java.io.IOException;
import java.util.Objects;

import org.quiver.io.SequentialInput;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/** The read loop for sources of unknown size, shared by the API's streams and the IO providers'. */
public final class ReadLoops {

    private ReadLoops() {
    }

    /**
     * Reads up to {@code length} bytes of a source of unknown size into a pool buffer: starts small and doubles,
     * so asking for far more than the source holds does not allocate it. Shorter only at the end.
     */
    public static ResizableBuffer readBuffer(SequentialInput source, long length, MemoryPool pool)
            throws IOException {
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        long capacity = Math.min(length, 64 << 10);
        ResizableBuffer buffer = pool.allocate(capacity);
        try {
            long n = 0;
            while (n < length) {
                if (n == capacity) {
                    capacity = Math.min(length, capacity * 2);
                    buffer.resize(capacity, false);
                }
                long r = source.read(buffer, n, capacity - n);
                if (r < 0) {
                    break;
                }
                n += r;
            }
            if (n != capacity) {
                buffer.resize(n, true);
            }
            return buffer;
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }
}
