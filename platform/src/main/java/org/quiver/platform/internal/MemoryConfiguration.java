package org.quiver.platform.internal;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.internal.kit.ConfigurationProblems;
import org.quiver.internal.kit.Sizes;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;

/**
 * The configuration {@code org.quiver.memory}, applied live: the backend of the default pool, the leak detection
 * level, and limits per bundle. It is taken whole or not at all: a bad value refuses it with the reason (in the log
 * and in {@code quiver:pools}) and what runs stays. Deleting it (or stopping the platform) goes back to what ran
 * before it: ranking, the level from the system property, no configured limits.
 */
@Component(service = {}, configurationPid = MemoryConfiguration.PID, immediate = true)
@Designate(ocd = MemoryConfiguration.Config.class)
public final class MemoryConfiguration {

    static final String PID = "org.quiver.memory";
    static final String DEFAULT_POOL = "default.pool";
    static final String LEAK_DETECTION = "leak.detection";
    static final String BUNDLE_LIMITS = "bundle.limits";
    static final String BUNDLE_LIMIT_PREFIX = "bundle.limit.";

    /** What consoles show (Metatype). */
    @ObjectClassDefinition(id = PID, name = "Quiver memory",
            description = "The default memory pool, leak detection and per-bundle limits. A change applies at"
                    + " once; a bad value is refused with the reason (log, quiver:pools) and the running settings"
                    + " stay.")
    @interface Config {
        @AttributeDefinition(name = "Default pool", required = false,
                description = "The backend that serves the default pool: system, jemalloc, mimalloc, or ranking"
                        + " (the best-ranked available one). A backend not available yet is used when it appears."
                        + " Setting it replaces a choice made with quiver:usepool.")
        String default_pool() default "ranking";

        @AttributeDefinition(name = "Leak detection", required = false,
                description = "off, sampled (one allocation in 128) or paranoid (every allocation site).",
                options = {
                    @org.osgi.service.metatype.annotations.Option(label = "off", value = "off"),
                    @org.osgi.service.metatype.annotations.Option(label = "sampled", value = "sampled"),
                    @org.osgi.service.metatype.annotations.Option(label = "paranoid", value = "paranoid")})
        String leak_detection() default "sampled";

        @AttributeDefinition(name = "Bundle limits", required = false,
                description = "Per-bundle limits, each 'symbolic.name=size' (bytes, or 64m, 2g; none removes it)."
                        + " The single key bundle.limit.<symbolic name>=size works too.")
        String[] bundle_limits();
    }

    /** What a configuration says, checked. */
    record Settings(String defaultPool, LeakDetection.Level leakDetection, Map<String, Long> limits) {
        static final Settings NONE = new Settings(null, null, Map.of());
    }

    private final AllocatorServices services;
    private final LeakDetection.Level levelBefore = LeakDetection.level();
    private Settings running = Settings.NONE;

    @Activate
    public MemoryConfiguration(@Reference AllocatorServices services, Map<String, Object> properties) {
        this.services = services;
        modified(properties);
    }

    @Modified
    synchronized void modified(Map<String, Object> properties) {
        Settings next;
        try {
            next = parse(properties);
        } catch (IllegalArgumentException e) {
            ConfigurationProblems.refused(PID, e.getMessage() + "; still running with " + describe(running));
            return;
        }
        if (next.equals(running)) {
            ConfigurationProblems.accepted(PID);
            return;
        }
        apply(next);
        ConfigurationProblems.applied(PID, describe(next));
    }

    @Deactivate
    synchronized void deactivate() {
        apply(Settings.NONE);
        ConfigurationProblems.accepted(PID);
    }

    private void apply(Settings next) {
        if (!Objects.equals(next.defaultPool(), running.defaultPool())) {
            PlatformHooks.configureDefault(next.defaultPool());
        }
        if (next.leakDetection() != running.leakDetection()) {
            LeakDetection.setLevel(next.leakDetection() != null ? next.leakDetection() : levelBefore);
        }
        BundleViews views = services.views();
        if (views != null) {
            for (String bsn : running.limits().keySet()) {
                if (!next.limits().containsKey(bsn)) {
                    views.setLimit(bsn, -1);
                }
            }
            next.limits().forEach((bsn, bytes) -> {
                if (!bytes.equals(running.limits().get(bsn))) {
                    views.setLimit(bsn, bytes);
                }
            });
        }
        running = next;
    }

