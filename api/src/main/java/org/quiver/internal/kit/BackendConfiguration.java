package org.quiver.internal.kit;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeSet;

import org.quiver.memory.spi.Allocator;

/**
 * An allocator backend's configuration inside OSGi (PID {@code org.quiver.pool.<name>}), applied live: what each
 * pool bundle's component delegates to, with no OSGi type in it.
 *
 * <ul>
 * <li>{@code ranking} re-ranks the published allocator (its {@code service.ranking});</li>
 * <li>live settings (jemalloc's decay times, mimalloc's options) are set on the running allocator, and a setting
 * taken out of the configuration goes back to the value it had before the configuration first set it;</li>
 * <li>settings fixed for an allocator's life (its library, its mmap threshold) make a new allocator, published
 * before the old one is withdrawn: new allocations go to it, and the old one keeps its buffers (each is freed by
 * the allocator that allocated it) until the last is freed.</li>
 * </ul>
 *
 * <p>A configuration is taken whole or not at all: one bad value (an unknown setting, a malformed number, a library
 * that does not load) refuses it with the reason, in the log and in {@code quiver:pools}, and what runs stays as
 * it was. At activation, a refused configuration leaves the backend on its defaults (and system properties).
 */
public final class BackendConfiguration {

    /** The ranking setting: an integer, higher wins; without it the backend's built-in ranking. */
    public static final String RANKING = "ranking";

    /** How one backend is made and tuned. Implemented by each pool bundle. */
    public interface Backend {

        /** The configuration's PID ({@code org.quiver.pool.jemalloc}). */
        String pid();

        /** Its ranking without a configuration. */
        int builtInRanking();

        /** A new allocator from these settings (all of them checked); it may be unavailable. */
        Allocator create(Map<String, String> settings);

        /** The settings fixed for an allocator's life: a change makes a new allocator. */
        Set<String> structural();

        /** Whether {@code key} is a setting of this backend's running allocator (besides {@code ranking}). */
        boolean knows(Allocator running, String key);

        /** The settings it knows, for an error message. */
        Set<String> known(Allocator running);

        /**
         * Checks a value; the reason it is refused (naming the setting and the value), or null.
         */
        String check(Allocator running, String key, String value);

        /** The running allocator's value of a live setting, as it would be written back to restore it. */
        String current(Allocator running, String key);

        /** Sets a live setting (checked) on the running allocator. */
        void apply(Allocator running, String key, String value);
    }

    /** Where allocators are published: in OSGi, the service registry with {@code service.ranking}. */
    public interface Publisher {

        /** Publishes an allocator with a ranking; a handle for the other two calls. */
        Object publish(Allocator allocator, int ranking);

        /** Changes a published allocator's ranking. */
        void rerank(Object handle, int ranking);

        /** Withdraws a published allocator; its buffers stay valid. */
        void withdraw(Object handle);

        /**
         * A publisher from a service registry's three calls, each given the service properties
         * ({@code service.ranking} as an {@code Integer}): {@code register} returns the registration,
         * {@code setProperties} and {@code unregister} take it back. An unregistration the framework already did
         * (the bundle stopping) is not an error.
         */
        static Publisher of(java.util.function.BiFunction<Allocator, java.util.Dictionary<String, Object>, Object> register,
                java.util.function.BiConsumer<Object, java.util.Dictionary<String, Object>> setProperties,
                java.util.function.Consumer<Object> unregister) {
            return new Publisher() {
                @Override
                public Object publish(Allocator allocator, int ranking) {
                    return register.apply(allocator, properties(ranking));
                }

                @Override
                public void rerank(Object handle, int ranking) {
                    setProperties.accept(handle, properties(ranking));
                }

                @Override
                public void withdraw(Object handle) {
                    try {
                        unregister.accept(handle);
                    } catch (IllegalStateException alreadyGone) {
                        // the framework unregistered it while stopping the bundle
                    }
                }

                private static java.util.Dictionary<String, Object> properties(int ranking) {
                    java.util.Hashtable<String, Object> p = new java.util.Hashtable<>();
                    p.put("service.ranking", ranking);
                    return p;
                }
            };
        }
    }

