package org.quiver.internal.kit;

import java.util.Objects;

/** What a location the user typed is: a path or a URI. */
public final class Locations {

    private Locations() {
    }

    /**
     * Whether {@code pathOrUri} reads as a URI with a scheme ({@code file:/x}, {@code hdfs://h/x}) rather than a path.
     * A single letter before the colon is a Windows drive, not a scheme.
     */
    public static boolean isUri(String pathOrUri) {
        String s = Objects.requireNonNull(pathOrUri, "pathOrUri");
        int colon = s.indexOf(':');
        if (colon < 2) {
            return false;
        }
        for (int i = 0; i < colon; i++) {
            char c = s.charAt(i);
            boolean ok = Character.isLetter(c) || (i > 0 && (Character.isDigit(c) || c == '+' || c == '-' || c == '.'));
            if (!ok) {
                return false;
            }
        }
        return true;
    }
}
