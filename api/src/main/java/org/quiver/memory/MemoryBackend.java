package org.quiver.memory;

/**
 * An allocator backend as the platform sees it: pyarrow's {@code supported_memory_backends()}, with the reason
 * for the ones that cannot run here.
 *
 * @param name              {@code "system"}, {@code "jemalloc"}, {@code "mimalloc"} or another registered name
 * @param ranking           higher serves the default pool first; {@code -1} when not installed
 * @param installed         whether a bundle or module provides it
 * @param unavailableReason why it cannot allocate here, or {@code null} when it can
 * @param isDefault         whether it serves {@link MemoryPool#defaultPool()} now
 * @since 1.0
 */
public record MemoryBackend(String name, int ranking, boolean installed, String unavailableReason,
        boolean isDefault) {

    /** Whether this backend can allocate here. */
    public boolean available() {
        return installed && unavailableReason == null;
    }
}
