package org.quiver.platform.management;

import java.util.Map;

/**
 * One allocator backend, {@code org.quiver:type=MemoryBackend,name=<backend>}, modelled on the JDK's
 * {@code BufferPoolMXBean}: read-only statistics and one action. A backend that is not installed, or not
 * available here, reports {@code -1} for its counters and says why.
 *
 * @since 1.0
 */
public interface MemoryBackendMXBean {

    /** {@code system}, {@code jemalloc}, {@code mimalloc} or another registered name. */
    String getName();

    /** Higher serves the default pool first; {@code -1} when not installed. */
    int getRanking();

    boolean isInstalled();

    boolean isAvailable();

    /** Why it cannot allocate here, or null when it can. */
    String getUnavailableReason();

    /** Whether it serves the default pool now. */
    boolean isDefault();

    /** Bytes outstanding, or -1 when not available. */
    long getBytesAllocated();

    /** The peak of {@link #getBytesAllocated()}, or -1. */
    long getPeakBytesAllocated();

    /** Bytes ever allocated, or -1. */
    long getCumulativeBytesAllocated();

    /** Allocations and reallocations ever made, or -1. */
    long getNumAllocations();

    /** Freed bytes kept in the threads' caches, or -1. */
    long getBytesCached();

    /** The allocator's options and their values (empty when not available). */
    Map<String, String> getOptions();

    /**
     * Returns the memory this backend keeps to the operating system where it can.
     *
     * @throws IllegalStateException when it is not available
     */
    void releaseUnused();
}
