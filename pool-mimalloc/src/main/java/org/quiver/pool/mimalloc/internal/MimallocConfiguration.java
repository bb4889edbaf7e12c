package org.quiver.pool.mimalloc.internal;

import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.quiver.internal.kit.BackendConfiguration;
import org.quiver.internal.kit.MappedBlocks;
import org.quiver.memory.spi.Allocator;

/**
 * The configuration {@code org.quiver.pool.mimalloc}: {@code ranking}; {@code library} and {@code mmap.threshold}
 * (a new allocator); {@code option.<name>} for any option the library has (set live, {@code mi_option_set}).
 */
final class MimallocConfiguration implements BackendConfiguration.Backend {

    static final String PID = "org.quiver.pool.mimalloc";
    private static final Set<String> STRUCTURAL = Set.of("library", MappedBlocks.SETTING);

    @Override
    public String pid() {
        return PID;
    }

    @Override
    public int builtInRanking() {
        return MimallocAllocator.RANKING;
    }

    @Override
    public Allocator create(Map<String, String> settings) {
        Map<String, String> fixed = new java.util.HashMap<>(settings);
        fixed.keySet().retainAll(STRUCTURAL); // the options are set afterwards, so that each can be undone
        return new MimallocAllocator(fixed);
    }

    @Override
    public Set<String> structural() {
        return STRUCTURAL;
    }

    /** An {@code option.<name>} the running library has (any {@code option.} key while none is running). */
    @Override
    public boolean knows(Allocator running, String key) {
        if (!key.startsWith(MimallocAllocator.OPTION)) {
            return false;
        }
        Set<String> names = names(running);
        return names.isEmpty() || names.contains(key.substring(MimallocAllocator.OPTION.length()));
    }

    @Override
    public Set<String> known(Allocator running) {
        Set<String> out = new TreeSet<>(STRUCTURAL);
        for (String name : names(running)) {
            out.add(MimallocAllocator.OPTION + name);
        }
        return out;
    }

    private static Set<String> names(Allocator running) {
        return running instanceof MimallocAllocator m ? m.optionNames() : Set.of();
    }

    @Override
    public String check(Allocator running, String key, String value) {
        if (STRUCTURAL.contains(key)) {
            return BackendConfiguration.checkFixed(key, value, "a mimalloc shared library");
        }
        try {
            Long.parseLong(value);
            return null;
        } catch (NumberFormatException e) {
            return "mimalloc " + key + " takes an integer: value=" + value;
        }
    }

    @Override
    public String current(Allocator running, String key) {
        return running.options().get(key.substring(MimallocAllocator.OPTION.length()));
    }

    @Override
    public void apply(Allocator running, String key, String value) {
        running.setOption(key.substring(MimallocAllocator.OPTION.length()), value);
    }
}
