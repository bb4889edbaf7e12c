package org.quiver.webconsole.internal;

import java.util.Map;

import org.quiver.internal.kit.Sizes;
import org.quiver.platform.management.ChildPoolMXBean;
import org.quiver.platform.management.MemoryBackendMXBean;
import org.quiver.platform.management.QuiverPlatformMXBean;

/**
 * The page's actions, checked whole before anything changes: switch the default pool, release unused memory, set
 * a bundle's or child pool's limit. Each returns what happened, in a sentence for the page, or throws
 * {@link Refused} with why, naming the operands, and nothing changed.
 */
final class Actions {

    /** An action refused: the reason for the page (HTTP 400), and nothing changed. */
    static final class Refused extends Exception {
        private static final long serialVersionUID = 1L;

        Refused(String message) {
            super(message);
        }
    }

    private Actions() {
    }

    /**
     * Runs {@code params} ({@code action} and its operands) against the MXBeans.
     *
     * @param views the open views by object name
     */
    static String run(Map<String, String> params, QuiverPlatformMXBean platform,
            Map<String, MemoryBackendMXBean> backends, Map<String, ChildPoolMXBean> views) throws Refused {
        String action = params.get("action");
        if (platform == null) {
            throw new Refused("Quiver's management is not available: the platform bundle is not running, or it runs"
                    + " with quiver.jmx=off");
        }
        if (action == null || action.isBlank()) {
            throw new Refused("no action given (switch, trim or limit)");
        }
        return switch (action) {
            case "switch" -> switchTo(params.get("backend"), platform);
            case "trim" -> trim(platform, backends);
            case "limit" -> limit(params.get("view"), params.get("limit"), views);
            default -> throw new Refused("unknown action '" + action + "' (switch, trim or limit)");
        };
    }

    private static String switchTo(String backend, QuiverPlatformMXBean platform) throws Refused {
        if (backend == null) {
            throw new Refused("switch: no backend given");
        }
        String before = platform.getDefaultPool();
        try {
            platform.switchDefaultPool(backend.trim());
        } catch (IllegalArgumentException e) {
            throw new Refused("switch to '" + backend + "' refused: " + e.getMessage());
        }
        return "default pool: " + before + " -> " + platform.getDefaultPool() + " (" + platform.getDefaultPoolReason()
                + ")";
    }

    private static String trim(QuiverPlatformMXBean platform, Map<String, MemoryBackendMXBean> backends) {
        long before = cached(backends);
        platform.releaseUnused();
        return "released unused memory: the threads' caches held " + before + " bytes, now " + cached(backends)
                + "; each allocator returned what it keeps";
    }

    private static long cached(Map<String, MemoryBackendMXBean> backends) {
        long sum = 0;
        for (MemoryBackendMXBean b : backends.values()) {
            long c = b.getBytesCached();
            sum += Math.max(c, 0);
        }
        return sum;
    }

    private static String limit(String view, String limit, Map<String, ChildPoolMXBean> views) throws Refused {
        if (view == null || view.isBlank()) {
            throw new Refused("limit: no bundle or child pool given");
        }
        ChildPoolMXBean bean = views.get(view);
        if (bean == null) {
            throw new Refused("limit: no open bundle view or child pool '" + view + "' (it may have closed)");
        }
        if (limit == null) {
            throw new Refused("limit of " + bean.getOwner() + ": no limit given (a size such as 64m, or none)");
        }
        String text = limit.trim();
        long bytes;
        if (text.equalsIgnoreCase("none") || text.isEmpty()) {
            bytes = -1;
        } else {
            if (text.startsWith("-")) {
                throw new Refused("limit of " + bean.getOwner() + ": negative limit '" + limit
                        + "' (a size such as 64m, or none)");
            }
            try {
                bytes = Sizes.parse(text);
            } catch (IllegalArgumentException e) {
                throw new Refused("limit of " + bean.getOwner() + ": " + e.getMessage());
            }
        }
        try {
            bean.setLimit(bytes);
        } catch (IllegalArgumentException e) {
            throw new Refused("limit of " + bean.getOwner() + ": " + e.getMessage());
        }
        return "limit of " + bean.getOwner() + ": " + (bytes < 0 ? "none" : bytes + " bytes");
    }
}