    /**
     * The checks of the settings every native backend has: {@code mmap.threshold} (a size of at least one page) and
     * {@code library} (a path; whether it loads is found by loading it). The reason either is refused, or null.
     *
     * @param library what the library is, for the message ({@code "a jemalloc shared library"})
     */
    public static String checkFixed(String key, String value, String library) {
        if (key.equals(MappedBlocks.SETTING)) {
            try {
                MappedBlocks.threshold(value);
            } catch (IllegalArgumentException e) {
                return e.getMessage();
            }
            return null;
        }
        if (key.equals("library")) {
            return value.isEmpty() ? "library is empty: give the path of " + library : null;
        }
        throw new IllegalArgumentException("not a setting every backend has: " + key);
    }

    private final Backend backend;
    private final Publisher publisher;
    private Map<String, String> running = Map.of();
    /** The live settings' values before this configuration first set them, to restore one taken out. */
    private final Map<String, String> started = new HashMap<>();
    private Allocator allocator;
    private Object handle;
    private int ranking;

    public BackendConfiguration(Backend backend, Publisher publisher) {
        this.backend = Objects.requireNonNull(backend, "backend");
        this.publisher = Objects.requireNonNull(publisher, "publisher");
    }

    /** Makes and publishes the allocator from {@code properties} (or from its defaults, if they are refused). */
    public synchronized void activate(Map<String, ?> properties) {
        Map<String, String> settings = Map.of();
        Allocator made = null;
        String problem = null;
        try {
            settings = ConfigurationProblems.settings(properties);
            problem = check(null, settings);
        } catch (IllegalArgumentException e) {
            problem = e.getMessage();
        }
        if (problem == null) {
            made = backend.create(settings);
            problem = unloadable(made, settings);
            if (problem == null) {
                problem = applyLive(made, settings, Map.of(), true);
            }
        }
        if (problem != null) {
            if (made != null) {
                made.close();
            }
            settings = Map.of();
            made = backend.create(settings);
            ConfigurationProblems.refused(backend.pid(), problem + "; running with the defaults");
        } else {
            ConfigurationProblems.accepted(backend.pid());
        }
        allocator = made;
        running = settings;
        ranking = ranking(settings);
        handle = publisher.publish(made, ranking);
    }

    /** Applies a changed configuration, or refuses it and keeps what runs. */
    public synchronized void modify(Map<String, ?> properties) {
        Map<String, String> settings;
        try {
            settings = ConfigurationProblems.settings(properties);
        } catch (IllegalArgumentException e) {
            refuse(e.getMessage());
            return;
        }
        if (settings.equals(running)) {
            ConfigurationProblems.accepted(backend.pid());
            return;
        }
        boolean replace = false;
        for (String key : backend.structural()) {
            replace |= !Objects.equals(settings.get(key), running.get(key));
        }
        String problem = check(allocator, settings);
        if (problem != null) {
            refuse(problem);
            return;
        }
        int newRanking = ranking(settings);
        if (replace) {
            Allocator made = backend.create(settings);
            problem = unloadable(made, settings);
            // The values captured before this configuration changed anything stay the ones to restore: a new
            // allocator of the same library shares its options (mimalloc's are global), so reading them from it now
            // would read this configuration's own values.
            if (problem == null) {
                problem = applyLive(made, settings, running, true);
            }
            if (problem != null) {
                made.close();
                refuse(problem);
                return;
            }
            Object old = handle;
            handle = publisher.publish(made, newRanking);
            publisher.withdraw(old);
            allocator = made;
        } else {
            String failed = applyLive(allocator, settings, running, false);
            if (failed != null) {
                refuse(failed);
                return;
            }
            if (newRanking != ranking) {
                publisher.rerank(handle, newRanking);
            }
        }
        ranking = newRanking;
        running = settings;
        ConfigurationProblems.applied(backend.pid(), (settings.isEmpty() ? "the defaults" : settings)
                + (replace ? " (a new allocator; the old one keeps its buffers)" : ""));
    }

