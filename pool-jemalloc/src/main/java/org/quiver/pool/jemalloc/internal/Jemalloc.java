package org.quiver.pool.jemalloc.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Locale;

import org.quiver.internal.kit.Downcalls;
import org.quiver.internal.kit.NativeLibrary;

/**
 * The jemalloc functions, bound once per library.
 *
 * <p>Where the library comes from, in order: a path the user configured; inside OSGi, the build the framework
 * picked from {@code Bundle-NativeCode} ({@link System#loadLibrary}); otherwise the build for this platform,
 * copied out of the jar into a folder named by its SHA-256 (so every JVM and every bundle revision shares one
 * copy) and opened by path. Never by name: LWJGL's build has the SONAME {@code libjemalloc.so.2}, the same as
 * the operating system's jemalloc, which cannot be loaded into a running JVM.
 */
final class Jemalloc {

    /** From this size on, calls may take long (mmap, page purges): not "critical" downcalls. */
    static final long LARGE = 1L << 20;
    private static final int EFAULT = 14;

    final String library;
    /** Whether this is the build inside the bundle or jar (not one configured by path). */
    final boolean bundled;
    /** Whether the library has free_sized, which jemalloc gained after 5.3.0. */
    final boolean hasFreeSized;
    final MethodHandle mallocxFast;
    final MethodHandle mallocx;
    final MethodHandle rallocx;
    final MethodHandle xallocx;
    final MethodHandle sdallocxFast;
    final MethodHandle sdallocx;
    final MethodHandle nallocx;
    final MethodHandle sallocx;
    private final MethodHandle mallctl;
    /** {@code malloc_stats_print(write_cb, opaque, opts)}: calls back into Java, so never critical. */
    final MethodHandle statsPrint;

    private Jemalloc(NativeLibrary lib, boolean bundled) {
        this.library = lib.name();
        this.bundled = bundled;
        this.hasFreeSized = lib.find("je_free_sized", "free_sized").isPresent();
        Linker linker = Linker.nativeLinker();
        var ptr = ValueLayout.ADDRESS;
        var sizeT = ValueLayout.JAVA_LONG;
        var i32 = ValueLayout.JAVA_INT;
        // critical where that is fast on this CPU and JVM: Downcalls.shortCall() says why not elsewhere
        Linker.Option[] critical = Downcalls.shortCall();
        MemorySegment mallocxSym = lib.require("je_mallocx", "mallocx");
        MemorySegment sdallocxSym = lib.require("je_sdallocx", "sdallocx");
        FunctionDescriptor allocDesc = FunctionDescriptor.of(ptr, sizeT, i32);
        FunctionDescriptor freeDesc = FunctionDescriptor.ofVoid(ptr, sizeT, i32);
        this.mallocxFast = linker.downcallHandle(mallocxSym, allocDesc, critical);
        this.mallocx = linker.downcallHandle(mallocxSym, allocDesc);
        this.sdallocxFast = linker.downcallHandle(sdallocxSym, freeDesc, critical);
        this.sdallocx = linker.downcallHandle(sdallocxSym, freeDesc);
        this.rallocx = linker.downcallHandle(lib.require("je_rallocx", "rallocx"),
                FunctionDescriptor.of(ptr, ptr, sizeT, i32));
        this.xallocx = linker.downcallHandle(lib.require("je_xallocx", "xallocx"),
                FunctionDescriptor.of(sizeT, ptr, sizeT, sizeT, i32));
        this.nallocx = linker.downcallHandle(lib.require("je_nallocx", "nallocx"),
                FunctionDescriptor.of(sizeT, sizeT, i32), critical);
        this.sallocx = linker.downcallHandle(lib.require("je_sallocx", "sallocx"),
                FunctionDescriptor.of(sizeT, ptr, i32), critical);
        this.mallctl = linker.downcallHandle(lib.require("je_mallctl", "mallctl"),
                FunctionDescriptor.of(i32, ptr, ptr, ptr, ptr, sizeT));
        this.statsPrint = linker.downcallHandle(lib.require("je_malloc_stats_print", "malloc_stats_print"),
                FunctionDescriptor.ofVoid(ptr, ptr, ptr));
    }

