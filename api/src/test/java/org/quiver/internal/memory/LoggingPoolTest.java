package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/** pyarrow's logging_memory_pool prints every call; Quiver's does too, and lets the user send it elsewhere. */
class LoggingPoolTest {

    @Test
    void printsEveryCallOnStandardOutputByDefault() {
        PrintStream out = System.out;
        ByteArrayOutputStream captured = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(captured, true, StandardCharsets.UTF_8));
            MemoryPool pool = MemoryPool.logging(MemoryPool.pool("libc"));
            try (ResizableBuffer b = pool.allocate(100)) {
                b.resize(5000);
            }
        } finally {
            System.setOut(out);
        }
        List<String> lines = captured.toString(StandardCharsets.UTF_8).lines().toList();
        assertEquals(3, lines.size(), lines.toString());
        assertTrue(lines.get(0).matches("allocate: size=128 alignment=64 address=0x\\p{XDigit}+ backend=libc"),
                lines.get(0));
        assertTrue(lines.get(1).startsWith("reallocate: oldSize=128 newSize=5056 alignment=64"), lines.get(1));
        assertTrue(lines.get(2).matches("free: size=5056 alignment=64 address=0x\\p{XDigit}+ backend=libc"),
                lines.get(2));
    }

    @Test
    void sendsTheLinesWhereTheUserSays() {
        List<String> lines = new CopyOnWriteArrayList<>();
        MemoryPool.logging(MemoryPool.pool("libc"), lines::add).allocate(1).close();
        assertEquals(2, lines.size(), lines.toString());
        NullPointerException e = assertThrows(NullPointerException.class,
                () -> MemoryPool.logging(MemoryPool.pool("libc"), null));
        assertEquals("sink", e.getMessage());
    }
}
