package org.quiver.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Path;

import org.quiver.memory.MemoryPool;

/**
 * The raw FFM allocate/free pair of each allocator a Quiver pool wraps, bound to the very library that pool
 * loaded, with the same 64-byte alignment: the floor a pool's allocate + close is compared with.
 */
public final class RawAllocator {

    private static final Linker LINKER = Linker.nativeLinker();

    /** How the allocate call takes its arguments. */
    private enum Kind { ALIGNMENT_FIRST, SIZE_FIRST, JEMALLOC }

    private final MethodHandle allocate;
    private final MethodHandle free;
    private final Kind kind;

    private RawAllocator(MethodHandle allocate, MethodHandle free, Kind kind) {
        this.allocate = allocate;
        this.free = free;
        this.kind = kind;
    }

    /** The pair for {@code backend}: {@code system} (glibc), {@code jemalloc} or {@code mimalloc}. */
    public static RawAllocator of(String backend) {
        return switch (backend) {
            case "system" -> {
                SymbolLookup libc = LINKER.defaultLookup();
                yield new RawAllocator(
                        LINKER.downcallHandle(libc.find("aligned_alloc").orElseThrow(),
                                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
                        LINKER.downcallHandle(libc.find("free").orElseThrow(),
                                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)), Kind.ALIGNMENT_FIRST);
            }
            case "jemalloc" -> {
                SymbolLookup je = library("jemalloc");
                yield new RawAllocator(
                        LINKER.downcallHandle(find(je, "je_mallocx", "mallocx"),
                                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)),
                        LINKER.downcallHandle(find(je, "je_sdallocx", "sdallocx"),
                                FunctionDescriptor.ofVoid(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT)),
                        Kind.JEMALLOC);
            }
            case "mimalloc" -> {
                SymbolLookup mi = library("mimalloc");
                yield new RawAllocator(
                        LINKER.downcallHandle(find(mi, "mi_malloc_aligned"),
                                FunctionDescriptor.of(ValueLayout.ADDRESS, ValueLayout.JAVA_LONG, ValueLayout.JAVA_LONG)),
                        LINKER.downcallHandle(find(mi, "mi_free"), FunctionDescriptor.ofVoid(ValueLayout.ADDRESS)),
                        Kind.SIZE_FIRST);
            }
            default -> throw new IllegalArgumentException("no raw allocator for " + backend);
        };
    }

    private static SymbolLookup library(String backend) {
        String path = MemoryPool.pool(backend).backendOptions().get("library");
        if (path == null) {
            throw new IllegalStateException(backend + " reports no library path: " + MemoryPool.pool(backend)
                    .backendOptions());
        }
        if (java.nio.file.Files.isRegularFile(Path.of(path))) {
            return SymbolLookup.libraryLookup(Path.of(path), Arena.global());
        }
        // loaded by name (or by the pool's class loader): the same process-wide copy
        return SymbolLookup.loaderLookup().or(SymbolLookup.libraryLookup(path, Arena.global()));
    }

    private static MemorySegment find(SymbolLookup lookup, String... names) {
        for (String n : names) {
            var s = lookup.find(n);
            if (s.isPresent()) {
                return s.get();
            }
        }
        throw new IllegalStateException("none of " + String.join(", ", names) + " in the library");
    }

    /** Allocates {@code size} bytes aligned to 64; returns the address. */
    public long allocate(long size) {
        try {
            MemorySegment p = switch (kind) {
                case ALIGNMENT_FIRST -> (MemorySegment) allocate.invokeExact(64L, size);
                case SIZE_FIRST -> (MemorySegment) allocate.invokeExact(size, 64L);
                case JEMALLOC -> (MemorySegment) allocate.invokeExact(size, 6); // MALLOCX_LG_ALIGN(6)
            };
            return p.address();
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** Frees what {@link #allocate} returned. */
    public void free(long address, long size) {
        try {
            if (kind == Kind.JEMALLOC) {
                free.invokeExact(MemorySegment.ofAddress(address), size, 6);
            } else {
                free.invokeExact(MemorySegment.ofAddress(address));
            }
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }
}