    /**
     * Checks every setting; all problems in one message.
     *
     * @throws IllegalArgumentException naming each bad setting and its value
     */
    static Settings parse(Map<String, ?> properties) {
        List<String> problems = new ArrayList<>();
        String pool = null;
        LeakDetection.Level level = null;
        Map<String, Long> limits = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            Object value = e.getValue();
            if (value == null || ConfigurationProblems.addedByTheFramework(key)) {
                continue;
            }
            if (key.equals(DEFAULT_POOL)) {
                String name = value.toString().trim().toLowerCase(Locale.ROOT);
                Set<String> known = new TreeSet<>();
                for (MemoryBackend b : MemoryPool.supportedBackends()) {
                    known.add(b.name());
                }
                if (name.isEmpty() || name.equals("ranking")) {
                    pool = null;
                } else if (known.contains(name)) {
                    pool = name;
                } else {
                    problems.add(DEFAULT_POOL + "='" + value + "' is no backend (known: " + String.join(", ", known)
                            + ", or ranking)");
                }
            } else if (key.equals(LEAK_DETECTION)) {
                try {
                    level = LeakDetection.Level.valueOf(value.toString().trim().toUpperCase(Locale.ROOT));
                } catch (IllegalArgumentException x) {
                    problems.add(LEAK_DETECTION + "='" + value + "' is no level (off, sampled or paranoid)");
                }
            } else if (key.equals(BUNDLE_LIMITS)) {
                for (String entry : entries(value)) {
                    int eq = entry.indexOf('=');
                    if (eq <= 0) {
                        problems.add(BUNDLE_LIMITS + " entry '" + entry + "' is not 'symbolic.name=size'");
                    } else {
                        limit(entry.substring(0, eq).trim(), entry.substring(eq + 1).trim(), limits, problems);
                    }
                }
            } else if (key.startsWith(BUNDLE_LIMIT_PREFIX) && key.length() > BUNDLE_LIMIT_PREFIX.length()) {
                limit(key.substring(BUNDLE_LIMIT_PREFIX.length()), value.toString().trim(), limits, problems);
            } else {
                problems.add("unknown setting '" + key + "' (known: " + DEFAULT_POOL + ", " + LEAK_DETECTION + ", "
                        + BUNDLE_LIMITS + ", " + BUNDLE_LIMIT_PREFIX + "<symbolic name>)");
            }
        }
        if (!problems.isEmpty()) {
            throw new IllegalArgumentException(String.join("; ", problems));
        }
        return new Settings(pool, level, Map.copyOf(limits));
    }

    private static void limit(String bsn, String size, Map<String, Long> limits, List<String> problems) {
        if ("none".equalsIgnoreCase(size)) {
            return;
        }
        try {
            limits.put(bsn, Sizes.parse(size));
        } catch (IllegalArgumentException x) {
            problems.add("limit of " + bsn + ": " + x.getMessage());
        }
    }

    /** A list's entries: an array, a collection, or one string with entries separated by commas. */
    private static List<String> entries(Object value) {
        List<String> out = new ArrayList<>();
        Iterable<?> items = value instanceof Object[] a ? List.of(a)
                : value instanceof Iterable<?> i ? i : List.of(value);
        for (Object item : items) {
            for (String part : item.toString().split(",")) {
                if (!part.isBlank()) {
                    out.add(part.trim());
                }
            }
        }
        return out;
    }

    private static String describe(Settings s) {
        Map<String, Object> shown = new HashMap<>();
        if (s.defaultPool() != null) {
            shown.put(DEFAULT_POOL, s.defaultPool());
        }
        if (s.leakDetection() != null) {
            shown.put(LEAK_DETECTION, s.leakDetection().name().toLowerCase(Locale.ROOT));
        }
        if (!s.limits().isEmpty()) {
            shown.put(BUNDLE_LIMITS, s.limits());
        }
        return shown.isEmpty() ? "the defaults" : new TreeMap<>(shown).toString();
    }
}
