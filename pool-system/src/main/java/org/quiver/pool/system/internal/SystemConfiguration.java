package org.quiver.pool.system.internal;

import java.util.Map;
import java.util.Set;

import org.quiver.internal.kit.BackendConfiguration;
import org.quiver.internal.kit.MappedBlocks;
import org.quiver.memory.spi.Allocator;

/**
 * The configuration {@code org.quiver.pool.system}: {@code ranking}, and {@code mmap.threshold} (a new
 * allocator: the threshold decides how each block is freed, so it is fixed for an allocator's life).
 */
final class SystemConfiguration implements BackendConfiguration.Backend {

    static final String PID = "org.quiver.pool.system";

    @Override
    public String pid() {
        return PID;
    }

    @Override
    public int builtInRanking() {
        return SystemAllocator.RANKING;
    }

    @Override
    public Allocator create(Map<String, String> settings) {
        return new SystemAllocator(settings);
    }

    @Override
    public Set<String> structural() {
        return Set.of(MappedBlocks.SETTING);
    }

    @Override
    public boolean knows(Allocator running, String key) {
        return false;
    }

    @Override
    public Set<String> known(Allocator running) {
        return structural();
    }

    @Override
    public String check(Allocator running, String key, String value) {
        return BackendConfiguration.checkFixed(key, value, "the C library");
    }

    @Override
    public String current(Allocator running, String key) {
        throw new IllegalArgumentException("the system pool has no live setting: " + key);
    }

    @Override
    public void apply(Allocator running, String key, String value) {
        throw new IllegalArgumentException("the system pool has no live setting: " + key);
    }
}
