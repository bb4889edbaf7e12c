package org.quiver.internal.memory;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.function.Function;

import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.internal.hooks.StartupExtension;
import org.quiver.internal.kit.RankedRegistry;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.Allocator;

/**
 * The registry of allocator backends and the choice of the default pool.
 *
 * <p>Backends arrive from {@link java.util.ServiceLoader} (module path and class path, at first use), from the OSGi
 * service registry (through the platform bundle, {@code org.quiver.platform}) and from {@code Allocators.register}. The
 * default is, in order: a pool or name given at run time, the system property {@code quiver.memory.pool}, the
 * environment variable {@code QUIVER_DEFAULT_MEMORY_POOL}, the best-ranked available backend. A named override
 * that is not (yet) available falls back to ranking and takes effect when the backend appears.
 */
public final class Backends {

    /** Backends every Quiver platform knows by name, with the module or bundle that provides them. */
    private static final List<String> KNOWN = List.of("mimalloc", "jemalloc", "system");

    public static final String PROPERTY = "quiver.memory.pool";
    public static final String ENVIRONMENT = "QUIVER_DEFAULT_MEMORY_POOL";

    private static final System.Logger LOG = System.getLogger("org.quiver.memory");

    /** A registered allocator: its name, its pool, and why it cannot serve (null when it can). */
    private record Backend(String name, BackendPool pool, String reason) {
        boolean available() {
            return reason == null;
        }
    }

    private static final Object LOCK = new Object();
    /** Best first; among equal rankings the newest wins. Changed under LOCK. */
    private static final RankedRegistry<Backend> BACKENDS = new RankedRegistry<>(LOCK);
    /** Unregistered backends with live buffers (guarded by LOCK). */
    private static final List<BackendPool> retired = new ArrayList<>();
    private static String runtimeName;
    /** The backend named by the configuration {@code org.quiver.memory} (OSGi), or null. */
    private static String configuredName;
    /** Where {@link #configuredName} came from, for messages. */
    public static final String CONFIGURATION = "configuration org.quiver.memory (default.pool)";
    private static AbstractMemoryPool runtimePool;
    /** Why the configured override is not in force, or null. */
    private static volatile OverrideProblem overrideProblem;

    /**
     * A configured default that is not in force. Its text is built when shown, not when found: a backend's state
     * (in OSGi, its bundle stopped or not yet started) moves on after the registry last changed.
     */
    private record OverrideProblem(String name, String origin) {
        String text() {
            Backend e = bestNamed(name);
            String why = e != null ? "unavailable: " + e.reason
                    : KNOWN.contains(name) ? "not available: " + absentReason(name) : "unknown";
            return "'" + name + "' from " + origin + " is " + why
                    + "; the best-ranked backend serves instead. Known backends: " + knownNames();
        }
    }
    private static volatile boolean overrideWarned;
    private static volatile AbstractMemoryPool current;
    /** The default without a pool set at run time: what such a pool over the default pool sits on. */
    private static volatile AbstractMemoryPool beneath;
    /** Why a known backend has no allocator registered (inside OSGi: its bundle's state); null: not installed. */
    private static volatile Function<String, String> absence = name -> null;

    static {
        discover();
        startExtensions();
    }

    private Backends() {
    }

    /**
     * Outside a framework, with the system property {@code quiver.jmx} set (and not {@code off} or {@code false}):
     * runs the {@link StartupExtension}s on the module path or class path (the platform module's JMX registration).
     */
    private static void startExtensions() {
        String jmx = System.getProperty("quiver.jmx");
        if (jmx == null || jmx.isBlank() || jmx.equalsIgnoreCase("off") || jmx.equalsIgnoreCase("false")
                || PlatformHooks.inFramework()) {
            return;
        }
        boolean[] found = {false};
        RankedRegistry.discover(StartupExtension.class, extension -> {
            found[0] = true;
            try {
                extension.started();
            } catch (RuntimeException | LinkageError e) {
                LOG.log(System.Logger.Level.WARNING, "quiver.jmx=" + jmx + ": " + extension.getClass().getName()
                        + " failed to start", e);
            }
        }, LOG, "start-up extension");
        if (!found[0]) {
            LOG.log(System.Logger.Level.WARNING, "quiver.jmx=" + jmx + " asks for Quiver's MBeans, but the module"
                    + " org.quiver.platform (quiver-platform.jar) is not on the module path or class path");
        }
    }

