package org.quiver.webconsole.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The allocated bytes of the last minutes, one sample a second: the total of every pool, and each backend's. A ring
 * of {@link #CAPACITY} samples; a backend that appears later has zeros before it, and one that goes keeps its past.
 */
final class History {

    /** Ten minutes at one sample a second. */
    static final int CAPACITY = 600;

    private final Supplier<Map<String, Long>> byBackend;
    private final Supplier<Long> total;
    private final long[] totals = new long[CAPACITY];
    private final Map<String, long[]> backends = new LinkedHashMap<>();
    private final long[] times = new long[CAPACITY];
    /** Samples taken; the newest is at (count - 1) % CAPACITY. */
    private long count;

    History(Supplier<Long> total, Supplier<Map<String, Long>> byBackend) {
        this.total = total;
        this.byBackend = byBackend;
    }

    /** Takes one sample, stamped {@code millis}. */
    synchronized void sample(long millis) {
        int i = (int) (count % CAPACITY);
        times[i] = millis;
        totals[i] = total.get();
        Map<String, Long> now = byBackend.get();
        for (Map.Entry<String, Long> e : now.entrySet()) {
            backends.computeIfAbsent(e.getKey(), k -> new long[CAPACITY]);
        }
        for (Map.Entry<String, long[]> e : backends.entrySet()) {
            Long v = now.get(e.getKey());
            e.getValue()[i] = v == null ? 0 : v;
        }
        count++;
    }

    /** The samples, oldest first: {@code times}, {@code total}, and {@code backends} by name. */
    synchronized Map<String, Object> toMap() {
        int n = (int) Math.min(count, CAPACITY);
        int first = (int) ((count - n) % CAPACITY);
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("times", ordered(times, first, n));
        out.put("total", ordered(totals, first, n));
        Map<String, Object> b = new LinkedHashMap<>();
        for (Map.Entry<String, long[]> e : backends.entrySet()) {
            b.put(e.getKey(), ordered(e.getValue(), first, n));
        }
        out.put("backends", b);
        return out;
    }

    private static long[] ordered(long[] ring, int first, int n) {
        long[] out = new long[n];
        for (int k = 0; k < n; k++) {
            out[k] = ring[(first + k) % CAPACITY];
        }
        return out;
    }
}
