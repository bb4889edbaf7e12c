package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quiver.io.BufferOutput;
import org.quiver.io.BufferInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.BufferBuilder;
import org.quiver.memory.IntBufferBuilder;
import org.quiver.memory.MemoryPool;

/**
 * Inside a framework each static entry point that uses the default pool asks for the caller's view, naming the
 * class that called it (the OSGi glue maps that class to its bundle); outside one they ask nothing.
 */
class CallerAttributionTest {

    private final List<Class<?>> callers = new CopyOnWriteArrayList<>();
    private ConsumerPool view;

    @BeforeEach
    void attribute() {
        view = ConsumerPool.open(MemoryPool.defaultPool(), "caller test", Long.MAX_VALUE);
        Backends.attributeCallers(caller -> {
            callers.add(caller);
            return view;
        });
    }

    @AfterEach
    void stop() {
        Backends.attributeCallers(null);
        view.close();
    }

    @Test
    void everyEntryPointThatUsesTheDefaultPoolNamesItsCaller() throws IOException {
        assertSame(view, MemoryPool.defaultPool());
        try (Buffer a = Buffer.allocate(100)) {
            try (Buffer c = a.copy()) {
                assertEquals(2 * 128, view.bytesAllocated(), "Buffer.allocate and copy() count in the view");
            }
        }
        try (BufferBuilder b = new BufferBuilder()) {
            b.append(new byte[10]);
        }
        try (IntBufferBuilder b = new IntBufferBuilder()) {
            b.append(1);
        }
        try (BufferOutput out = new BufferOutput()) {
            out.write(new byte[] {1, 2, 3});
        }
        try (Buffer src = Buffer.wrap(new byte[16]); BufferInput r = new BufferInput(src);
                Buffer read = r.readBufferAt(0, 8)) {
            assertEquals(8, read.size());
        }
        assertEquals(0, view.bytesAllocated());
        assertEquals(List.of(CallerAttributionTest.class), callers.stream().distinct().toList(),
                "every entry point named this class");
        assertEquals(7, callers.size(), callers.toString());
    }

    @Test
    void outsideAFrameworkNothingIsAsked() {
        Backends.attributeCallers(null);
        assertSame(Backends.defaultPool(), MemoryPool.defaultPool());
        Buffer.allocate(10).close();
        assertEquals(List.of(), callers);
    }
}
