package org.quiver.pool.jemalloc.internal;

import java.util.Map;
import java.util.Set;

import org.quiver.internal.kit.BackendConfiguration;
import org.quiver.internal.kit.MappedBlocks;
import org.quiver.memory.spi.Allocator;

/**
 * The configuration {@code org.quiver.pool.jemalloc}: {@code ranking}; {@code library} and {@code mmap.threshold}
 * (a new allocator); {@code dirty_decay_ms} and {@code muzzy_decay_ms} (set live, on every arena).
 */
final class JemallocConfiguration implements BackendConfiguration.Backend {

    static final String PID = "org.quiver.pool.jemalloc";
    private static final Set<String> STRUCTURAL = Set.of("library", MappedBlocks.SETTING);
    private static final Set<String> LIVE = Set.of(JemallocAllocator.DIRTY_DECAY, JemallocAllocator.MUZZY_DECAY);

    @Override
    public String pid() {
        return PID;
    }

    @Override
    public int builtInRanking() {
        return JemallocAllocator.RANKING;
    }

    @Override
    public Allocator create(Map<String, String> settings) {
        Map<String, String> fixed = new java.util.HashMap<>(settings);
        fixed.keySet().retainAll(STRUCTURAL); // the live ones are set afterwards, so that each can be undone
        return new JemallocAllocator(fixed);
    }

    @Override
    public Set<String> structural() {
        return STRUCTURAL;
    }

    @Override
    public boolean knows(Allocator running, String key) {
        return LIVE.contains(key);
    }

    @Override
    public Set<String> known(Allocator running) {
        return Set.of("library", MappedBlocks.SETTING, JemallocAllocator.DIRTY_DECAY, JemallocAllocator.MUZZY_DECAY);
    }

    @Override
    public String check(Allocator running, String key, String value) {
        if (STRUCTURAL.contains(key)) {
            return BackendConfiguration.checkFixed(key, value, "a jemalloc shared library");
        }
        return JemallocAllocator.checkOption(key, value);
    }

    @Override
    public String current(Allocator running, String key) {
        return running.options().get(key);
    }

    @Override
    public void apply(Allocator running, String key, String value) {
        running.setOption(key, value);
    }
}
