package org.quiver.internal.kit;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.nio.file.Path;
import java.util.Objects;
import java.util.Optional;

/**
 * A native allocator library, opened for the life of the JVM, for allocator modules.
 *
 * <p>Compared with {@link SymbolLookup#libraryLookup(Path, Arena)}: when a library cannot be opened, the JDK
 * says only "Cannot open library"; this class asks the dynamic linker again and reports its own message
 * ({@code cannot allocate memory in static TLS block}, {@code wrong ELF class}, a missing dependency ...),
 * which is what a user needs to fix the problem.
 *
 * <p>An allocator library is never unloaded. jemalloc and mimalloc register thread-exit destructors
 * ({@code pthread_key_create}); once their code is unmapped, the next thread that exits jumps into it and the
 * JVM crashes (measured with both, on JDK 25 and glibc 2.36). So libraries are opened in the global arena, and
 * {@link #pin(MemorySegment)} keeps a library that a class loader loaded (an OSGi bundle's
 * {@code Bundle-NativeCode}) mapped after that class loader is collected.
 *
 * {@snippet :
 * NativeLibrary jemalloc = NativeLibrary.open(Path.of("/opt/jemalloc/lib/libjemalloc.so.2"));
 * MemorySegment mallocx = jemalloc.find("je_mallocx", "mallocx").orElseThrow();
 * }
 *
 */
public final class NativeLibrary {

    private final String name;
    private final SymbolLookup lookup;

    private NativeLibrary(String name, SymbolLookup lookup) {
        this.name = name;
        this.lookup = lookup;
    }

    /**
     * Opens a library by path (never unloaded).
     *
     * @param path the library file
     * @return the library
     * @throws UnsatisfiedLinkError with the dynamic linker's own explanation when it cannot be opened
     */
    public static NativeLibrary open(Path path) {
        Objects.requireNonNull(path, "path");
        Path absolute = path.toAbsolutePath().normalize();
        try {
            return new NativeLibrary(absolute.toString(), SymbolLookup.libraryLookup(absolute, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot open " + absolute + ": " + linkerError(absolute.toString()));
        }
    }

    /**
     * Opens a library by the name the dynamic linker searches for ({@code libmimalloc.so.2}), never unloaded.
     *
     * @param fileName a file name without directory
     * @return the library
     * @throws UnsatisfiedLinkError with the dynamic linker's own explanation when it cannot be opened
     */
    public static NativeLibrary openByName(String fileName) {
        Objects.requireNonNull(fileName, "fileName");
        try {
            return new NativeLibrary(fileName, SymbolLookup.libraryLookup(fileName, Arena.global()));
        } catch (IllegalArgumentException e) {
            throw new UnsatisfiedLinkError("cannot open " + fileName + ": " + linkerError(fileName));
        }
    }

    /**
     * A library already loaded by a class loader ({@link System#loadLibrary}), seen through {@code lookup};
     * pinned so that it stays mapped when that class loader is collected.
     *
     * @param lookup usually {@link SymbolLookup#loaderLookup()} of the class that loaded it
     * @param symbol a symbol the library defines, to find it by
     * @return the library
     * @throws UnsatisfiedLinkError if the symbol is not found
     */
    public static NativeLibrary loaded(SymbolLookup lookup, String symbol) {
        MemorySegment s = lookup.find(symbol)
                .orElseThrow(() -> new UnsatisfiedLinkError("symbol " + symbol + " not found in the loaded library"));
        String file = pin(s);
        return new NativeLibrary(file == null ? "(loaded by a class loader)" : file, lookup);
    }

    /**
     * Keeps the library that defines {@code symbol} mapped for the life of the JVM.
     *
     * @param symbol an address inside the library
     * @return the library's file, or {@code null} where the platform cannot tell (the library then stays
     *         mapped only as long as whoever loaded it keeps it)
     */
    public static String pin(MemorySegment symbol) {
        String file = fileOf(symbol);
        if (file != null) {
            try {
                SymbolLookup.libraryLookup(Path.of(file), Arena.global());
            } catch (IllegalArgumentException e) {
                return null;
            }
        }
        return file;
    }

    /**
     * What to tell a user when a restricted call of an allocator module failed with
     * {@link IllegalCallerException}: which flag to add.
     *
     * @param module the allocator's module name ({@code org.quiver.pool.jemalloc})
     * @return the reason, for {@code Allocator.unavailableReason()}
     */
    public static String nativeAccessDenied(String module) {
        return "native access is not enabled for " + module + ": add --enable-native-access=" + module
                + " (module path) or ALL-UNNAMED (class path, OSGi)";
    }

    /** The path or name it was opened by. */
    public String name() {
        return name;
    }

    /**
     * The first of {@code names} the library defines (a prefixed name first, {@code je_mallocx}, then the
     * plain one, for builds without the prefix).
     *
     * @param names symbol names, in order of preference
     * @return the symbol's address, or empty when none is defined
     */
    public Optional<MemorySegment> find(String... names) {
        for (String n : names) {
            Optional<MemorySegment> s = lookup.find(n);
            if (s.isPresent()) {
                return s;
            }
        }
        return Optional.empty();
    }

    /**
     * The first of {@code names} the library defines, or an error naming them and the library.
     *
     * @param names symbol names, in order of preference
     * @return the symbol's address
     * @throws UnsatisfiedLinkError if none is defined
     */
    public MemorySegment require(String... names) {
        return find(names).orElseThrow(() -> new UnsatisfiedLinkError(
                "none of " + String.join(", ", names) + " is defined by " + name));
    }

    @Override
    public String toString() {
        return "NativeLibrary[" + name + "]";
    }

    // ---- the dynamic linker -----------------------------------------------------------------------------------

    /** What {@code dlopen} says about {@code file}: the cause the JDK's "Cannot open library" hides. */
    static String linkerError(String file) {
        try {
            if (!Libc.dlopen(file).equals(MemorySegment.NULL)) {
                // Opened after all (and left open: an allocator library must never be unloaded).
                return "the dynamic linker opens it now, but it could not be opened before";
            }
            String message = Libc.dlerror();
            return message == null ? "the dynamic linker gave no reason" : message;
        } catch (RuntimeException | LinkageError t) {
            return "the dynamic linker gave no reason (" + t + ")";
        }
    }

    private static String fileOf(MemorySegment symbol) {
        try {
            return Libc.dladdrFile(symbol);
        } catch (RuntimeException | LinkageError t) {
            return null;
        }
    }
}