    /** Registers the allocators found by ServiceLoader with their own rankings. */
    private static void discover() {
        RankedRegistry.discover(Allocator.class, a -> register(a, a.ranking(), "ServiceLoader"), LOG,
                "allocator backend");
    }

    /** Adds a backend; the returned token removes it. */
    public static Object register(Allocator allocator, int ranking, String source) {
        String name = allocator.name().toLowerCase(Locale.ROOT);
        String reason;
        try {
            reason = allocator.unavailableReason();
        } catch (RuntimeException | LinkageError e) {
            reason = "availability check failed: " + e;
        }
        Object token;
        Telemetry.Switch switched;
        synchronized (LOCK) {
            token = BACKENDS.register(new Backend(name, new BackendPool(allocator), reason), ranking, source);
            switched = recompute("backend '" + name + "' registered (" + source + ", ranking " + ranking + ")");
        }
        Telemetry.backendsChanged();
        Telemetry.switched(switched);
        return token;
    }

    /**
     * Removes a backend. Its buffers stay valid and are freed by its allocator, which is closed after the last
     * one. Idempotent.
     */
    public static void unregister(Object token) {
        BackendPool gone = null;
        Telemetry.Switch switched = null;
        synchronized (LOCK) {
            RankedRegistry.Entry<Backend> e = BACKENDS.unregister(token);
            if (e != null) {
                gone = e.provider().pool;
                switched = recompute("backend '" + e.provider().name + "' unregistered");
                retired.add(gone);
            }
        }
        if (gone != null) {
            Telemetry.backendsChanged();
            Telemetry.switched(switched);
            long outstanding = gone.bytesAllocated();
            Telemetry.retired(gone.backendName(), outstanding);
            gone.retire();
            if (outstanding > 0 && !gone.drained()) {
                LOG.log(System.Logger.Level.INFO, "memory pool backend '" + gone.backendName() + "' unregistered with "
                        + outstanding + " bytes still allocated; they stay valid, and its allocator is closed when "
                        + "the last buffer is freed");
            }
        }
    }

    /** A retired backend freed its last block: forget it. */
    static void drained(BackendPool pool) {
        synchronized (LOCK) {
            retired.remove(pool);
        }
    }

    /** Unregistered backends that still have live buffers: name and bytes, for the shell. */
    public static List<Map.Entry<String, Long>> retiredBackends() {
        List<Map.Entry<String, Long>> out = new ArrayList<>();
        synchronized (LOCK) {
            for (BackendPool p : retired) {
                if (!p.drained()) {
                    out.add(Map.entry(p.backendName(), p.bytesAllocated()));
                }
            }
        }
        return out;
    }

    // ---- the default ----------------------------------------------------------------------------------------

    public static MemoryPool defaultPool() {
        return DefaultPool.INSTANCE;
    }

    /**
     * Finds the class that called a static entry point: {@code CALLERS.getCallerClass()} in the entry point's own
     * body names the class that called it. About 250-350 ns (JDK 25), so it is asked only inside a framework.
     */
    public static final StackWalker CALLERS = StackWalker.getInstance(StackWalker.Option.RETAIN_CLASS_REFERENCE);

    /** Inside a framework: the calling bundle's view of the default pool, by the caller's class. */
    private static volatile Function<Class<?>, MemoryPool> callerViews;

