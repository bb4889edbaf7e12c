package org.quiver.internal.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.PoolStatistics;

/** The text of the {@code pools} and {@code stats} commands. */
public final class PoolReport {

    private PoolReport() {
    }

    /** One line per backend: name, ranking, status, default marker, bytes allocated, peak. */
    public static String pools() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"BACKEND", "RANKING", "DEFAULT", "BYTES", "PEAK", "STATUS"});
        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            String bytes = "-";
            String peak = "-";
            if (b.available()) {
                MemoryPool p = MemoryPool.pool(b.name());
                bytes = Long.toString(p.bytesAllocated());
                peak = Long.toString(p.peakBytesAllocated());
            }
            rows.add(new String[] {b.name(), b.installed() ? Integer.toString(b.ranking()) : "-",
                    b.isDefault() ? "*" : "", bytes, peak,
                    b.available() ? "available" : "unavailable: " + b.unavailableReason()});
        }
        StringBuilder out = new StringBuilder(table(rows));
        for (Map.Entry<String, Long> r : Backends.retiredBackends()) {
            out.append("retired: ").append(r.getKey()).append(" (unregistered, ").append(r.getValue())
                    .append(" bytes still allocated; freed by it when closed)\n");
        }
        String override = Backends.overrideDescription();
        if (override != null) {
            out.append("default override: ").append(override).append('\n');
        }
        for (Map.Entry<String, String> c : org.quiver.internal.kit.ConfigurationProblems.refused().entrySet()) {
            out.append("configuration refused: ").append(c.getKey()).append(": ").append(c.getValue()).append('\n');
        }
        return out.toString();
    }

    /** The default pool's counters, each backend's, the global total and leak detection. */
    public static String stats() {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"POOL", "BYTES_ALLOCATED", "PEAK_BYTES_ALLOCATED", "CUMULATIVE_BYTES_ALLOCATED", "NUM_ALLOCATIONS",
            "BYTES_CACHED"});
        StringBuilder out = new StringBuilder();
        try {
            MemoryPool pool = MemoryPool.defaultPool();
            PoolStatistics d = pool.statistics();
            rows.add(row("default (" + d.backendName() + ")", d, pool.bytesCached()));
        } catch (IllegalStateException e) {
            out.append("default pool: ").append(e.getMessage()).append('\n');
        }
        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            if (b.available()) {
                MemoryPool pool = MemoryPool.pool(b.name());
                rows.add(row(b.name(), pool.statistics(), pool.bytesCached()));
            }
        }
        out.append(table(rows));
        List<ConsumerPool> consumers = ConsumerPool.open();
        if (!consumers.isEmpty()) {
            List<String[]> c = new ArrayList<>();
            c.add(new String[] {"CONSUMER", "BYTES_ALLOCATED", "PEAK_BYTES_ALLOCATED", "NUM_ALLOCATIONS", "LIVE_BUFFERS",
                    "LIMIT"});
            for (ConsumerPool p : consumers) {
                c.add(new String[] {p.owner(), Long.toString(p.bytesAllocated()), Long.toString(p.peakBytesAllocated()),
                        Long.toString(p.numAllocations()), Long.toString(p.liveBuffers()),
                        p.limit() == Long.MAX_VALUE ? "-" : Long.toString(p.limit())});
            }
            out.append(table(c));
        }
        out.append("total allocated bytes (all pools): ").append(MemoryPool.bytesAllocatedInAllPools()).append('\n');
        out.append("leak detection: ").append(LeakDetection.level().name().toLowerCase(java.util.Locale.ROOT))
                .append(", leaks found: ").append(LeakDetection.leaksFound()).append('\n');
        return out.toString();
    }

    /** A backend's options, one per line. */
    public static String options(String backend) {
        MemoryPool pool = MemoryPool.pool(backend);
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"OPTION", "VALUE"});
        for (Map.Entry<String, String> e : new TreeMap<>(pool.backendOptions()).entrySet()) {
            rows.add(new String[] {e.getKey(), e.getValue()});
        }
        return pool.backendName() + ":\n" + table(rows);
    }

    /** A pool's row; {@code cached} is what its backend's threads keep (not allocated, not free either). */
    private static String[] row(String name, PoolStatistics s, long cached) {
        return new String[] {name, Long.toString(s.bytesAllocated()), Long.toString(s.peakBytesAllocated()),
                Long.toString(s.cumulativeBytesAllocated()), Long.toString(s.numAllocations()), Long.toString(cached)};
    }

    private static String table(List<String[]> rows) {
        int columns = rows.get(0).length;
        int[] width = new int[columns];
        for (String[] r : rows) {
            for (int i = 0; i < columns; i++) {
                width[i] = Math.max(width[i], r[i].length());
            }
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int i = 0; i < columns; i++) {
                line.append(i == columns - 1 ? r[i] : String.format("%-" + (width[i] + 2) + "s", r[i]));
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        return sb.toString();
    }
}
