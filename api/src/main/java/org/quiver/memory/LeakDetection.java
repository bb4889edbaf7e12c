package org.quiver.memory;

import java.util.function.Consumer;

import org.osgi.annotation.versioning.ProviderType;
import org.quiver.internal.memory.Leaks;

/**
 * Finds buffers that became garbage without being closed, as Netty's {@code ResourceLeakDetector} does.
 *
 * <p>The level comes from the system property {@code quiver.leak.detection} ({@code off}, {@code sampled},
 * {@code paranoid}; default {@code sampled}) or {@link #setLevel}. A leak is logged as a warning to the
 * {@code org.quiver.memory} logger and passed to every listener. A leaked buffer's memory is <b>not</b> freed
 * automatically (an unchecked {@link Buffer#asSegment()} view might still be in use); a listener may call
 * {@link LeakReport#release()} when it knows better.
 *
 * @since 1.0
 */
public final class LeakDetection {

    /** How closely allocations are watched. */
    public enum Level {
        /** No tracking, no cost. */
        OFF,
        /** About one allocation in {@code quiver.leak.sampling} (default 128) is tracked, without its site. */
        SAMPLED,
        /** Every allocation is tracked with the stack trace of the allocation site. Slow; for tests. */
        PARANOID
    }

    /** A listener's registration: closing it removes the listener. Closing twice does nothing more. */
    @ProviderType
    public interface Registration extends AutoCloseable {
        /** Removes the listener. */
        @Override
        void close();
    }

    private LeakDetection() {
    }

    /** The current level. */
    public static Level level() {
        return Leaks.level();
    }

    /**
     * Changes the level for allocations made from now on.
     *
     * @throws NullPointerException if {@code level} is null
     */
    public static void setLevel(Level level) {
        Leaks.setLevel(level);
    }

    /**
     * Adds a listener called, on a cleaner thread, for every leak found.
     *
     * @return the registration that removes the listener when closed
     * @throws NullPointerException if {@code listener} is null
     */
    public static Registration addListener(Consumer<LeakReport> listener) {
        return Leaks.addListener(listener);
    }

    /** Leaks found since the JVM started. */
    public static long leaksFound() {
        return Leaks.leaksFound();
    }
}