    /**
     * Whether allocations through the static entry points ({@code MemoryPool.defaultPool()},
     * {@code Buffer.allocate}, the builders' and streams' no-pool constructors) are attributed to the calling
     * bundle. A volatile read: outside a framework it is the whole cost of attribution.
     */
    public static boolean attributesCallers() {
        return callerViews != null;
    }

    /** The default pool as {@code caller}'s bundle sees it (its own view), or the default pool itself. */
    public static MemoryPool defaultPoolFor(Class<?> caller) {
        Function<Class<?>, MemoryPool> views = callerViews;
        return views == null || caller == null ? DefaultPool.INSTANCE : views.apply(caller);
    }

    /**
     * Installs (or, with {@code null}, removes) the framework's views by caller. The platform bundle installs one, so
     * that a bundle's allocations through the static entry points count against its own view, limit and leak
     * report, exactly as through the {@code MemoryPool} service.
     */
    public static void attributeCallers(Function<Class<?>, MemoryPool> viewsByCaller) {
        callerViews = viewsByCaller;
    }

    /**
     * The default pool as it would be without a pool set at run time (the backend chosen by name, property or
     * ranking): where a pool installed as the default that wraps the default pool allocates.
     */
    static AbstractMemoryPool defaultBeneath() {
        AbstractMemoryPool b = beneath;
        if (b == null) {
            throw new IllegalStateException("no memory pool backend is available; backends: "
                    + describe(supportedBackends()) + ". Install org.quiver.pool.system (the libc allocator).");
        }
        return b;
    }

    static AbstractMemoryPool currentDefault() {
        AbstractMemoryPool c = current;
        if (overrideProblem != null) {
            warnOverride();
        }
        if (c == null) {
            throw new IllegalStateException("no memory pool backend is available; backends: "
                    + describe(supportedBackends()) + ". Install org.quiver.pool.system (the libc allocator).");
        }
        return c;
    }

    public static void setDefault(String name) {
        Telemetry.Switch switched;
        synchronized (LOCK) {
            if (name != null) {
                poolLocked(name); // validates: known and available
            }
            runtimeName = name == null ? null : name.toLowerCase(Locale.ROOT);
            runtimePool = null;
            switched = recompute(name == null ? "the name set at run time was cleared"
                    : "'" + runtimeName + "' set at run time");
        }
        Telemetry.switched(switched);
    }

    /**
     * The backend a configuration names (null: none, by ranking): it comes after a name set at run time and before
     * the system property and the environment. Setting it drops a name set at run time ({@code quiver:usepool}),
     * so the operator's latest statement wins; a pool set at run time stays. A name that is not available now is
     * kept, reported, and used when its backend appears, as the property's is.
     */
    public static void setConfiguredDefault(String name) {
        Telemetry.Switch switched;
        synchronized (LOCK) {
            configuredName = name == null || name.isBlank() ? null : name.trim().toLowerCase(Locale.ROOT);
            runtimeName = null;
            switched = recompute(configuredName == null ? CONFIGURATION + " names no backend"
                    : "'" + configuredName + "' from " + CONFIGURATION);
        }
        Telemetry.switched(switched);
    }

    public static void setDefault(MemoryPool pool) {
        Telemetry.Switch switched;
        synchronized (LOCK) {
            if (pool != null) {
                AbstractMemoryPool p = AbstractMemoryPool.chainable(pool);
                ForwardingPool.settleAsDefault(p); // a pool over the default pool sits on the default beneath it
                runtimePool = p;
            } else {
                runtimePool = null;
            }
            runtimeName = null;
            switched = recompute(pool == null ? "the pool set at run time was cleared" : "a pool set at run time");
        }
        Telemetry.switched(switched);
    }