    static Jemalloc load(String configuredPath, boolean osgi) {
        if (configuredPath != null) {
            return new Jemalloc(openConfigured(Path.of(configuredPath)), false);
        }
        if (osgi) {
            try {
                // Bundle-NativeCode: the framework picked and extracted the build for this platform.
                System.loadLibrary("jemalloc");
                return new Jemalloc(NativeLibrary.loaded(java.lang.foreign.SymbolLookup.loaderLookup(), "je_mallocx"),
                        true);
            } catch (UnsatisfiedLinkError e) {
                // No clause for this platform, or the same file is loaded by an older revision's class loader
                // (a JNI rule that does not apply to a library opened by path): use the bundled copy by path.
            }
        }
        return new Jemalloc(NativeLibrary.open(bundled()), true);
    }

    private static NativeLibrary openConfigured(Path path) {
        if (!Files.isRegularFile(path)) {
            throw new UnsatisfiedLinkError("jemalloc library " + path + " (" + JemallocAllocator.PREFIX
                    + "library) does not exist or is not a file");
        }
        try {
            return NativeLibrary.open(path);
        } catch (UnsatisfiedLinkError e) {
            String message = e.getMessage();
            if (message != null && message.contains("static TLS")) {
                throw new UnsatisfiedLinkError(message + ". This jemalloc was built with initial-exec TLS (as "
                        + "Debian's libjemalloc2 is), which cannot be loaded into a running JVM. Start the JVM with "
                        + "GLIBC_TUNABLES=glibc.rtld.optional_static_tls=4096 or LD_PRELOAD=" + path
                        + " in its environment, or remove " + JemallocAllocator.PREFIX + "library to use the jemalloc "
                        + "bundled with org.quiver.pool.jemalloc (built with dynamic TLS)");
            }
            throw e;
        }
    }

    /** The bundled build for this platform, copied to a file (once per content). */
    static Path bundled() {
        String resource = platformFolder() + "/org/lwjgl/jemalloc/" + System.mapLibraryName("jemalloc");
        byte[] bytes;
        try (InputStream in = Jemalloc.class.getResourceAsStream("/" + resource)) {
            if (in == null) {
                throw new UnsatisfiedLinkError("no bundled jemalloc for os.name=" + System.getProperty("os.name")
                        + " os.arch=" + System.getProperty("os.arch") + " (looked for " + resource + "); set "
                        + JemallocAllocator.PREFIX + "library to a jemalloc built with dynamic TLS");
            }
            bytes = in.readAllBytes();
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("cannot read the bundled jemalloc " + resource + ": " + e);
        }
        String hash = sha256(bytes);
        Path dir = nativeDir().resolve(hash.substring(0, 16));
        Path file = dir.resolve(System.mapLibraryName("jemalloc"));
        try {
            if (Files.isRegularFile(file) && sha256(Files.readAllBytes(file)).equals(hash)) {
                return file;
            }
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "jemalloc", ".tmp");
            try {
                Files.write(tmp, bytes);
                Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
            return file;
        } catch (IOException e) {
            throw new UnsatisfiedLinkError("cannot copy the bundled jemalloc to " + file + ": " + e
                    + " (set quiver.native.dir to a writable folder)");
        }
    }

    private static Path nativeDir() {
        String dir = System.getProperty("quiver.native.dir");
        if (dir != null && !dir.isBlank()) {
            return Path.of(dir);
        }
        return Path.of(System.getProperty("java.io.tmpdir"), "quiver-native-" + System.getProperty("user.name", "user"));
    }

    /** LWJGL's folder for this platform: {@code linux/x64}, {@code macos/arm64}, {@code windows/x86} ... */
    static String platformFolder() {
        String os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        String arch = System.getProperty("os.arch", "").toLowerCase(Locale.ROOT);
        String o = os.startsWith("linux") ? "linux" : os.startsWith("mac") ? "macos"
                : os.startsWith("windows") ? "windows" : os.startsWith("freebsd") ? "freebsd" : os;
        String a = switch (arch) {
            case "amd64", "x86_64", "x64" -> "x64";
            case "aarch64", "arm64" -> "arm64";
            case "arm", "armv7", "armv7l", "arm32" -> "arm32";
            case "x86", "i386", "i486", "i586", "i686" -> "x86";
            default -> arch;
        };
        return o + "/" + a;
    }

