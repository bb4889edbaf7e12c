package org.quiver.platform.internal;

import java.util.List;
import java.util.TreeSet;

import org.apache.felix.service.command.Descriptor;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.quiver.internal.hooks.PlatformHooks;
import org.quiver.internal.kit.Sizes;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;

/**
 * Gogo shell commands of the {@code quiver} scope.
 */
@Component(service = PoolCommands.class, property = {
        "osgi.command.scope=quiver",
        "osgi.command.function=pools",
        "osgi.command.function=stats",
        "osgi.command.function=usepool",
        "osgi.command.function=trim",
        "osgi.command.function=limit",
        "osgi.command.function=option",
        "osgi.command.function=safety"})
public final class PoolCommands {

    private final BundleContext context;
    private final AllocatorServices services;

    @Activate
    public PoolCommands(BundleContext context, @Reference AllocatorServices services) {
        this.context = context;
        this.services = services;
    }

    @Descriptor("list the memory pool backends: ranking, default, bytes allocated, peak, availability")
    public String pools() {
        return PlatformHooks.poolsReport();
    }

    @Descriptor("show the statistics of the default pool and of every backend")
    public String stats() {
        return PlatformHooks.statsReport();
    }

    @Descriptor("show a backend's own statistics, as its allocator prints them (pyarrow's print_stats)")
    public String stats(@Descriptor("backend name: system, jemalloc, mimalloc, or default") String name)
            throws java.io.IOException {
        MemoryPool pool = "default".equalsIgnoreCase(name.trim()) ? MemoryPool.defaultPool() : MemoryPool.pool(name);
        StringBuilder out = new StringBuilder();
        pool.printStats(out);
        return out.isEmpty() ? "backend '" + pool.backendName() + "' prints no statistics of its own" : out.toString();
    }

    @Descriptor("make a backend serve the default pool (\"ranking\" goes back to service ranking)")
    public String usepool(@Descriptor("backend name: system, jemalloc, mimalloc, or ranking") String name) {
        MemoryPool.setDefault("ranking".equalsIgnoreCase(name) ? (String) null : name);
        return PlatformHooks.poolsReport();
    }

    @Descriptor("return the default pool's unused memory to the operating system")
    public String trim() {
        MemoryPool.defaultPool().releaseUnused();
        return PlatformHooks.statsReport();
    }

    @Descriptor("return a backend's unused memory to the operating system (jemalloc purge, mi_collect, malloc_trim)")
    public String trim(@Descriptor("backend name") String backend) {
        MemoryPool.pool(backend).releaseUnused();
        return PlatformHooks.statsReport();
    }

    @Descriptor("limit the memory a bundle may hold from the default pool, through the MemoryPool service or "
            + "MemoryPool.defaultPool() (\"none\" removes the limit)")
    public String limit(@Descriptor("bundle symbolic name") String bundle,
            @Descriptor("bytes, or a size such as 64m or 2g, or none") String size) {
        long bytes = "none".equalsIgnoreCase(size.trim()) ? -1 : Sizes.parse(size);
        requireInstalled(bundle);
        BundleViews views = services.views();
        if (views == null) {
            throw new IllegalStateException("the platform is stopping: no limit can be set now");
        }
        int changed = views.setLimit(bundle, bytes);
        return "limit of " + bundle + ": " + (bytes < 0 ? "none" : bytes + " bytes") + " (" + changed
                + " open view(s) changed)\n" + PlatformHooks.statsReport();
    }

    /**
     * Limits are kept by symbolic name, also for views opened later; a name no installed bundle has is most
     * likely a typo, which would otherwise limit nothing without a word.
     */
    private void requireInstalled(String bsn) {
        TreeSet<String> similar = new TreeSet<>();
        String lastSegment = bsn.substring(bsn.lastIndexOf('.') + 1);
        for (Bundle b : context.getBundles()) {
            String name = b.getSymbolicName();
            if (bsn.equals(name)) {
                return;
            }
            if (name != null && !lastSegment.isEmpty() && name.contains(lastSegment)) {
                similar.add(name);
            }
        }
        throw new IllegalArgumentException("no installed bundle has the symbolic name '" + bsn + "'"
                + (similar.isEmpty() ? "" : " (similar: " + String.join(", ", similar) + ")")
                + "; limits apply to bundles by symbolic name (lb -s lists them). For a bundle not installed yet,"
                + " set the framework property " + BundleViews.LIMIT_PROPERTY_PREFIX + bsn);
    }

    @Descriptor("show which memory is guarded against a racing close (CloseSafety)")
    public String safety() {
        CloseSafety level = CloseSafety.level();
        return "close safety: " + level.name().toLowerCase(java.util.Locale.ROOT) + switch (level) {
            case NONE -> " (nothing guarded: a racing close or a view kept past close may crash the JVM)";
            case LARGE -> " (guarded: every memory map, the blocks each allocator may unmap once freed ("
                    + unmapSizes() + ")" + (CloseSafety.largeSize() == Long.MAX_VALUE ? ""
                            : ", and every block from " + CloseSafety.largeSize() + " bytes") + ")";
            case ALL -> " (every block and every memory map is guarded)";
        } + "; closes that waited for a native call: " + PlatformHooks.deferredCloses();
    }

    @Descriptor("guard none, large (the blocks an allocator may unmap once freed, and maps; the default) or all memory"
            + " against a racing close; applies to memory allocated or mapped from now on")
    public String safety(@Descriptor("none, large or all") String level) {
        CloseSafety.setLevel(parseLevel(level));
        return safety();
    }

    @Descriptor("set the close-safety level and a size from which the large level guards every block in every pool")
    public String safety(@Descriptor("none, large or all") String level,
            @Descriptor("bytes, or a size such as 1m") String largeSize) {
        CloseSafety parsed = parseLevel(level);
        CloseSafety.setLargeSize(Sizes.parse(largeSize));
        CloseSafety.setLevel(parsed);
        return safety();
    }

    private static String unmapSizes() {
        List<String> parts = new java.util.ArrayList<>();
        PlatformHooks.unmapsFrom().forEach((name, from) -> parts.add(name + (from == Long.MAX_VALUE ? " none"
                : " from " + from + " bytes")));
        return parts.isEmpty() ? "no backend available" : String.join(", ", parts);
    }

    private static CloseSafety parseLevel(String level) {
        try {
            return CloseSafety.valueOf(level.trim().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("unknown close-safety level '" + level + "': none, large or all", e);
        }
    }

    @Descriptor("show a backend's options (library, version, tuning)")
    public String option(@Descriptor("backend name") String backend) {
        return PlatformHooks.optionsReport(backend);
    }

    @Descriptor("set a backend's tuning option, e.g. option jemalloc dirty_decay_ms 0")
    public String option(@Descriptor("backend name") String backend, @Descriptor("option name") String name,
            @Descriptor("new value") String value) {
        MemoryPool.pool(backend).setBackendOption(name, value);
        return PlatformHooks.optionsReport(backend);
    }
}
