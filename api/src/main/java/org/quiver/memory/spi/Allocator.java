package org.quiver.memory.spi;

import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;

/**
 * A native allocator backend: the raw calls behind a memory pool.
 *
 * <p>An allocator is deliberately thin. It allocates, reallocates and frees blocks of native memory given
 * their size and alignment, and can return unused memory to the operating system. Everything else (argument
 * checks, padding, accounting, limits, leak detection) happens once, in the pool that wraps it. A pool always
 * calls {@link #free} and {@link #reallocate} with the exact size and alignment the block was allocated with,
 * so an allocator may use sized deallocation.
 *
 * <p>Backends are published as services: through {@code provides org.quiver.memory.spi.Allocator with ...} on
 * the module path (and {@code META-INF/services} on the class path), or as an OSGi service whose
 * {@code service.ranking} property overrides {@link #ranking()}. The best-ranked available allocator serves
 * {@link org.quiver.memory.MemoryPool#defaultPool()}.
 *
 * <p>Threading: every method may be called from many threads at once.
 *
 * @since 1.0
 */
@ConsumerType
public interface Allocator {

    /** The backend's name, lower case ({@code "system"}, {@code "jemalloc"}, {@code "mimalloc"}). */
    String name();

    /**
     * This backend's ranking when no service property gives one; higher wins. Quiver's own backends rank
     * {@code system} 100, {@code jemalloc} 200 and {@code mimalloc} 300 (Arrow's default order); a backend meant to
     * serve the default pool instead ranks above 300.
     *
     * @return the ranking; 100, the system allocator's, unless overridden
     */
    default int ranking() {
        return 100;
    }

    /**
     * Why this backend cannot allocate here (library not found, wrong platform, ...), or {@code null} when it
     * can. An unavailable backend is listed with this reason and never chosen.
     *
     * @return the reason, or {@code null} when available
     */
    default String unavailableReason() {
        return null;
    }

    /**
     * Allocates {@code size} bytes aligned to {@code alignment}.
     *
     * @param size      bytes, at least 1 (the pool never asks for 0)
     * @param alignment a power of two, at least 1
     * @return the address of the block, or {@code 0} when the memory is not available
     */
    long allocate(long size, long alignment);

    /**
     * Resizes a block, moving it when it cannot grow or shrink in place. The first
     * {@code min(oldSize, newSize)} bytes are preserved and the alignment is kept.
     *
     * @param address   a block from this allocator
     * @param oldSize   its current size
     * @param newSize   the new size, at least 1
     * @param alignment the alignment it was allocated with
     * @return the (possibly new) address, or {@code 0} when the memory is not available, in which case the old
     *         block is untouched and still owned by the caller
     */
    long reallocate(long address, long oldSize, long newSize, long alignment);

    /**
     * Frees a block.
     *
     * @param address   a block from this allocator
     * @param size      the size it was allocated (or last reallocated) with
     * @param alignment the alignment it was allocated with
     */
    void free(long address, long size, long alignment);

    /** Returns memory this allocator keeps but no longer uses to the operating system, where it can. */
    default void releaseUnused() {
    }

    /**
     * The allocator's own report of its state, as its library writes it (jemalloc's {@code malloc_stats_print},
     * mimalloc's {@code mi_stats_print_out}, glibc's {@code malloc_info}), or an empty string when it has none.
     * It may take milliseconds; it allocates nothing through this allocator.
     *
     * @since 1.1
     */
    default String statistics() {
        return "";
    }

    /** {@link #unmapsFreedBlocksFrom()}: the allocator does not say; Quiver then guards blocks from 1 MiB. */
    long UNMAPS_UNKNOWN = -1;

    /**
     * The smallest block, counted as its size plus its alignment, that this allocator may unmap (or otherwise make
     * inaccessible) once it is freed, while the allocator is open: at the free, later, or in {@link #releaseUnused()}.
     * A thread that still reads or writes such a block (racing its close, or through a view kept past it) would
     * fault and crash the JVM, so at {@link org.quiver.memory.CloseSafety#LARGE} Quiver guards every block from
     * this size. An allocator that keeps freed memory mapped (it may give the pages back to the kernel, so that
     * they read as zeros) answers {@link Long#MAX_VALUE}; one that may unmap any block answers 0.
     *
     * @return a size in bytes, {@link Long#MAX_VALUE}, or {@link #UNMAPS_UNKNOWN} (the default)
     * @since 1.1
     */
    default long unmapsFreedBlocksFrom() {
        return UNMAPS_UNKNOWN;
    }

    /**
     * The backend's tuning options and facts about it (library path, version), by name. Unknown values are
     * {@code "-1"}.
     *
     * @return an immutable map, empty when the backend has none
     * @since 1.0
     */
    default Map<String, String> options() {
        return Map.of();
    }

    /**
     * Sets a tuning option (jemalloc's {@code dirty_decay_ms}, a mimalloc option, ...) while the allocator runs.
     *
     * @param name  an option {@link #options()} lists as settable
     * @param value its new value
     * @throws IllegalArgumentException if the option is unknown, read-only, or the value is not valid for it
     * @since 1.0
     */
    default void setOption(String name, String value) {
        throw new IllegalArgumentException("allocator '" + name() + "' has no settable options: name=" + name
                + " value=" + value);
    }

    /**
     * Called once, after the allocator was unregistered (its bundle stopped, its registration closed) and the
     * last block it allocated was freed. Nothing is allocated, reallocated or freed through it afterwards.
     *
     * <p>An allocator must not unload a native allocator library here: jemalloc and mimalloc register
     * thread-exit destructors, and unmapping their code crashes the JVM at the next thread exit (measured).
     *
     * @since 1.0
     */
    default void close() {
    }
}
