package org.quiver.internal.kit;

import java.util.Map;
import java.util.TreeMap;

/**
 * Configurations refused, by PID, with the reason and what runs instead: {@code quiver:pools} lists them, and each
 * refusal is logged once as a warning. A configuration accepted later (or deleted) clears its entry.
 */
public final class ConfigurationProblems {

    private static final System.Logger LOG = System.getLogger("org.quiver.config");
    private static final Map<String, String> REFUSED = new TreeMap<>();

    private ConfigurationProblems() {
    }

    /** Records (and logs) that the configuration {@code pid} was refused, and why. */
    public static void refused(String pid, String reason) {
        synchronized (REFUSED) {
            REFUSED.put(pid, reason);
        }
        LOG.log(System.Logger.Level.WARNING, "configuration " + pid + " refused: " + reason);
    }

    /** The configuration {@code pid} is in force (or gone): it has no problem to report. */
    public static void accepted(String pid) {
        synchronized (REFUSED) {
            REFUSED.remove(pid);
        }
    }

    /** Records (and logs, at the info level) that a changed configuration {@code pid} now runs with {@code what}. */
    public static void applied(String pid, Object what) {
        accepted(pid);
        LOG.log(System.Logger.Level.INFO, "configuration " + pid + " applied: " + what);
    }

    /** The refused configurations, by PID. */
    public static Map<String, String> refused() {
        synchronized (REFUSED) {
            return Map.copyOf(REFUSED);
        }
    }

    /**
     * The settings a configuration holds: its own properties as strings, without those the framework, Configuration
     * Admin, Declarative Services or File Install add ({@code service.pid}, {@code component.name},
     * {@code felix.fileinstall.filename}, ...).
     *
     * @throws IllegalArgumentException for a setting with several values (a list or an array), naming it
     */
    public static Map<String, String> settings(Map<String, ?> properties) {
        Map<String, String> out = new TreeMap<>();
        for (Map.Entry<String, ?> e : properties.entrySet()) {
            String key = e.getKey();
            if (addedByTheFramework(key)) {
                continue;
            }
            Object v = e.getValue();
            if (v == null) {
                continue;
            }
            if (v.getClass().isArray() || v instanceof java.util.Collection<?>) {
                throw new IllegalArgumentException(key + " takes one value, not a list: " + describe(v));
            }
            out.put(key, v.toString().trim());
        }
        return out;
    }

    /**
     * Whether a configuration's key is one the framework, Configuration Admin, Declarative Services or File Install
     * add ({@code service.pid}, {@code component.name}, {@code felix.fileinstall.filename}, private {@code .keys}),
     * not a setting of its own.
     */
    public static boolean addedByTheFramework(String key) {
        return key.startsWith("service.") || key.startsWith("component.") || key.startsWith("felix.")
                || key.startsWith("osgi.") || key.startsWith(".") || key.equals("objectClass");
    }

    private static String describe(Object v) {
        if (v instanceof Object[] a) {
            return java.util.Arrays.toString(a);
        }
        return v.getClass().isArray() ? v.getClass().getComponentType() + "[]" : v.toString();
    }
}
