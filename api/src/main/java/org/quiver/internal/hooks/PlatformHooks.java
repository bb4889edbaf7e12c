package org.quiver.internal.hooks;

import java.util.List;
import java.util.Map;
import java.util.function.Function;

import org.quiver.internal.io.IoProviders;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.internal.memory.Guards;
import org.quiver.internal.memory.PoolReport;
import org.quiver.internal.memory.Telemetry;
import org.quiver.io.spi.NativeIo;
import org.quiver.io.spi.QuiverFileSystemProvider;
import org.quiver.memory.ChildPool;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.spi.Allocator;

/**
 * The runtime's side of the platform bundle: one entry point, so that what a framework may change in the API's
 * registries is written down in one place. Outside a framework nothing calls it, and the registries fill from
 * {@link java.util.ServiceLoader} alone.
 */
public final class PlatformHooks {

    /** Whether the API was loaded by an OSGi bundle's class loader (read by name: no OSGi class is loaded). */
    private static final boolean IN_FRAMEWORK = implementsNamed(PlatformHooks.class.getClassLoader() == null ? null
            : PlatformHooks.class.getClassLoader().getClass(), "org.osgi.framework.BundleReference");

    private static volatile boolean platformRunning;

    private PlatformHooks() {
    }

    /** Whether the API was loaded by an OSGi bundle's class loader. */
    public static boolean inFramework() {
        return IN_FRAMEWORK;
    }

    /** The platform bundle says it started ({@code true}) or stopped bridging services. */
    public static void platformRunning(boolean running) {
        platformRunning = running;
    }

    /**
     * What to add when the registries are empty because the API runs in an OSGi framework without the platform
     * bundle, which alone brings services into them; null in every other case.
     */
    public static String missingPlatformHint() {
        return IN_FRAMEWORK && !platformRunning
                ? "inside OSGi, allocator and IO services reach the API through the bundle org.quiver.platform,"
                        + " which is not running: install and start it (it needs Declarative Services)"
                : null;
    }

    private static boolean implementsNamed(Class<?> type, String name) {
        for (Class<?> c = type; c != null; c = c.getSuperclass()) {
            for (Class<?> i : c.getInterfaces()) {
                if (i.getName().equals(name) || implementsNamed(i, name)) {
                    return true;
                }
            }
        }
        return false;
    }

    /**
     * Registers an allocator service with its ranking.
     *
     * @param source what {@code quiver:pools} says registered it ({@code "OSGi service from bundle 7"})
     * @return a token for {@link #unregisterAllocator}
     */
    public static Object registerAllocator(Allocator allocator, int ranking, String source) {
        return Backends.register(allocator, ranking, source);
    }

    /** Withdraws an allocator registered by {@link #registerAllocator}; its live buffers stay valid. */
    public static void unregisterAllocator(Object token) {
        Backends.unregister(token);
    }

    /** Registers an IO backend service with its ranking; a token for {@link #unregisterIo}. */
    public static Object registerIo(NativeIo io, int ranking, String source) {
        return IoProviders.register(io, ranking, source);
    }

    /** Registers a file-system provider service with its ranking; a token for {@link #unregisterIo}. */
    public static Object registerIo(QuiverFileSystemProvider provider, int ranking, String source) {
        return IoProviders.register(provider, ranking, source);
    }

    /** Withdraws an IO service registered by one of the {@code registerIo} methods. */
    public static void unregisterIo(Object token) {
        IoProviders.unregister(token);
    }

    /**
     * Installs (or, with {@code null}, removes) the reason a known backend ({@code "jemalloc"}) has no allocator,
     * from its bundle's state; the function returns null when it knows nothing better than "not installed". It is
     * called with the backend registry's lock held: it may read the framework's state, and must not wait.
     */
    public static void explainAbsence(Function<String, String> reasons) {
        Backends.explainAbsence(reasons);
    }

    /**
     * Installs (or, with {@code null}, removes) the views by caller: the static entry points
     * ({@code MemoryPool.defaultPool()}, {@code Buffer.allocate}, ...) then allocate through the view the
     * function gives for the calling class.
     */
    public static void attributeCallers(Function<Class<?>, MemoryPool> viewsByCaller) {
        Backends.attributeCallers(viewsByCaller);
    }

    /**
     * The backend the configuration {@code org.quiver.memory} names for the default pool (null: by ranking). It
     * drops a name set at run time; one not available now is used when its backend appears.
     */
    public static void configureDefault(String backend) {
        Backends.setConfiguredDefault(backend);
    }

    /** The default pool itself, never a caller's view of it. */
    public static MemoryPool defaultPool() {
        return Backends.defaultPool();
    }

    /**
     * A consumer's view of {@code parent}: a {@link ChildPool} named in reports and leak reports by
     * {@code owner} as it is ({@code "bundle com.acme.reader [12]"}), listed by {@code quiver:stats}.
     *
     * @param limit bytes, {@link Long#MAX_VALUE} for none
     */
    public static ChildPool openView(MemoryPool parent, String owner, long limit) {
        return ConsumerPool.open(parent, owner, limit);
    }

    /** The {@code quiver:pools} table: backends, ranking, the default and why, availability with reasons. */
    public static String poolsReport() {
        return PoolReport.pools();
    }

    /** The {@code quiver:stats} tables: the default pool, every backend, every open view or child pool. */
    public static String statsReport() {
        return PoolReport.stats();
    }

    /** A backend's options, one per line. */
    public static String optionsReport(String backend) {
        return PoolReport.options(backend);
    }

    /** Why the default pool's backend serves: the override in force and where it came from, or by ranking. */
    public static String defaultReason() {
        return Backends.defaultReason();
    }

    /** Backends withdrawn with live buffers: each one's name and bytes still allocated. */
    public static List<Map.Entry<String, Long>> retiredBackends() {
        return Backends.retiredBackends();
    }

    /** The open child pools and bundle views, by owner. */
    public static List<ChildPool> openViews() {
        return List.copyOf(ConsumerPool.open());
    }

    /** An open view's id, as {@link MemoryEvents#viewOpened} gives it. */
    public static long viewId(ChildPool view) {
        return ((ConsumerPool) view).id();
    }

    /** How reports name an open view: {@code "child pool 'scratch'"}, {@code "bundle com.acme.reader [12]"}. */
    public static String viewOwner(ChildPool view) {
        return ((ConsumerPool) view).owner();
    }

    /**
     * Adds an observer of switches, retirements and views; the returned action removes it. It also hears about
     * the views opened before it was added only through {@link #openViews}.
     */
    public static Runnable observe(MemoryEvents observer) {
        return Telemetry.observe(observer);
    }

    /** How many closes had to wait for a native call still reading the memory (close safety). */
    public static long deferredCloses() {
        return Guards.deferredCloses();
    }

    /** From which block size each available backend may unmap a freed block, by backend name. */
    public static Map<String, Long> unmapsFrom() {
        return Backends.unmapsFrom();
    }
}
