package org.quiver.internal.kit;

import java.util.Map;

/** A backend's settings: from its component properties (OSGi), else from system properties. */
public final class Settings {

    private Settings() {
    }

    /**
     * The setting {@code name}: the component property of that name when there is one, else the system property
     * {@code prefix + name}; trimmed, and {@code null} when neither is set or the value is blank.
     *
     * @param properties the component's properties ({@code Map.of()} outside a framework)
     * @param prefix     the system properties' prefix ({@code quiver.jemalloc.})
     */
    public static String lookup(Map<String, ?> properties, String prefix, String name) {
        Object v = properties == null ? null : properties.get(name);
        if (v == null) {
            v = System.getProperty(prefix + name);
        }
        return v == null || v.toString().isBlank() ? null : v.toString().trim();
    }
}
