package org.quiver.memory;

import java.io.IOException;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.CappedPool;
import org.quiver.internal.memory.LoggingPool;
import org.quiver.internal.memory.ProxyPool;

/**
 * A source of native memory with exact accounting: Arrow's {@code MemoryPool}.
 *
 * <p>A pool allocates {@link Buffer}s of native memory. By default a buffer is aligned to 64 bytes and its
 * capacity is the requested size rounded up to a multiple of 64; the padding is zeroed, the requested bytes
 * are not. Closing the buffer (and every slice of it) returns the memory to the allocator that allocated it.
 * The pool counts what is outstanding ({@link #bytesAllocated()}), the peak ({@link #peakBytesAllocated()}), every byte
 * ever allocated and the number of allocations; {@link #bytesAllocatedInAllPools()} adds up all pools.
 *
 * <p>Compared with {@link java.lang.foreign.Arena}: an arena frees all its segments at once and a shared arena
 * costs microseconds to close; a pool frees each buffer on its own in tens of nanoseconds, from any thread, and
 * accounts for it.
 *
 * <p>Backends ({@code system}, {@code jemalloc}, {@code mimalloc}) are plug-ins. {@link #defaultPool()} follows
 * the best-ranked available backend while the platform runs; an override comes from, in order, a call to
 * {@link #setDefault(String)}, the system property {@code quiver.memory.pool}, the environment variable
 * {@code QUIVER_DEFAULT_MEMORY_POOL}.
 *
 * {@snippet :
 * MemoryPool pool = MemoryPool.defaultPool();
 * try (ResizableBuffer buffer = pool.allocate(1024)) {
 *     buffer.setLong(0, 42L);
 *     try (Buffer head = buffer.slice(0, 8)) {          // zero-copy
 *         System.out.println(head.toHex());
 *     }
 * }                                                   // memory returned here
 * System.out.println(pool.bytesAllocated());          // 0
 * }
 *
 * @since 1.0
 */
@ProviderType
public interface MemoryPool {

    /** The default alignment and padding of buffers, in bytes, as the Arrow format recommends. */
    long DEFAULT_ALIGNMENT = 64;

    /**
     * Allocates a buffer of {@code size} bytes with the default 64-byte alignment.
     *
     * @param size bytes, 0 or more
     * @return a new mutable, resizable buffer owned by the caller
     * @throws IllegalArgumentException if {@code size} is negative
     * @throws OutOfMemoryException     if the allocator has no memory for it
     * @throws MemoryLimitExceededException if a limit on this pool would be exceeded
     */
    default ResizableBuffer allocate(long size) {
        return allocate(size, DEFAULT_ALIGNMENT);
    }

    /**
     * Allocates a buffer of {@code size} bytes aligned to {@code alignment}.
     *
     * @param size      bytes, 0 or more
     * @param alignment a power of two from 1 to 2^30
     * @return a new mutable, resizable buffer owned by the caller
     * @throws IllegalArgumentException if {@code size} is negative or {@code alignment} is not a power of two
     * @throws OutOfMemoryException     if the allocator has no memory for it
     * @throws MemoryLimitExceededException if a limit on this pool would be exceeded
     */
    ResizableBuffer allocate(long size, long alignment);

    /**
     * Resizes a buffer allocated by a pool, keeping its alignment and the first {@code min(size, newSize)}
     * bytes; the same as {@link ResizableBuffer#resize(long) buffer.resize(newSize)}.
     *
     * @param buffer  a buffer from {@link #allocate}, not a slice and not wrapped memory
     * @param newSize the new size
     * @return {@code buffer}, resized
     * @throws IllegalArgumentException if {@code buffer} is a slice or does not come from a pool
     * @throws IllegalStateException    if it is closed or slices of it are open
     * @throws OutOfMemoryException     if the allocator has no memory for it (the buffer is unchanged)
     */
    ResizableBuffer reallocate(Buffer buffer, long newSize);

    /** The name of the backend that allocates for this pool ({@code "system"}, {@code "jemalloc"}, ...). */
    String backendName();

    /** Bytes allocated and not yet freed (capacities, with padding). */
    long bytesAllocated();

    /** The peak of {@link #bytesAllocated()} since the pool was created. */
    long peakBytesAllocated();

    /** Bytes ever allocated, growth by reallocation included. */
    long cumulativeBytesAllocated();

    /** Number of allocations (reallocations count as one more). */
    long numAllocations();

    /**
     * Writes the backend allocator's own statistics, as its library prints them, to {@code out}: pyarrow's
     * {@code print_stats()} (jemalloc's {@code malloc_stats_print}, mimalloc's {@code mi_stats_print_out}, glibc's
     * {@code malloc_info} as XML). For the default pool, its current backend's. Nothing when the allocator has no
     * such report. The shell's {@code quiver:stats <backend>} shows the same.
     *
     * @throws IOException if {@code out} fails
     * @since 1.1
     */
    default void printStats(Appendable out) throws IOException {
        java.util.Objects.requireNonNull(out, "out");
    }

