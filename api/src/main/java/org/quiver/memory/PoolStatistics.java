package org.quiver.memory;

/**
 * A snapshot of a pool's counters.
 *
 * @param backendName              the backend's name
 * @param bytesAllocated           bytes outstanding
 * @param peakBytesAllocated       peak of {@code bytesAllocated}
 * @param cumulativeBytesAllocated bytes ever allocated
 * @param numAllocations           allocations (and reallocations) ever made
 * @since 1.0
 */
public record PoolStatistics(String backendName, long bytesAllocated, long peakBytesAllocated,
        long cumulativeBytesAllocated, long numAllocations) {
}