    /** The override in force, if any, and where it came from; for the shell. */
    public static String overrideDescription() {
        synchronized (LOCK) {
            if (runtimePool != null) {
                return "pool set at run time: " + runtimePool;
            }
            if (runtimeName != null) {
                return "'" + runtimeName + "' set at run time";
            }
            if (configuredName != null && overrideProblem == null) {
                return "'" + configuredName + "' from " + CONFIGURATION;
            }
            OverrideProblem problem = overrideProblem;
            if (problem != null) {
                return problem.text();
            }
            String p = System.getProperty(PROPERTY);
            if (p != null && !p.isBlank()) {
                return "'" + p + "' from system property " + PROPERTY;
            }
            String e = System.getenv(ENVIRONMENT);
            if (e != null && !e.isBlank()) {
                return "'" + e + "' from environment variable " + ENVIRONMENT;
            }
            return null;
        }
    }

    /** Why the default pool's backend serves: the override in force and its origin, else by ranking. */
    public static String defaultReason() {
        String override = overrideDescription();
        return override != null ? override : "the best-ranked available backend";
    }

    /**
     * Chooses the default again after {@code cause}.
     *
     * @return the switch, to be told once the lock is released; null when the default stayed
     */
    private static Telemetry.Switch recompute(String cause) {
        AbstractMemoryPool before = current;
        String basis = null;
        AbstractMemoryPool chosen = null;
        OverrideProblem problem = null;
        // the backend by name (set at run time, by property, by environment), else the best ranked
        String wanted = runtimeName;
        String origin = "the run-time setting";
        if (wanted == null && configuredName != null) {
            wanted = configuredName;
            origin = CONFIGURATION;
        }
        if (wanted == null) {
            wanted = System.getProperty(PROPERTY);
            origin = "system property " + PROPERTY;
        }
        if (wanted == null || wanted.isBlank()) {
            wanted = System.getenv(ENVIRONMENT);
            origin = "environment variable " + ENVIRONMENT;
        }
        if (wanted != null && !wanted.isBlank()) {
            String name = wanted.trim().toLowerCase(Locale.ROOT);
            Backend e = bestNamed(name);
            if (e != null && e.available()) {
                chosen = e.pool;
                basis = runtimeName != null ? "'" + name + "' set at run time" : "'" + name + "' from " + origin;
            } else {
                problem = new OverrideProblem(name, origin);
            }
        }
        if (chosen == null) {
            for (Backend b : backends()) {
                if (b.available()) {
                    chosen = b.pool;
                    break;
                }
            }
        }
        beneath = chosen;
        if (runtimePool != null) {
            chosen = runtimePool;
            problem = null;
            basis = "the pool set at run time";
        }
        current = chosen;
        if (problem == null || !problem.equals(overrideProblem)) {
            overrideWarned = false;
        }
        // A backend chosen at run time that goes away (its bundle stopping, the platform shutting down) is the
        // user's own doing; a configured one that is missing is worth a warning, once, when the default pool is
        // used without it (in OSGi the backend may simply not have started yet).
        overrideProblem = runtimeName != null ? null : problem;
        if (chosen == before) {
            return null;
        }
        if (basis == null) {
            basis = chosen == null ? "no backend is available"
                    : "'" + chosen.backendName() + "' is the best-ranked available backend"
                            + (problem == null ? "" : " (" + problem.text() + ")");
        }
        // The cause and why this backend serves, once when they say the same ("'jemalloc' set at run time").
        return new Telemetry.Switch(before == null ? null : AbstractMemoryPool.nameOf(before),
                chosen == null ? null : AbstractMemoryPool.nameOf(chosen),
                cause.equals(basis) ? cause : cause + "; " + basis);
    }

    /** Warns once that the configured override is not in force; off the hot path until there is a problem. */
    private static void warnOverride() {
        OverrideProblem p = overrideProblem;
        if (p != null && !overrideWarned) {
            overrideWarned = true;
            LOG.log(System.Logger.Level.WARNING, "memory pool " + p.text());
        }
    }

    private static Backend bestNamed(String name) {
        for (Backend b : backends()) {
            if (b.name.equals(name)) {
                return b;
            }
        }
        return null;
    }

