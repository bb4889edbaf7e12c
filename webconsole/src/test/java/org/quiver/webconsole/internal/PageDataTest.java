package org.quiver.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The page's data: JSON that stays text inside HTML, and the ring of the chart's samples. */
class PageDataTest {

    @Test
    void jsonEscapesWhatWouldBreakOutOfAStringOrAScript() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("owner", "bundle \"x\" </script><b>&\n");
        m.put("bytes", 42L);
        m.put("limit", null);
        m.put("ok", true);
        m.put("rows", List.of(1, "two"));
        m.put("samples", new long[] {3, 4});
        assertEquals("{\"owner\":\"bundle \\\"x\\\" \\u003c/script\\u003e\\u003cb\\u003e\\u0026\\n\",\"bytes\":42,"
                + "\"limit\":null,\"ok\":true,\"rows\":[1,\"two\"],\"samples\":[3,4]}", Json.write(m));
        assertThrows(IllegalArgumentException.class, () -> Json.write(new Object()));
    }

    @Test
    void theHistoryKeepsTheLastTenMinutesOldestFirst() {
        AtomicLong total = new AtomicLong();
        Map<String, Long> backends = new LinkedHashMap<>();
        History h = new History(total::get, () -> new LinkedHashMap<>(backends));
        total.set(10);
        backends.put("system", 10L);
        h.sample(1000);
        total.set(30);
        backends.put("jemalloc", 20L); // appears later: zeros before it
        h.sample(2000);
        Map<String, Object> m = h.toMap();
        assertArrayEquals(new long[] {1000, 2000}, (long[]) m.get("times"));
        assertArrayEquals(new long[] {10, 30}, (long[]) m.get("total"));
        @SuppressWarnings("unchecked")
        Map<String, long[]> b = (Map<String, long[]>) m.get("backends");
        assertArrayEquals(new long[] {10, 10}, b.get("system"));
        assertArrayEquals(new long[] {0, 20}, b.get("jemalloc"));

        for (int i = 0; i < History.CAPACITY + 5; i++) {
            total.set(i);
            h.sample(10_000 + i);
        }
        long[] times = (long[]) h.toMap().get("times");
        assertEquals(History.CAPACITY, times.length, "a ring of ten minutes");
        assertEquals(10_005, times[0]);
        assertEquals(10_000 + History.CAPACITY + 4, times[times.length - 1]);
    }
}
