package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.quiver.io.BufferOutput;
import org.quiver.io.BufferInput;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.FixedSizeBufferOutput;
import org.quiver.memory.testing.NullArgumentProbe;

/**
 * Every public method of the memory API, called with {@code null} for each reference argument in turn, fails at
 * the call with a {@link NullPointerException} that names the argument, never with the JDK's text about Quiver's
 * internals ("Cannot invoke ... because ...") or later, and leaves nothing allocated.
 */
class NullArgumentsTest {

    /** Methods that take null on purpose, by "Type.name". */
    private static final Set<String> NULL_ALLOWED = Set.of(
            "Object.equals",
            "MemoryPool.setDefault"); // null goes back to ranking, documented

    private final NullArgumentProbe probe = new NullArgumentProbe(this::sample);
    private final List<AutoCloseable> opened = new ArrayList<>();

    private Object sample(Class<?> type) {
        if (type == long.class) {
            return 1L;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == byte.class) {
            return (byte) 1;
        }
        if (type == boolean.class) {
            return false;
        }
        if (type == double.class) {
            return 1.0;
        }
        if (type == short.class) {
            return (short) 1;
        }
        if (type == char.class) {
            return 'a';
        }
        if (type == float.class) {
            return 1.0f;
        }
        if (type == ByteOrder.class) {
            return ByteOrder.BIG_ENDIAN;
        }
        if (type == byte[].class) {
            return new byte[64];
        }
        if (type == Buffer.class) {
            Buffer b = Buffer.wrap(new byte[64]);
            opened.add(b);
            return b;
        }
        if (type == MemoryPool.class) {
            return MemoryPool.pool("libc");
        }
        if (type == MemorySegment.class) {
            return Arena.ofAuto().allocate(64);
        }
        if (type == ByteBuffer.class) {
            return ByteBuffer.allocate(64);
        }
        if (type == Arena.class) {
            return Arena.ofAuto();
        }
        if (type == MemoryManager.class) {
            return Device.cpu().defaultMemoryManager();
        }
        if (type == String.class) {
            return "libc";
        }
        if (type == Runnable.class) {
            return (Runnable) () -> { };
        }
        if (type == Consumer.class) {
            return (Consumer<Object>) x -> { };
        }
        if (type == LeakDetection.Level.class) {
            return LeakDetection.Level.OFF;
        }
        if (type == java.net.URI.class) {
            return java.net.URI.create("file:///");
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == boolean[].class) {
            return new boolean[8];
        }
        if (type == short[].class) {
            return new short[8];
        }
        if (type == char[].class) {
            return new char[8];
        }
        if (type == float[].class) {
            return new float[8];
        }
        if (type == int[].class) {
            return new int[8];
        }
        if (type == long[].class) {
            return new long[8];
        }
        if (type == double[].class) {
            return new double[8];
        }
        return null; // a type this test does not know: the method is not probed
    }

    /** Calls every public method of {@code type} on a fresh receiver (null: the static ones) with each null. */
    private void probe(Class<?> type, Supplier<?> receiver) throws Exception {
        for (Method m : type.getMethods()) {
            boolean isStatic = Modifier.isStatic(m.getModifiers());
            if (isStatic != (receiver == null) || m.getDeclaringClass() == Object.class
                    || NULL_ALLOWED.contains(m.getDeclaringClass().getSimpleName() + "." + m.getName())
                    || m.getName().equals("equals")) {
                continue;
            }
            Object[] target = new Object[1];
            probe.probe(type.getSimpleName() + "." + m.getName(), m.getParameterTypes(), args -> {
                target[0] = receiver == null ? null : receiver.get();
                return m.invoke(target[0], args);
            }, () -> {
                if (target[0] instanceof AutoCloseable c) {
                    c.close();
                }
            });
        }
    }

    /** Calls every public constructor of {@code type} with each null. */
    private void probeConstructors(Class<?> type) throws Exception {
        for (java.lang.reflect.Constructor<?> c : type.getConstructors()) {
            probe.probe("new " + type.getSimpleName(), c.getParameterTypes(), c::newInstance, null);
        }
    }

