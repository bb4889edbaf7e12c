package org.quiver.internal.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.quiver.memory.spi.Allocator;

/**
 * A backend's configuration without a framework: what is published, re-ranked, set live, replaced, and what is
 * refused while the running allocator and its settings stay.
 */
class BackendConfigurationTest {

    /** An allocator that only records its settings; "broken" as a library makes it unavailable. */
    static final class Fake implements Allocator {
        final Map<String, String> settings;
        final Map<String, String> options;
        boolean closed;

        Fake(Map<String, String> settings) {
            this(settings, new HashMap<>(Map.of("decay", "10000")));
        }

        /** With options shared with other allocators, as those of one native library are (mimalloc's). */
        Fake(Map<String, String> settings, Map<String, String> options) {
            this.settings = Map.copyOf(settings);
            this.options = options;
        }

        @Override
        public String name() {
            return "fake";
        }

        @Override
        public String unavailableReason() {
            return "broken".equals(settings.get("library")) ? "cannot load library broken" : null;
        }

        @Override
        public long allocate(long size, long alignment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public long reallocate(long address, long oldSize, long newSize, long alignment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void free(long address, long size, long alignment) {
            throw new UnsupportedOperationException();
        }

        @Override
        public Map<String, String> options() {
            return Map.copyOf(options);
        }

        @Override
        public void setOption(String name, String value) {
            options.put(name, value);
        }

        @Override
        public void close() {
            closed = true;
        }
    }

    static final class FakeBackend implements BackendConfiguration.Backend {
        final List<Fake> made = new ArrayList<>();
        /** When not null, every allocator made shares these options (one library). */
        Map<String, String> shared;

        @Override
        public String pid() {
            return "test.pool.fake";
        }

        @Override
        public int builtInRanking() {
            return 150;
        }

        @Override
        public Allocator create(Map<String, String> settings) {
            Map<String, String> fixed = new HashMap<>(settings);
            fixed.keySet().retainAll(structural());
            Fake f = shared == null ? new Fake(fixed) : new Fake(fixed, shared);
            made.add(f);
            return f;
        }

        @Override
        public Set<String> structural() {
            return Set.of("library");
        }

        @Override
        public boolean knows(Allocator running, String key) {
            return key.equals("decay");
        }

        @Override
        public Set<String> known(Allocator running) {
            return Set.of("library", "decay");
        }

        @Override
        public String check(Allocator running, String key, String value) {
            if (key.equals("decay") && !value.matches("-?\\d+")) {
                return "decay must be milliseconds: value=" + value;
            }
            return null;
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

    /** Records what is published, as the service registry would hold it. */
    static final class Registry implements BackendConfiguration.Publisher {
        final Map<Object, Integer> published = new HashMap<>();
        final List<String> events = new ArrayList<>();

        @Override
        public Object publish(Allocator allocator, int ranking) {
            published.put(allocator, ranking);
            events.add("publish " + ranking);
            return allocator;
        }

        @Override
        public void rerank(Object handle, int ranking) {
            published.put(handle, ranking);
            events.add("rerank " + ranking);
        }

        @Override
        public void withdraw(Object handle) {
            published.remove(handle);
            events.add("withdraw");
        }
    }

    private final FakeBackend backend = new FakeBackend();
    private final Registry registry = new Registry();
    private final BackendConfiguration config = new BackendConfiguration(backend, registry);

    @AfterEach
    void forget() {
        config.deactivate();
        assertTrue(registry.published.isEmpty(), "deactivation withdraws the allocator");
        assertNull(ConfigurationProblems.refused().get("test.pool.fake"));
    }

    private static Map<String, Object> props(Object... kv) {
        Map<String, Object> m = new HashMap<>(Map.of("service.pid", "test.pool.fake", "component.id", 3L,
                "felix.fileinstall.filename", "file:/etc/test.pool.fake.cfg"));
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    private String refusal() {
        return ConfigurationProblems.refused().get("test.pool.fake");
    }

    @Test
    void aRankingRerankesTheSameAllocatorAndABadOneChangesNothing() {
        config.activate(props());
        Allocator first = config.allocator();
        assertEquals(Map.of(first, 150), registry.published);

        config.modify(props("ranking", "1000"));
        assertEquals(Map.of(first, 1000), registry.published);
        assertSame(first, config.allocator(), "re-ranked, not replaced");

        config.modify(props("ranking", "high"));
        assertEquals(Map.of(first, 1000), registry.published, "refused: the ranking stays");
        assertTrue(refusal().startsWith("ranking='high' is not an integer (higher wins; built in: 150); still running"
                + " with {ranking=1000}"), refusal());

        config.modify(props());
        assertEquals(Map.of(first, 150), registry.published, "taken out: back to the built-in ranking");
        assertNull(refusal(), "a good configuration clears the refusal");
    }

    @Test
    void aLiveSettingIsSetOnTheRunningAllocatorAndRestoredWhenTakenOut() {
        config.activate(props("decay", "0"));
        Fake running = (Fake) config.allocator();
        assertEquals("0", running.options.get("decay"));
        config.modify(props("decay", "500"));
        assertEquals("500", running.options.get("decay"));
        config.modify(props("decay", "soon"));
        assertEquals("500", running.options.get("decay"), "refused: the value stays");
        assertTrue(refusal().contains("decay must be milliseconds: value=soon"), refusal());
        config.modify(props());
        assertEquals("10000", running.options.get("decay"), "the value the allocator started with");
        assertEquals(1, backend.made.size(), "never replaced for a live setting");
    }

    @Test
    void aFixedSettingMakesANewAllocatorPublishedBeforeTheOldIsWithdrawn() {
        config.activate(props("decay", "0"));
        Fake old = (Fake) config.allocator();
        config.modify(props("decay", "0", "library", "/opt/other.so", "ranking", "7"));
        Fake next = (Fake) config.allocator();
        assertNotSame(old, next);
        assertEquals("/opt/other.so", next.settings.get("library"));
        assertEquals("0", next.options.get("decay"), "the live settings are set on the new one too");
        assertEquals(List.of("publish 150", "publish 7", "withdraw"), registry.events, "no moment without one");
        assertEquals(Map.of(next, 7), registry.published);
        assertTrue(!old.closed, "the old one keeps its buffers: the registry closes it when they are freed");
    }

    /** Found in Felix and Equinox: a new allocator of the same library read the configured value as its start. */
    @Test
    void anOptionTakenOutAfterANewAllocatorGoesBackToTheValueBeforeTheConfiguration() {
        backend.shared = new HashMap<>(Map.of("decay", "10000"));
        config.activate(props("decay", "5"));
        config.modify(props("decay", "5", "library", "/opt/same-library.so"));
        assertEquals(2, backend.made.size(), "replaced");
        config.modify(props("library", "/opt/same-library.so"));
        assertEquals("10000", backend.shared.get("decay"), "the value before the configuration, not 5");

        // Both at once, as deleting the configuration does: a new allocator, and the option restored on it.
        config.modify(props("decay", "7", "library", "/opt/other.so"));
        assertEquals("7", backend.shared.get("decay"));
        config.modify(props());
        assertEquals(4, backend.made.size(), "replaced twice more");
        assertEquals("10000", backend.shared.get("decay"), "restored on the new allocator too");
    }

    @Test
    void aLibraryThatDoesNotLoadIsRefusedAndTheRunningOneStays() {
        config.activate(props());
        Allocator running = config.allocator();
        config.modify(props("library", "broken", "decay", "1"));
        assertSame(running, config.allocator());
        assertEquals("10000", running.options().get("decay"), "nothing of a refused configuration applies");
        assertTrue(refusal().startsWith("library='broken' does not work: cannot load library broken"), refusal());
        assertTrue(backend.made.get(1).closed, "the candidate is closed");
        assertEquals(List.of("publish 150"), registry.events);
    }

    @Test
    void atActivationABadConfigurationLeavesTheDefaults() {
        config.activate(props("decay", "1", "colour", "blue"));
        assertEquals("10000", config.allocator().options().get("decay"));
        assertEquals(Map.of(), config.running());
        assertTrue(refusal().startsWith("unknown setting 'colour' (known: decay, library, ranking); running with the"
                + " defaults"), refusal());
        assertEquals(Map.of(config.allocator(), 150), registry.published);
    }

    @Test
    void theFixedSettingsEveryBackendHasAreCheckedWithTheirLimits() {
        assertNull(BackendConfiguration.checkFixed("mmap.threshold", "8m", "x"));
        assertEquals("mmap.threshold must be at least one page (" + Libc.PAGE_SIZE + " bytes): 100",
                BackendConfiguration.checkFixed("mmap.threshold", "100", "x"));
        assertEquals("mmap.threshold must be a number of bytes (or a size such as 8m): lots",
                BackendConfiguration.checkFixed("mmap.threshold", "lots", "x"));
        assertEquals("library is empty: give the path of a jemalloc shared library",
                BackendConfiguration.checkFixed("library", "", "a jemalloc shared library"));
        assertNull(BackendConfiguration.checkFixed("library", "/opt/lib/libjemalloc.so.2", "x"));
        config.activate(props());
    }

    @Test
    void aListWhereOneValueBelongsIsRefusedNamingTheSetting() {
        config.activate(props());
        config.modify(props("decay", new String[] {"1", "2"}));
        assertTrue(refusal().startsWith("decay takes one value, not a list: [1, 2]"), refusal());
        assertEquals("10000", config.allocator().options().get("decay"));
    }
}
