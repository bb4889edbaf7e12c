package org.quiver.internal.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLong;

import org.quiver.memory.CloseSafety;

/**
 * The state behind {@link CloseSafety}, and the two things every guard does: give a shared arena a segment over
 * any address, and close it, later if a native call still holds it.
 */
public final class Guards {

    static final String LEVEL_PROPERTY = "quiver.memory.closeSafety";
    static final String LARGE_SIZE_PROPERTY = "quiver.memory.closeSafety.largeSize";
    static final long DEFAULT_LARGE_SIZE = 1L << 20;

    private static volatile CloseSafety level = initialLevel();
    private static volatile long largeSize = initialLargeSize();
    /** Blocks of at least this many bytes are guarded: derived from the level and the large size. */
    private static volatile long threshold = threshold(level, largeSize);

    private static final AtomicLong DEFERRED = new AtomicLong();

    private Guards() {
    }

    private static CloseSafety initialLevel() {
        String value = System.getProperty(LEVEL_PROPERTY);
        if (value == null || value.isBlank()) {
            return CloseSafety.LARGE;
        }
        try {
            return CloseSafety.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("system property " + LEVEL_PROPERTY + "=" + value
                    + " is not one of none, large, all", e);
        }
    }

    private static long initialLargeSize() {
        String value = System.getProperty(LARGE_SIZE_PROPERTY);
        if (value == null || value.isBlank()) {
            return DEFAULT_LARGE_SIZE;
        }
        long bytes;
        try {
            bytes = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("system property " + LARGE_SIZE_PROPERTY + "=" + value
                    + " is not a number of bytes", e);
        }
        if (bytes < 0) {
            throw new IllegalArgumentException("system property " + LARGE_SIZE_PROPERTY + "=" + value
                    + " is negative");
        }
        return bytes;
    }

    private static long threshold(CloseSafety level, long largeSize) {
        return switch (level) {
            case NONE -> Long.MAX_VALUE;
            case LARGE -> Math.max(1, largeSize);
            case ALL -> 1;
        };
    }

    public static CloseSafety level() {
        return level;
    }

    public static synchronized void setLevel(CloseSafety newLevel) {
        java.util.Objects.requireNonNull(newLevel, "level");
        level = newLevel;
        threshold = threshold(newLevel, largeSize);
    }

    public static long largeSize() {
        return largeSize;
    }

    public static synchronized void setLargeSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: largeSize=" + bytes);
        }
        largeSize = bytes;
        threshold = threshold(level, bytes);
    }

    /** Whether a block of {@code capacity} bytes is guarded now (zero-size buffers own no memory: never). */
    public static boolean guards(long capacity) {
        return capacity != 0 && capacity >= threshold;
    }

    public static boolean guardsMappings() {
        return level != CloseSafety.NONE;
    }

    /** Closes that had to wait for a native call to let go of the memory, since the JVM started. */
    public static long deferredCloses() {
        return DEFERRED.get();
    }

    /** All of the address space, alive as long as {@code arena}. */
    public static MemorySegment everything(Arena arena) {
        return NativeMemory.everything(arena);
    }

    /**
     * Closes {@code arena}, then runs {@code free}. When a native call holds one of its segments (the JDK then
     * refuses the close), both happen as soon as it lets go, on a virtual thread; nothing throws.
     */
    public static void closeThen(Arena arena, Runnable free) {
        if (tryClose(arena)) {
            free.run();
            return;
        }
        DEFERRED.incrementAndGet();
        Thread.ofVirtual().name("quiver-guard-close").start(() -> {
            long waitNanos = 50_000;
            while (!tryClose(arena)) {
                java.util.concurrent.locks.LockSupport.parkNanos(waitNanos);
                waitNanos = Math.min(waitNanos * 2, 10_000_000);
            }
            try {
                free.run();
            } catch (RuntimeException | Error e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.ERROR,
                        "freeing guarded memory after a native call let go of it failed", e);
            }
        });
    }

    /** Closes {@code arena} now; false, changing nothing, while a native call holds one of its segments. */
    public static boolean tryClose(Arena arena) {
        try {
            arena.close();
            return true;
        } catch (IllegalStateException e) {
            if (!arena.scope().isAlive()) {
                throw new IllegalStateException("guard closed twice", e);
            }
            return false;
        }
    }
}
