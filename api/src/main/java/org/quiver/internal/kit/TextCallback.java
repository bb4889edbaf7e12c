package org.quiver.internal.kit;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * A C callback that collects the text a library prints through it (jemalloc's {@code malloc_stats_print} write
 * callback, mimalloc's {@code mi_output_fun}), for one call on the creating thread. Close it after the call.
 * The callback never throws into native code: a failure is kept and reported by {@link #text()}.
 */
public final class TextCallback implements AutoCloseable {

    /** Which argument carries the message. */
    public enum Order {
        /** {@code void (*)(void *opaque, const char *message)}: jemalloc. */
        OPAQUE_FIRST,
        /** {@code void (*)(const char *message, void *arg)}: mimalloc. */
        MESSAGE_FIRST
    }

    private static final MethodHandle APPEND;

    static {
        try {
            APPEND = MethodHandles.lookup().findVirtual(TextCallback.class, "append",
                    MethodType.methodType(void.class, MemorySegment.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final Arena arena = Arena.ofConfined();
    private final StringBuilder text = new StringBuilder();
    private final MemorySegment function;
    private RuntimeException failure;

    public TextCallback(Order order) {
        MethodHandle target = APPEND.bindTo(this);
        target = order == Order.OPAQUE_FIRST ? MethodHandles.dropArguments(target, 0, MemorySegment.class)
                : MethodHandles.dropArguments(target, 1, MemorySegment.class);
        function = Linker.nativeLinker().upcallStub(target,
                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.ADDRESS), arena);
    }

    /** The C function to pass. */
    public MemorySegment function() {
        return function;
    }

    private void append(MemorySegment message) {
        try {
            if (!message.equals(MemorySegment.NULL)) {
                text.append(message.reinterpret(Long.MAX_VALUE).getString(0));
            }
        } catch (RuntimeException | Error e) {
            if (failure == null) {
                failure = new IllegalStateException("reading a message the library printed failed", e);
            }
        }
    }

    /**
     * What the library printed.
     *
     * @throws IllegalStateException if reading a message failed
     */
    public String text() {
        if (failure != null) {
            throw failure;
        }
        return text.toString();
    }

    @Override
    public void close() {
        arena.close();
    }
}
