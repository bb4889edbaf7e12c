package org.quiver.internal.kit;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.Optional;
import java.util.Set;

/** Linking and calling native functions: what every module that makes downcalls needs. */
public final class Downcalls {

    private static final Linker LINKER = Linker.nativeLinker();

    private Downcalls() {
    }

    /**
     * Links {@code name} from {@code lookup}. A symbol the library does not define gives a handle of the same type
     * that throws {@link UnsatisfiedLinkError} naming it when called: a class binding many functions then loads
     * on every platform, and only what is really used and missing fails.
     *
     * @param library the library's name, for the message
     * @return the handle; {@link #isLinked(MethodHandle)} tells a stand-in for a missing symbol
     */
    public static MethodHandle link(SymbolLookup lookup, String library, String name, FunctionDescriptor descriptor,
            Linker.Option... options) {
        Optional<MemorySegment> symbol = lookup.find(name);
        if (symbol.isPresent()) {
            return LINKER.downcallHandle(symbol.get(), descriptor, options);
        }
        // The type a linked handle would have: the unbound one's, without its leading function address.
        MethodType type = LINKER.downcallHandle(descriptor, options).type().dropParameterTypes(0, 1);
        MethodHandle fail = MethodHandles.insertArguments(FAIL, 0, library + " has no " + name);
        MethodHandle missing = MethodHandles.foldArguments(
                MethodHandles.dropArguments(MethodHandles.zero(type.returnType()), 0, type.parameterList()),
                MethodHandles.dropArguments(fail, 0, type.parameterList()));
        MISSING.add(missing);
        return missing;
    }

    /** Whether {@code handle} calls a function (and is not the stand-in for a missing one). */
    public static boolean isLinked(MethodHandle handle) {
        return !MISSING.contains(handle);
    }

    private static final Set<MethodHandle> MISSING = Collections.newSetFromMap(
            Collections.synchronizedMap(new IdentityHashMap<>()));
    private static final MethodHandle FAIL;

    static {
        try {
            FAIL = MethodHandles.lookup().findStatic(Downcalls.class, "fail",
                    MethodType.methodType(void.class, String.class));
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private static void fail(String message) {
        throw new UnsatisfiedLinkError(message);
    }

    /**
     * Rethrows what a {@code MethodHandle.invokeExact} threw: unchecked exceptions and errors as they are, a
     * checked one (which no downcall declares) wrapped. Written {@code throw rethrow(t)} so that the compiler
     * knows the call does not return.
     */
    public static RuntimeException rethrow(Throwable t) {
        if (t instanceof RuntimeException r) {
            throw r;
        }
        if (t instanceof Error e) {
            throw e;
        }
        throw new IllegalStateException(t);
    }
}
