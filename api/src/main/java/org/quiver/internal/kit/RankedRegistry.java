package org.quiver.internal.kit;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.ServiceConfigurationError;
import java.util.ServiceLoader;
import java.util.function.Consumer;

/**
 * Providers of one kind, best first: by ranking, and among equal rankings the one registered last (so that a
 * provider registered at run time can stand in for one of the same ranking found earlier). Providers arrive from
 * {@link ServiceLoader}, from the OSGi service registry and from run-time registration; each registration returns
 * a token that removes it.
 *
 * <p>Registration is rare and takes the lock, which the owner may share to keep state of its own consistent with
 * the list; lookups read a volatile snapshot and take no lock.
 *
 * @param <T> what is registered
 */
public final class RankedRegistry<T> {

    /**
     * One registration.
     *
     * @param provider what was registered
     * @param ranking  higher serves first
     * @param order    registration order, among equal rankings the higher serves first
     * @param source   where it came from, for messages ("ServiceLoader", "OSGi service from bundle 12" ...)
     * @param token    what {@link #unregister(Object)} takes
     * @param <T>      what is registered
     */
    public record Entry<T>(T provider, int ranking, long order, String source, Object token) {
    }

    private static final Comparator<Entry<?>> BEST_FIRST = Comparator.<Entry<?>>comparingInt(Entry::ranking)
            .thenComparingLong(Entry::order).reversed();

    private final Object lock;
    private long order;
    private volatile List<Entry<T>> entries = List.of();

    /** A registry with its own lock. */
    public RankedRegistry() {
        this(new Object());
    }

    /** A registry that registers and unregisters under {@code lock}, which its owner shares. */
    public RankedRegistry(Object lock) {
        this.lock = lock;
    }

    /** Adds {@code provider}; returns the token that removes it. */
    public Object register(T provider, int ranking, String source) {
        Object token = new Object();
        synchronized (lock) {
            List<Entry<T>> next = new ArrayList<>(entries);
            next.add(new Entry<>(provider, ranking, ++order, source, token));
            next.sort(BEST_FIRST);
            entries = List.copyOf(next);
        }
        return token;
    }

    /** Removes what {@code token} registered; returns its entry, or {@code null} if it is not here (idempotent). */
    public Entry<T> unregister(Object token) {
        synchronized (lock) {
            List<Entry<T>> next = new ArrayList<>(entries);
            for (Entry<T> e : next) {
                if (e.token() == token) {
                    next.remove(e);
                    entries = List.copyOf(next);
                    return e;
                }
            }
            return null;
        }
    }

    /** A snapshot of the registrations, best first. */
    public List<Entry<T>> entries() {
        return entries;
    }

    /**
     * Registers every provider of {@code service} that {@link ServiceLoader} finds through {@code service}'s own
     * class loader. One provider that fails to load does not hide the others: each failure is logged, with why.
     *
     * @param register called with each provider, to register it with its ranking
     * @param what     what a provider is, for the log ("allocator backend", "IO provider")
     */
    public static <S> void discover(Class<S> service, Consumer<S> register, System.Logger log, String what) {
        Iterable<ServiceLoader.Provider<S>> found;
        try {
            found = ServiceLoader.load(service, service.getClassLoader()).stream()::iterator;
        } catch (ServiceConfigurationError e) {
            log.log(System.Logger.Level.WARNING, "cannot look up " + what + "s: " + e);
            return;
        }
        var providers = found.iterator();
        while (true) {
            try {
                if (!providers.hasNext()) {
                    break;
                }
                register.accept(providers.next().get());
            } catch (ServiceConfigurationError | LinkageError e) {
                log.log(System.Logger.Level.WARNING, "an " + what + " could not be loaded: " + e, e);
            }
        }
    }
}