    private static String sha256(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /**
     * The bundled build's origin: LWJGL's version (written at build time) and the jemalloc git commit LWJGL built
     * ({@code META-INF/<platform>/org/lwjgl/jemalloc/<library>.git} in LWJGL's jar, kept in ours), or null when a
     * part is missing.
     */
    static String bundledBuild() {
        String lwjgl = null;
        try (InputStream in = Jemalloc.class.getResourceAsStream("bundled-jemalloc.properties")) {
            if (in != null) {
                java.util.Properties p = new java.util.Properties();
                p.load(in);
                lwjgl = p.getProperty("lwjgl.version");
            }
        } catch (IOException e) {
            return null;
        }
        String commit = null;
        String resource = "/META-INF/" + platformFolder() + "/org/lwjgl/jemalloc/" + System.mapLibraryName("jemalloc")
                + ".git";
        try (InputStream in = Jemalloc.class.getResourceAsStream(resource)) {
            if (in != null) {
                commit = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.US_ASCII).strip();
            }
        } catch (IOException e) {
            return null;
        }
        return lwjgl == null || commit == null || commit.isEmpty() ? null
                : "LWJGL " + lwjgl + "'s build of jemalloc git commit " + commit;
    }

    // ---- mallctl ------------------------------------------------------------------------------------------------

    String version() {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.ADDRESS);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_LONG);
            len.set(ValueLayout.JAVA_LONG, 0, ValueLayout.ADDRESS.byteSize());
            if (call(arena, "version", out, len, MemorySegment.NULL, 0) != 0) {
                return "-1";
            }
            return out.get(ValueLayout.ADDRESS, 0).reinterpret(256).getString(0);
        }
    }

    long mallctlReadLong(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_LONG);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_LONG);
            len.set(ValueLayout.JAVA_LONG, 0, 8);
            return call(arena, name, out, len, MemorySegment.NULL, 0) == 0 ? out.get(ValueLayout.JAVA_LONG, 0) : -1;
        }
    }

    /** A value jemalloc declares {@code bool}: one byte; null when jemalloc does not know the name. */
    Boolean mallctlReadBoolean(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_BYTE);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_LONG);
            len.set(ValueLayout.JAVA_LONG, 0, 1);
            return call(arena, name, out, len, MemorySegment.NULL, 0) == 0 ? out.get(ValueLayout.JAVA_BYTE, 0) != 0
                    : null;
        }
    }

    /** A value jemalloc declares {@code unsigned}: the length must be 4, or mallctl answers EINVAL. */
    int mallctlReadUnsigned(String name) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment out = arena.allocate(ValueLayout.JAVA_INT);
            MemorySegment len = arena.allocate(ValueLayout.JAVA_LONG);
            len.set(ValueLayout.JAVA_LONG, 0, 4);
            return call(arena, name, out, len, MemorySegment.NULL, 0) == 0 ? out.get(ValueLayout.JAVA_INT, 0) : -1;
        }
    }

    void mallctlWriteLong(String name, long value) {
        mallctlWriteLong(name, value, false);
    }

    /** As {@link #mallctlWriteLong(String, long)}; an arena that does not exist (EFAULT) is no error. */
    void mallctlWriteLongIfExists(String name, long value) {
        mallctlWriteLong(name, value, true);
    }

    private void mallctlWriteLong(String name, long value, boolean mayBeMissing) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment in = arena.allocate(ValueLayout.JAVA_LONG);
            in.set(ValueLayout.JAVA_LONG, 0, value);
            int rc = call(arena, name, MemorySegment.NULL, MemorySegment.NULL, in, 8);
            if (rc != 0 && !(mayBeMissing && rc == EFAULT)) {
                throw new IllegalArgumentException("jemalloc mallctl(\"" + name + "\") refused value=" + value
                        + " (error " + rc + ")");
            }
        }
    }

    void mallctlVoid(String name) {
        try (Arena arena = Arena.ofConfined()) {
            int rc = call(arena, name, MemorySegment.NULL, MemorySegment.NULL, MemorySegment.NULL, 0);
            if (rc != 0) {
                throw new IllegalStateException("jemalloc mallctl(\"" + name + "\") failed with error " + rc);
            }
        }
    }

    private int call(Arena arena, String name, MemorySegment oldp, MemorySegment oldlenp, MemorySegment newp,
            long newlen) {
        try {
            return (int) mallctl.invokeExact(arena.allocateFrom(name), oldp, oldlenp, newp, newlen);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

}