    /**
     * Each available backend's name, best first, with the smallest block its allocator may unmap once freed (the
     * block rounded up to its alignment, plus the alignment): what {@code CloseSafety.LARGE} guards in that pool.
     */
    public static Map<String, Long> unmapsFrom() {
        Map<String, Long> out = new java.util.LinkedHashMap<>();
        synchronized (LOCK) {
            for (Backend b : backends()) {
                if (b.available()) {
                    out.putIfAbsent(b.name, b.pool.unmapsFrom());
                }
            }
        }
        return out;
    }

    /** The registered backends, best first. */
    private static List<Backend> backends() {
        return BACKENDS.entries().stream().map(RankedRegistry.Entry::provider).toList();
    }

    // ---- lookups --------------------------------------------------------------------------------------------

    public static MemoryPool pool(String name) {
        synchronized (LOCK) {
            return poolLocked(name);
        }
    }

    private static AbstractMemoryPool poolLocked(String name) {
        if (name == null || name.isBlank()) {
            throw new IllegalArgumentException("no backend name given; known backends: " + knownNames());
        }
        String n = name.trim().toLowerCase(Locale.ROOT);
        Backend e = bestNamed(n);
        if (e == null) {
            throw new IllegalArgumentException((KNOWN.contains(n)
                    ? "memory pool backend '" + n + "' is not available: " + absentReason(n)
                    : "unknown memory pool backend '" + name + "'") + "; known backends: " + knownNames());
        }
        if (!e.available()) {
            throw new IllegalArgumentException("memory pool backend '" + n + "' is not available: " + e.reason);
        }
        return e.pool;
    }

    private static String knownNames() {
        TreeSet<String> names = new TreeSet<>(KNOWN);
        for (Backend b : backends()) {
            names.add(b.name);
        }
        return String.join(", ", names);
    }

    public static List<MemoryBackend> supportedBackends() {
        AbstractMemoryPool def = current;
        List<MemoryBackend> out = new ArrayList<>();
        TreeSet<String> seen = new TreeSet<>();
        for (RankedRegistry.Entry<Backend> e : BACKENDS.entries()) {
            Backend b = e.provider();
            if (seen.add(b.name)) {
                boolean isDefault = def != null && (def == b.pool || def.dependsOn(b.pool));
                out.add(new MemoryBackend(b.name, e.ranking(), true, b.reason, isDefault));
            }
        }
        for (String k : KNOWN) {
            if (seen.add(k)) {
                out.add(new MemoryBackend(k, -1, false, absentReason(k), false));
            }
        }
        return List.copyOf(out);
    }

    /**
     * Inside a framework, the platform bundle says why a known backend has no allocator: its bundle is stopped, not
     * resolved (and what it misses), starting ... The function gets the backend's name and returns null when it
     * knows nothing better than "not installed". {@link #pool(String)} calls it with this class's lock held: it
     * may read the framework's state but must not wait for anything that may itself be waiting to register or
     * unregister an allocator here. {@code null} goes back to "not installed".
     */
    public static void explainAbsence(Function<String, String> reasons) {
        absence = reasons == null ? name -> null : reasons;
    }

    private static String absentReason(String name) {
        String reason = null;
        try {
            reason = absence.apply(name);
        } catch (RuntimeException e) {
            // a framework going away: nothing better to say than the default
        }
        if (reason != null) {
            return reason;
        }
        String hint = PlatformHooks.missingPlatformHint();
        return hint != null ? "not registered: " + hint
                : "not installed: add the module or bundle org.quiver.pool." + name;
    }

    public static long bytesAllocatedInAllPools() {
        return BackendPool.totalAllocated();
    }

    private static String describe(List<MemoryBackend> backends) {
        StringBuilder sb = new StringBuilder();
        for (MemoryBackend b : backends) {
            if (!sb.isEmpty()) {
                sb.append("; ");
            }
            sb.append(b.name()).append(b.available() ? " (available)" : " (" + b.unavailableReason() + ")");
        }
        return sb.toString();
    }
}