    /**
     * {@link #printStats(Appendable)} to standard output, as pyarrow's {@code print_stats()} prints.
     *
     * @since 1.1
     */
    default void printStats() {
        try {
            printStats(System.out);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        System.out.flush();
    }

    /**
     * Bytes of freed small blocks that the backend's threads keep for their next allocations (each platform
     * thread keeps up to 64 KiB per backend, {@code -Dquiver.memory.threadCache} bytes; 0 turns the caches off).
     * They are not outstanding: {@link #bytesAllocated()} counts them freed, and {@link #releaseUnused()} returns
     * every thread's to the allocator. Any pool over a backend reports that backend's caches.
     *
     * @return bytes kept by the threads' caches, 0 when none
     * @since 1.1
     */
    default long bytesCached() {
        return 0;
    }

    /** A consistent-enough snapshot of the counters above. */
    default PoolStatistics statistics() {
        return new PoolStatistics(backendName(), bytesAllocated(), peakBytesAllocated(), cumulativeBytesAllocated(),
                numAllocations());
    }

    /**
     * Returns the freed blocks every thread keeps ({@link #bytesCached()}) to the allocator, then asks the
     * backend to return memory it keeps but no longer uses to the operating system.
     */
    void releaseUnused();

    /**
     * The backend's tuning options and facts about it: jemalloc's {@code dirty_decay_ms} and
     * {@code muzzy_decay_ms}, mimalloc's options, the library and version each uses.
     *
     * @return an immutable map by option name; unknown values are {@code "-1"}
     * @since 1.0
     */
    Map<String, String> backendOptions();

    /**
     * Changes a tuning option of the backend while it runs (pyarrow's {@code jemalloc_set_decay_ms}).
     *
     * {@snippet :
     * MemoryPool.pool("jemalloc").setBackendOption("dirty_decay_ms", "0");  // return freed pages at once
     * }
     *
     * @param name  an option of {@link #backendOptions()} that can be set
     * @param value the new value
     * @throws IllegalArgumentException if the backend has no such settable option or the value is invalid
     * @since 1.0
     */
    void setBackendOption(String name, String value);

    // ---- the platform's pools -------------------------------------------------------------------------------

    /**
     * The default pool. It follows the best-ranked available backend (or the configured override) while the
     * platform runs: new allocations go to the current backend, and buffers already allocated keep the
     * allocator that allocated them. Its statistics are those of the current backend's pool.
     *
     * <p>Inside an OSGi framework with Quiver's platform running, a bundle that calls this gets its own view of
     * the default pool, the same one it gets as the {@code MemoryPool} service: what it allocates counts against
     * its own statistics, its limit ({@code quiver:limit}) and its leak report when it stops. The same holds for
     * the other entry points that use the default pool ({@link Buffer#allocate(long)}, {@link Buffer#copy()},
     * the no-pool constructors of the builders and {@code BufferOutput}, {@code readBuffer(length)}). The
     * calling bundle is found from the caller's class, which costs about 300 ns per call (JDK 25, measured) and
     * nothing outside a framework: keep the pool in a field rather than calling this for every allocation.
     *
     * @return the default pool (in OSGi, the calling bundle's view of it), never {@code null}
     * @throws IllegalStateException if no backend is available at all
     */
    static MemoryPool defaultPool() {
        return Backends.attributesCallers() ? Backends.defaultPoolFor(Backends.CALLERS.getCallerClass())
                : Backends.defaultPool();
    }

    /**
     * The pool of the named backend.
     *
     * @param backend {@code "system"}, {@code "jemalloc"}, {@code "mimalloc"} or a registered name
     * @return that backend's pool (one per backend, shared)
     * @throws IllegalArgumentException if no backend has that name (the message lists the known names) or it
     *                                  is not available here (the message gives the reason)
     */
    static MemoryPool pool(String backend) {
        java.util.Objects.requireNonNull(backend, "backend");
        return Backends.pool(backend);
    }

    /** The pool of the {@code system} backend (libc). */
    static MemoryPool systemPool() {
        return pool("system");
    }

    /**
     * Every backend the platform knows: the installed ones, best ranking first, then the known names that are
     * not installed. Unavailable ones carry the reason.
     *
     * @return an immutable snapshot
     */
    static List<MemoryBackend> supportedBackends() {
        return Backends.supportedBackends();
    }

    /**
     * Makes the named backend serve {@link #defaultPool()} from now on, whatever the ranking.
     *
     * @param backend a backend name, or {@code null} to go back to ranking (and the property or environment)
     * @throws IllegalArgumentException if no available backend has that name
     */
    static void setDefault(String backend) {
        Backends.setDefault(backend);
    }

    /**
     * Makes a given pool (a capped or logging pool, say) serve {@link #defaultPool()} from now on.
     *
     * <p>A pool over the default pool works too, as pyarrow's
     * {@code set_memory_pool(proxy_memory_pool(default_memory_pool()))} does: it then sits on the default beneath
     * it (the backend chosen by name, property or ranking, which still follows backends coming and going) and
     * counts every allocation of the default pool once, whether it comes through {@link #defaultPool()}, the
     * static entry points or the pool itself.
     *
     * {@snippet :
     * MemoryPool all = MemoryPool.proxy(MemoryPool.defaultPool());
     * MemoryPool.setDefault(all);
     * ... // everything allocated through the default pool from here on
     * long bytes = all.bytesAllocated();
     * }
     *
     * @param pool the pool, or {@code null} to go back to ranking
     * @throws IllegalArgumentException if {@code pool} is the default pool itself, or a pool over it that has
     *                                  allocated already (its buffers go back through the live default; make it
     *                                  the default before it allocates)
     */
    static void setDefault(MemoryPool pool) {
        Backends.setDefault(pool);
    }

    /** Bytes allocated and not freed across every backend's pool: pyarrow's {@code total_allocated_bytes()}. */
    static long bytesAllocatedInAllPools() {
        return Backends.bytesAllocatedInAllPools();
    }

    // ---- wrappers -------------------------------------------------------------------------------------------

    /**
     * A pool that prints every allocate, reallocate and free as one line on standard output, as pyarrow's
     * {@code logging_memory_pool} does, and forwards it to {@code parent}. Its statistics are the parent's.
     *
     * {@snippet :
     * MemoryPool pool = MemoryPool.logging(MemoryPool.defaultPool());
     * pool.allocate(100).close();
     * // allocate: size=128 alignment=64 address=0x7f1c2c000040 backend=mimalloc
     * // free: size=128 alignment=64 address=0x7f1c2c000040 backend=mimalloc
     * }
     *
     * <p>To send the lines elsewhere, use {@link #logging(MemoryPool, Consumer)}.
     *
     * @throws IllegalArgumentException if {@code parent} is not a Quiver pool
     */
    static MemoryPool logging(MemoryPool parent) {
        java.util.Objects.requireNonNull(parent, "parent");
        // Looked up at each line, so that System.setOut redirects it.
        return new LoggingPool(parent, line -> System.out.println(line));
    }

    /**
     * A pool that passes every allocate, reallocate and free as one line to {@code sink}, then to {@code parent}:
     * {@code System.err::println}, a list in a test, or a logger
     * ({@code line -> logger.log(System.Logger.Level.DEBUG, line)}).
     *
     * @throws NullPointerException if {@code sink} is null
     */
    static MemoryPool logging(MemoryPool parent, Consumer<String> sink) {
        java.util.Objects.requireNonNull(parent, "parent");
        return new LoggingPool(parent, java.util.Objects.requireNonNull(sink, "sink"));
    }

    /**
     * A pool with its own accounting over {@code parent}: pyarrow's {@code proxy_memory_pool}. Memory still
     * comes from (and is counted in) the parent.
     */
    static MemoryPool proxy(MemoryPool parent) {
        java.util.Objects.requireNonNull(parent, "parent");
        return new ProxyPool(parent);
    }

    /**
     * A named child of this pool, without a limit: Arrow Java's {@code newChildAllocator}. See {@link ChildPool}.
     *
     * @throws IllegalArgumentException if this is not a Quiver pool, or {@code name} is blank
     * @since 1.1
     */
    default ChildPool newChild(String name) {
        return newChild(name, Long.MAX_VALUE);
    }

    /**
     * A named child of this pool whose outstanding bytes never exceed {@code limit}. See {@link ChildPool}.
     *
     * @param limit bytes, 0 or more; {@link Long#MAX_VALUE} for none
     * @throws IllegalArgumentException if {@code limit} is negative, {@code name} is blank, or this is not a Quiver
     *                                  pool
     * @since 1.1
     */
    default ChildPool newChild(String name, long limit) {
        return org.quiver.internal.memory.ConsumerPool.child(this, name, limit);
    }

    /**
     * A pool whose outstanding bytes never exceed {@code limit}. An allocation or growth that would exceed it
     * fails with {@link MemoryLimitExceededException} and changes nothing. Thread safe.
     *
     * @param parent where the memory comes from
     * @param limit  bytes, 0 or more
     * @throws IllegalArgumentException if {@code limit} is negative
     */
    static MemoryPool capped(MemoryPool parent, long limit) {
        java.util.Objects.requireNonNull(parent, "parent");
        return new CappedPool(parent, limit);
    }
}
