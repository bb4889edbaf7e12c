package org.quiver.internal.memory;

import java.lang.foreign.Arena;
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
    /** No size set: at {@code LARGE} only what the allocators may unmap is guarded. */
    static final long NO_LARGE_SIZE = Long.MAX_VALUE;
    /** Where an allocator does not say what it unmaps ({@code Allocator.UNMAPS_UNKNOWN}), from this size. */
    public static final long UNKNOWN_ALLOCATOR_UNMAPS_FROM = 1L << 20;

    /**
     * What is guarded now, read once per allocation: blocks of at least {@code everyBlockFrom} bytes in every pool,
     * and, when {@code byAllocator}, every block its allocator may unmap once freed.
     */
    private record Policy(CloseSafety level, long largeSize, long everyBlockFrom, boolean byAllocator) {
        static Policy of(CloseSafety level, long largeSize) {
            return switch (level) {
                case NONE -> new Policy(level, largeSize, Long.MAX_VALUE, false);
                case LARGE -> new Policy(level, largeSize, Math.max(1, largeSize), true);
                case ALL -> new Policy(level, largeSize, 1, false);
            };
        }
    }

    private static volatile Policy policy = Policy.of(initialLevel(), initialLargeSize());

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
            return NO_LARGE_SIZE;
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

    public static CloseSafety level() {
        return policy.level();
    }

    public static synchronized void setLevel(CloseSafety newLevel) {
        java.util.Objects.requireNonNull(newLevel, "level");
        policy = Policy.of(newLevel, policy.largeSize());
    }

    public static long largeSize() {
        return policy.largeSize();
    }

    public static synchronized void setLargeSize(long bytes) {
        if (bytes < 0) {
            throw new IllegalArgumentException("negative size: largeSize=" + bytes);
        }
        policy = Policy.of(policy.level(), bytes);
    }

    /** Whether every pool guards a block of {@code capacity} bytes now (zero-size buffers own no memory: never). */
    public static boolean guards(long capacity) {
        return capacity != 0 && capacity >= policy.everyBlockFrom();
    }

    /**
     * Whether a block of {@code capacity} bytes and {@code alignment} from an allocator that may unmap freed blocks
     * from {@code unmapsFrom} (see {@code Allocator.unmapsFreedBlocksFrom()}) is guarded now. The allocator's
     * measure is the block rounded up to its alignment, plus the alignment.
     */
    static boolean guards(long capacity, long alignment, long unmapsFrom) {
        Policy p = policy;
        return capacity != 0 && (capacity >= p.everyBlockFrom()
                || (p.byAllocator() && ((capacity + alignment - 1) & -alignment) + alignment >= unmapsFrom));
    }

    /** An allocator's answer, with the unknown one replaced by the size Quiver assumes. */
    static long unmapsFrom(long declared) {
        return declared < 0 ? UNKNOWN_ALLOCATOR_UNMAPS_FROM : declared;
    }

    public static boolean guardedMemory(AbstractBuffer buffer) {
        return buffer.guardedMemory();
    }

    public static boolean guardsMappings() {
        return policy.level() != CloseSafety.NONE;
    }

    /** Closes that had to wait for a native call to let go of the memory, since the JVM started. */
    public static long deferredCloses() {
        return DEFERRED.get();
    }

    /**
     * How long guarded memory outlives its guard's close before it is freed. JDK-8364167 (fixed in the JDK's main
     * line in March 2026, not in JDK 25.0.3): a shared arena's close may be handled by a thread at a safepoint poll
     * where it cannot throw yet, and that thread may then make one more access before it throws. Memory unmapped
     * at once would fault there (seen once here, a racing {@code ByteBuffer} read of a system-pool block, in C1
     * code); a few milliseconds later the thread has long thrown.
     */
    static final long GRACE_MILLIS = 5;

    /** Runs {@code free} {@link #GRACE_MILLIS} from now on the reaper thread, which ends when idle. */
    public static void afterGrace(Runnable free) {
        Reaper.EXECUTOR.schedule(() -> {
            try {
                free.run();
            } catch (RuntimeException | Error e) {
                System.getLogger("org.quiver.memory").log(System.Logger.Level.ERROR,
                        "freeing guarded memory after its grace failed", e);
            }
        }, GRACE_MILLIS, java.util.concurrent.TimeUnit.MILLISECONDS);
    }

    private static final class Reaper {
        static final java.util.concurrent.ScheduledThreadPoolExecutor EXECUTOR = executor();

        private static java.util.concurrent.ScheduledThreadPoolExecutor executor() {
            var e = new java.util.concurrent.ScheduledThreadPoolExecutor(1,
                    r -> Thread.ofPlatform().daemon().name("quiver-guard-reaper").unstarted(r));
            e.setKeepAliveTime(1, java.util.concurrent.TimeUnit.SECONDS);
            e.allowCoreThreadTimeOut(true);
            return e;
        }
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
