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

    /** {@code auto} (the default), {@code true} or {@code false}: whether short calls are critical downcalls. */
    public static final String CRITICAL_PROPERTY = "quiver.downcalls.critical";

    private static final Decision CRITICAL = decideHere();

    /**
     * Whether the allocators' short calls are critical downcalls here, and why.
     *
     * @param critical whether {@link #shortCall()} asks for {@code Linker.Option.critical(false)}
     * @param reason   why, for diagnostics (the benchmarks' host report prints it)
     */
    public record Decision(boolean critical, String reason) {
    }

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
            try {
                return LINKER.downcallHandle(symbol.get(), descriptor, options);
            } catch (IllegalCallerException e) {
                // the handles are made here, so it is the API module that needs native access: say so
                throw new IllegalCallerException(NativeLibrary.nativeAccessDenied("org.quiver.api"), e);
            }
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
     * The options for a short call that neither blocks nor calls back into Java (an allocator's malloc and free of
     * small blocks): {@code Linker.Option.critical(false)}, which skips the thread-state transition and saves
     * 8-10 ns a call, except on an Intel CPU whose JVM runs with AVX-512 ({@code -XX:UseAVX=3}). There a critical
     * call enters the library's SSE code with the vector registers' upper halves still dirty from compiled Java
     * code (the ordinary transition clears them with {@code vzeroupper}), and every SSE instruction pays the
     * transition penalty: measured on a Xeon, a jemalloc pair took 310 ns critical and 69 ns ordinary. AMD cores
     * do not pay it (on an EPYC with {@code UseAVX=3}: mimalloc 12 ns critical, 20 ns ordinary). The system
     * property {@value #CRITICAL_PROPERTY} ({@code true}, {@code false}) overrides the choice for experiments.
     */
    public static Linker.Option[] shortCall() {
        return CRITICAL.critical() ? new Linker.Option[] {Linker.Option.critical(false)} : new Linker.Option[0];
    }

    /** Whether short calls are critical downcalls in this JVM, and why. */
    public static Decision criticalDecision() {
        return CRITICAL;
    }

    /**
     * The choice, from the setting, the CPU's vendor ({@code GenuineIntel}, {@code AuthenticAMD}, or {@code null}
     * where unknown), its flags ({@code /proc/cpuinfo}'s, or {@code null}) and the JVM's {@code UseAVX} (-1 where it
     * cannot be read), asked only for an Intel CPU with AVX-512: reading it costs about 10 ms.
     */
    static Decision decide(String setting, String vendor, String flags, java.util.function.IntSupplier useAvx) {
        String s = setting == null ? "auto" : setting.trim().toLowerCase(java.util.Locale.ROOT);
        switch (s) {
            case "true":
                return new Decision(true, CRITICAL_PROPERTY + "=true");
            case "false":
                return new Decision(false, CRITICAL_PROPERTY + "=false");
            case "auto":
                break;
            default:
                throw new IllegalArgumentException(CRITICAL_PROPERTY + " must be auto, true or false: " + setting);
        }
        if (!"GenuineIntel".equals(vendor)) {
            return new Decision(true, "critical: " + (vendor == null ? "CPU vendor unknown" : vendor) + " CPU");
        }
        if (flags != null && !java.util.List.of(flags.split("\\s+")).contains("avx512f")) {
            return new Decision(true, "critical: Intel CPU without AVX-512");
        }
        int avx = useAvx.getAsInt();
        if (avx >= 3 || avx < 0) {
            return new Decision(false, "ordinary: Intel CPU with AVX-512 and UseAVX=" + (avx < 0 ? "unknown" : avx)
                    + " (a critical call would run SSE code with dirty AVX-512 upper halves)");
        }
        return new Decision(true, "critical: Intel CPU with UseAVX=" + avx);
    }

    /**
     * This JVM's choice. A bad setting must not break every allocation: it is logged, with the values allowed, and
     * the automatic choice stands.
     */
    private static Decision decideHere() {
        String vendor = cpuInfo("vendor_id");
        String flags = cpuInfo("flags");
        try {
            return decide(System.getProperty(CRITICAL_PROPERTY, "auto"), vendor, flags, Downcalls::jvmUseAvx);
        } catch (IllegalArgumentException e) {
            System.getLogger("org.quiver.memory").log(System.Logger.Level.WARNING, e.getMessage()
                    + "; using auto");
            return decide("auto", vendor, flags, Downcalls::jvmUseAvx);
        }
    }

    /** The first {@code /proc/cpuinfo} line's value for {@code key}, or {@code null} where there is none. */
    private static String cpuInfo(String key) {
        java.nio.file.Path info = java.nio.file.Path.of("/proc/cpuinfo");
        try (var lines = java.nio.file.Files.lines(info)) {
            return lines.filter(l -> l.startsWith(key) && l.substring(key.length()).trim().startsWith(":"))
                    .map(l -> l.substring(l.indexOf(':') + 1).trim()).findFirst().orElse(null);
        } catch (java.io.IOException | RuntimeException e) {
            return null;
        }
    }

    /**
     * The JVM's {@code UseAVX}, through {@code HotSpotDiagnosticMXBean} found by reflection (the API imports no
     * {@code com.sun} package: inside OSGi the framework may not export it), or -1 where it cannot be read.
     */
    private static int jvmUseAvx() {
        try {
            Class<?> type = Class.forName("com.sun.management.HotSpotDiagnosticMXBean", true,
                    ClassLoader.getPlatformClassLoader());
            @SuppressWarnings({"unchecked", "rawtypes"})
            Object bean = java.lang.management.ManagementFactory.getPlatformMXBean((Class) type);
            Object option = type.getMethod("getVMOption", String.class).invoke(bean, "UseAVX");
            return Integer.parseInt(String.valueOf(option.getClass().getMethod("getValue").invoke(option)));
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            return -1;
        }
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