    private <T extends AutoCloseable> Supplier<T> fresh(Supplier<T> make) {
        return make;
    }

    @Test
    void everyNullArgumentIsNamedAtTheCall() throws Exception {
        MemoryPool backend = MemoryPool.pool("libc");
        long before = backend.bytesAllocated();
        probe(Buffer.class, null);
        probe(MemoryPool.class, null);
        probe(QuiverFileSystem.class, null);
        probe(ResizableBuffer.class, fresh(() -> backend.allocate(64)));
        probe(Buffer.class, fresh(() -> Buffer.wrap(new byte[64])));
        probe(Buffer.class, () -> {
            ResizableBuffer parent = backend.allocate(64);
            Buffer slice = parent.slice(0, 32);
            parent.close();
            return slice;
        });
        probe(MemoryPool.class, () -> backend);
        probe(MemoryPool.class, () -> MemoryPool.capped(backend, 1 << 20));
        probe(BufferBuilder.class, fresh(() -> new BufferBuilder(backend)));
        probe(ShortBufferBuilder.class, fresh(() -> new ShortBufferBuilder(backend)));
        probe(IntBufferBuilder.class, fresh(() -> new IntBufferBuilder(backend)));
        probe(LongBufferBuilder.class, fresh(() -> new LongBufferBuilder(backend)));
        probe(FloatBufferBuilder.class, fresh(() -> new FloatBufferBuilder(backend)));
        probe(DoubleBufferBuilder.class, fresh(() -> new DoubleBufferBuilder(backend)));
        probe(BooleanBufferBuilder.class, fresh(() -> new BooleanBufferBuilder(backend)));
        probe(BufferInput.class, fresh(() -> new BufferInput(Buffer.wrap(new byte[64]))));
        probe(BufferOutput.class, fresh(() -> new BufferOutput(backend)));
        probe(FixedSizeBufferOutput.class, fresh(() -> new FixedSizeBufferOutput(Buffer.wrap(new byte[64]))));
        for (Class<?> type : List.of(BufferBuilder.class, ShortBufferBuilder.class, IntBufferBuilder.class,
                LongBufferBuilder.class, FloatBufferBuilder.class, DoubleBufferBuilder.class,
                BooleanBufferBuilder.class, BufferInput.class, BufferOutput.class, FixedSizeBufferOutput.class)) {
            probeConstructors(type);
        }
        for (AutoCloseable c : opened) {
            c.close();
        }
        probe.assertEveryArgumentNamed();
        assertEquals(before, backend.bytesAllocated(), "nothing left allocated");
    }

    /** Buffer is an interface anyone may implement: such a buffer is read through its own checked view. */
    @Test
    void aBufferOfAnotherImplementationIsCopiedThroughItsView() {
        try (Buffer real = Buffer.wrap(new byte[] {1, 2, 3, 4}); ResizableBuffer target = MemoryPool.pool("libc")
                .allocate(4)) {
            Buffer other = (Buffer) java.lang.reflect.Proxy.newProxyInstance(getClass().getClassLoader(),
                    new Class<?>[] {Buffer.class}, (proxy, method, args) -> method.invoke(real, args));
            target.put(0, other, 1, 3);
            assertEquals(2, target.getByte(0));
            assertEquals(4, target.getByte(2));
            IndexOutOfBoundsException e = org.junit.jupiter.api.Assertions.assertThrows(
                    IndexOutOfBoundsException.class, () -> target.put(0, other, 2, 3));
            assertTrue(e.getMessage().contains("offset=2 length=3 size=4"), e.getMessage());
        }
    }

    /** A segment of a closed arena is refused when it is wrapped, naming the cause, not at the first access. */
    @Test
    void aSegmentOfAClosedArenaIsRefusedAtWrap() {
        MemorySegment segment;
        try (Arena arena = Arena.ofConfined()) {
            segment = arena.allocate(64);
        }
        IllegalStateException e = org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class,
                () -> Buffer.wrap(segment));
        assertTrue(e.getMessage().contains("arena is already closed"), e.getMessage());
        org.junit.jupiter.api.Assertions.assertThrows(IllegalStateException.class, () -> Buffer.wrap(segment, () -> { }));
    }
}