    /** Withdraws the allocator (its buffers stay valid) and forgets any refusal. */
    public synchronized void deactivate() {
        if (handle != null) {
            publisher.withdraw(handle);
            handle = null;
        }
        ConfigurationProblems.accepted(backend.pid());
    }

    /** The running allocator (for tests and the component). */
    public synchronized Allocator allocator() {
        return allocator;
    }

    /** The settings in force. */
    public synchronized Map<String, String> running() {
        return running;
    }

    private void refuse(String problem) {
        ConfigurationProblems.refused(backend.pid(), problem + "; still running with " + (running.isEmpty()
                ? "the defaults" : running));
    }

    /** Every setting's problem, or null when all are good; {@code live} is null before the first allocator. */
    private String check(Allocator live, Map<String, String> settings) {
        List<String> problems = new ArrayList<>();
        for (Map.Entry<String, String> e : settings.entrySet()) {
            String key = e.getKey();
            String value = e.getValue();
            if (key.equals(RANKING)) {
                try {
                    Integer.parseInt(value);
                } catch (NumberFormatException x) {
                    problems.add(RANKING + "='" + value + "' is not an integer (higher wins; built in: "
                            + backend.builtInRanking() + ")");
                }
            } else if (backend.structural().contains(key) || backend.knows(live, key)) {
                String p = backend.check(live, key, value);
                if (p != null) {
                    problems.add(p);
                }
            } else {
                Set<String> known = new TreeSet<>(backend.known(live));
                known.add(RANKING);
                problems.add("unknown setting '" + key + "' (known: " + String.join(", ", known) + ")");
            }
        }
        return problems.isEmpty() ? null : String.join("; ", problems);
    }

    /** Why a new allocator made from {@code settings} cannot serve, when one of them is to blame. */
    private String unloadable(Allocator made, Map<String, String> settings) {
        String why = made.unavailableReason();
        if (why == null) {
            return null;
        }
        for (String key : backend.structural()) {
            if (settings.containsKey(key)) {
                return key + "='" + settings.get(key) + "' does not work: " + why;
            }
        }
        return null; // unavailable for a reason of its own (wrong platform): listed as such, not a refusal
    }

    /**
     * Sets the live settings on {@code target} (on a running one, those that differ from {@code before}; on a
     * {@code fresh} one, all of them), and restores those taken out since {@code before}; the first failure's
     * message, or null.
     */
    private String applyLive(Allocator target, Map<String, String> settings, Map<String, String> before,
            boolean fresh) {
        if (target.unavailableReason() != null) {
            return null;
        }
        Set<String> keys = new TreeSet<>(settings.keySet());
        keys.addAll(before.keySet());
        List<String> applied = new ArrayList<>();
        for (String key : keys) {
            if (key.equals(RANKING) || backend.structural().contains(key)) {
                continue;
            }
            String value = settings.get(key);
            if (!fresh && Objects.equals(value, before.get(key))) {
                continue;
            }
            if (value == null && !started.containsKey(key)) {
                continue; // never set by a configuration: nothing to restore
            }
            try {
                if (!started.containsKey(key)) {
                    started.put(key, backend.current(target, key));
                }
                backend.apply(target, key, value != null ? value : started.get(key));
                applied.add(key);
            } catch (RuntimeException e) {
                for (String undo : applied) { // taken whole or not at all
                    String was = before.get(undo);
                    backend.apply(target, undo, was != null ? was : started.get(undo));
                }
                return key + "='" + value + "': " + e.getMessage();
            }
        }
        return null;
    }

    private int ranking(Map<String, String> settings) {
        String r = settings.get(RANKING);
        return r == null ? backend.builtInRanking() : Integer.parseInt(r);
    }
}
