package org.quiver.internal.io;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.quiver.internal.kit.RankedRegistry;
import org.quiver.io.Compression;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.spi.QuiverFileSystemProvider;
import org.quiver.io.spi.NativeIo;

/**
 * The registry of IO providers: the {@link NativeIo} backends and the {@link QuiverFileSystemProvider}s by scheme.
 * They arrive from {@link java.util.ServiceLoader} (module path and class path, at first use) and from the OSGi service
 * registry (through the platform bundle); the best-ranked one serves. Registration is rare and takes a lock; lookups read a
 * volatile snapshot.
 */
public final class IoProviders {

    /** What the messages tell a user who has no provider. */
    private static final String INSTALL_HINT = "install the org.quiver.io.nativeio bundle (OSGi), or put the"
            + " quiver-io-native jar on the module path or class path";

    private static final System.Logger LOG = System.getLogger("org.quiver.io");

    private static final Object LOCK = new Object();
    private static final RankedRegistry<NativeIo> NATIVE_IOS = new RankedRegistry<>(LOCK);
    private static final RankedRegistry<QuiverFileSystemProvider> FILE_SYSTEMS = new RankedRegistry<>(LOCK);
    private static volatile boolean discovered;

    private IoProviders() {
    }

    private static void discover() {
        if (discovered) {
            return;
        }
        synchronized (LOCK) {
            if (discovered) {
                return;
            }
            discovered = true;
            RankedRegistry.discover(NativeIo.class, io -> register(io, io.ranking(), "ServiceLoader"), LOG,
                    "IO provider");
            RankedRegistry.discover(QuiverFileSystemProvider.class, p -> register(p, p.ranking(), "ServiceLoader"), LOG,
                    "IO provider");
        }
    }

    /** Adds a local IO backend; returns the token to {@link #unregister} it with. */
    public static Object register(NativeIo io, int ranking, String source) {
        return NATIVE_IOS.register(io, ranking, source);
    }

    /** Adds a file system provider; returns the token to {@link #unregister} it with. */
    public static Object register(QuiverFileSystemProvider provider, int ranking, String source) {
        return FILE_SYSTEMS.register(provider, ranking, source);
    }

    /** Removes what {@code token} registered. */
    public static void unregister(Object token) {
        if (NATIVE_IOS.unregister(token) == null) {
            FILE_SYSTEMS.unregister(token);
        }
    }

    private static String installHint() {
        String hint = org.quiver.internal.hooks.PlatformHooks.missingPlatformHint();
        return hint != null ? hint : INSTALL_HINT;
    }

    /** The best-ranked local IO backend. */
    public static NativeIo nativeIo() {
        discover();
        List<RankedRegistry.Entry<NativeIo>> current = NATIVE_IOS.entries();
        if (current.isEmpty()) {
            throw new IllegalStateException("no IO provider for OS files, memory maps and codecs: " + installHint());
        }
        return current.get(0).provider();
    }

    /** Why {@code compression} cannot be used here, or {@code null}. */
    public static String codecUnavailableReason(Compression compression) {
        discover();
        List<RankedRegistry.Entry<NativeIo>> current = NATIVE_IOS.entries();
        if (current.isEmpty()) {
            return "no IO provider: " + installHint();
        }
        return current.get(0).provider().codecUnavailableReason(compression);
    }

    /** The file system for {@code uri}'s scheme ({@code file} when it has none). */
    public static QuiverFileSystem fileSystem(URI uri, Map<String, String> options) throws IOException {
        discover();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder unavailable = new StringBuilder();
        for (RankedRegistry.Entry<QuiverFileSystemProvider> e : FILE_SYSTEMS.entries()) {
            if (!e.provider().scheme().equalsIgnoreCase(scheme)) {
                continue;
            }
            String reason = e.provider().unavailableReason();
            if (reason == null) {
                return e.provider().newFileSystem(uri, options);
            }
            unavailable.append("; ").append(e.source()).append(" is unavailable: ").append(reason);
        }
        List<String> known = schemes();
        throw new IllegalArgumentException("no file system for scheme '" + scheme + "' in " + uri + " (known: "
                + (known.isEmpty() ? "none; " + installHint() : String.join(", ", known)) + unavailable + ")");
    }

    /** Schemes with an available provider, best-ranked first. */
    public static List<String> schemes() {
        discover();
        List<String> out = new ArrayList<>();
        for (RankedRegistry.Entry<QuiverFileSystemProvider> e : FILE_SYSTEMS.entries()) {
            String s = e.provider().scheme().toLowerCase(Locale.ROOT);
            if (!out.contains(s) && e.provider().unavailableReason() == null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
