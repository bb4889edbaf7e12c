package org.quiver.internal.io;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;

import org.quiver.io.Compression;
import org.quiver.io.FileSystem;
import org.quiver.io.spi.FileSystemProvider;
import org.quiver.io.spi.NativeIo;

/**
 * The registry of IO providers: the {@link NativeIo} backends and the {@link FileSystemProvider}s by scheme.
 * They arrive from {@link ServiceLoader} (module path and class path, at first use) and from the OSGi glue
 * ({@code IoServices}); the best-ranked one serves. Registration is rare and takes a lock; lookups read a
 * volatile snapshot.
 */
public final class IoProviders {

    /** What the messages tell a user who has no provider. */
    static final String INSTALL_HINT = "install the org.quiver.io.nativeio bundle (OSGi), or put the"
            + " quiver-io-native jar on the module path or class path";

    private static final System.Logger LOG = System.getLogger("org.quiver.io");

    private record Entry<T>(T provider, int ranking, String source, Object token) {
    }

    private static final Comparator<Entry<?>> BEST_FIRST = Comparator.<Entry<?>>comparingInt(Entry::ranking).reversed();

    private static final Object LOCK = new Object();
    private static volatile List<Entry<NativeIo>> nativeIos = List.of();
    private static volatile List<Entry<FileSystemProvider>> fileSystems = List.of();
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
            try {
                for (NativeIo io : ServiceLoader.load(NativeIo.class, NativeIo.class.getClassLoader())) {
                    register(io, io.ranking(), "ServiceLoader");
                }
                for (FileSystemProvider p : ServiceLoader.load(FileSystemProvider.class,
                        FileSystemProvider.class.getClassLoader())) {
                    register(p, p.ranking(), "ServiceLoader");
                }
            } catch (ServiceConfigurationError e) {
                LOG.log(System.Logger.Level.WARNING, "an IO provider failed to load: " + e, e);
            }
        }
    }

    /** Adds a local IO backend; returns the token to {@link #unregister} it with. */
    public static Object register(NativeIo io, int ranking, String source) {
        Object token = new Object();
        synchronized (LOCK) {
            List<Entry<NativeIo>> next = new ArrayList<>(nativeIos);
            next.add(new Entry<>(io, ranking, source, token));
            next.sort(BEST_FIRST);
            nativeIos = List.copyOf(next);
        }
        return token;
    }

    /** Adds a file system provider; returns the token to {@link #unregister} it with. */
    public static Object register(FileSystemProvider provider, int ranking, String source) {
        Object token = new Object();
        synchronized (LOCK) {
            List<Entry<FileSystemProvider>> next = new ArrayList<>(fileSystems);
            next.add(new Entry<>(provider, ranking, source, token));
            next.sort(BEST_FIRST);
            fileSystems = List.copyOf(next);
        }
        return token;
    }

    /** Removes what {@code token} registered. */
    public static void unregister(Object token) {
        synchronized (LOCK) {
            nativeIos = nativeIos.stream().filter(e -> e.token != token).toList();
            fileSystems = fileSystems.stream().filter(e -> e.token != token).toList();
        }
    }

    /** The best-ranked local IO backend. */
    public static NativeIo nativeIo() {
        discover();
        List<Entry<NativeIo>> current = nativeIos;
        if (current.isEmpty()) {
            throw new IllegalStateException("no IO provider for OS files, memory maps and codecs: " + INSTALL_HINT);
        }
        return current.get(0).provider;
    }

    /** Why {@code compression} cannot be used here, or {@code null}. */
    public static String codecUnavailableReason(Compression compression) {
        discover();
        List<Entry<NativeIo>> current = nativeIos;
        if (current.isEmpty()) {
            return "no IO provider: " + INSTALL_HINT;
        }
        return current.get(0).provider.codecUnavailableReason(compression);
    }

    /** The file system for {@code uri}'s scheme ({@code file} when it has none). */
    public static FileSystem fileSystem(URI uri, Map<String, String> options) throws IOException {
        discover();
        String scheme = uri.getScheme() == null ? "file" : uri.getScheme().toLowerCase(Locale.ROOT);
        StringBuilder unavailable = new StringBuilder();
        for (Entry<FileSystemProvider> e : fileSystems) {
            if (!e.provider.scheme().equalsIgnoreCase(scheme)) {
                continue;
            }
            String reason = e.provider.unavailableReason();
            if (reason == null) {
                return e.provider.newFileSystem(uri, options);
            }
            unavailable.append("; ").append(e.source).append(" is unavailable: ").append(reason);
        }
        List<String> known = schemes();
        throw new IllegalArgumentException("no file system for scheme '" + scheme + "' in " + uri + " (known: "
                + (known.isEmpty() ? "none; " + INSTALL_HINT : String.join(", ", known)) + unavailable + ")");
    }

    /** Schemes with an available provider, best-ranked first. */
    public static List<String> schemes() {
        discover();
        List<String> out = new ArrayList<>();
        for (Entry<FileSystemProvider> e : fileSystems) {
            String s = e.provider.scheme().toLowerCase(Locale.ROOT);
            if (!out.contains(s) && e.provider.unavailableReason() == null) {
                out.add(s);
            }
        }
        return List.copyOf(out);
    }
}
