package org.quiver.platform.management;

import java.util.Map;

/**
 * The Quiver runtime as a whole, {@code org.quiver:type=Platform}: which backend serves the default pool and why,
 * and the actions an operator takes while it runs. It emits a {@code jmx.attribute.change} notification for
 * {@code DefaultPool} at every switch (its message says why) and notifications of type {@code org.quiver.leak},
 * {@code org.quiver.backend.retired} and {@code org.quiver.backend.closed}.
 *
 * @since 1.0
 */
public interface QuiverPlatformMXBean {

    /** The backend serving the default pool now ({@code "jemalloc"}), or null when none is available. */
    String getDefaultPool();

    /**
     * Why it serves: the override in force and where it came from ({@code "'mimalloc' set at run time"}, the
     * configuration, the system property, the environment variable), or {@code "the best-ranked available
     * backend"}.
     */
    String getDefaultPoolReason();

    /**
     * Switches the default pool to {@code backend} at run time (as {@code quiver:usepool} does); an empty name
     * goes back to the configuration, property or ranking. Live buffers stay with the backend they came from.
     *
     * @throws IllegalArgumentException for an unknown or unavailable backend, naming the known ones; nothing changes
     */
    void switchDefaultPool(String backend);

    /** Every backend's name, known or registered, best first: the {@code name} of their MBeans. */
    String[] getBackends();

    /** Backends withdrawn while their buffers live: name and bytes still allocated. */
    Map<String, Long> getRetiredBackends();

    /** Bytes allocated from every backend, registered or retired. */
    long getBytesAllocatedInAllPools();

    /** The leak detection level: {@code OFF}, {@code SAMPLED} or {@code PARANOID}. */
    String getLeakDetection();

    /**
     * Sets the leak detection level (case does not matter); buffers allocated from then on are tracked by it.
     *
     * @throws IllegalArgumentException for any other value; nothing changes
     */
    void setLeakDetection(String level);

    /** Leaks reported since start: collected unclosed buffers and consumers gone with live buffers. */
    long getLeaksFound();

    /** Open child pools and bundle views. */
    int getOpenChildPools();

    /** Returns the memory every available backend keeps (threads' caches, then the allocator's own), as trim. */
    void releaseUnused();
}
