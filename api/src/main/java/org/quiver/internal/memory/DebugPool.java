package org.quiver.internal.memory;

import java.lang.foreign.MemorySegment;
import java.util.Locale;

import org.quiver.memory.MemoryCorruptionException;

/**
 * The debug pool: pyarrow's {@code ARROW_DEBUG_MEMORY_POOL}. Set {@code QUIVER_DEBUG_MEMORY_POOL} (or the system
 * property {@code quiver.memory.debug}, which wins) to {@code abort}, {@code trap} or {@code warn}, and every
 * allocation of every pool gets at least {@link #GUARD} guard bytes after its end: all of {@code [size, capacity)}
 * holds {@link #PATTERN}, checked when the buffer is freed and before it is resized. A write past the end through a
 * raw address or a segment reinterpreted wider is then reported with the buffer's size, its pool and where it was
 * allocated, and
 * <ul>
 * <li>{@code abort}: the message goes to standard error and the JVM exits at once with status 134 (as
 *     {@code abort(3)});</li>
 * <li>{@code trap}: {@link MemoryCorruptionException}, from {@code close()} after the memory is freed, or from
 *     {@code resize}/{@code reserve} before anything changes;</li>
 * <li>{@code warn}: a warning in the log, and the program goes on.</li>
 * </ul>
 * {@code none} (or nothing) turns it off; any other value is reported as a warning and leaves it off. The setting is
 * read once, when the first buffer is allocated. Off, it costs nothing: {@link #ON} is a constant the JIT folds.
 */
public final class DebugPool {

    /** The environment variable: pyarrow's {@code ARROW_DEBUG_MEMORY_POOL}. */
    public static final String ENVIRONMENT = "QUIVER_DEBUG_MEMORY_POOL";
    /** The system property, which wins over the environment. */
    public static final String PROPERTY = "quiver.memory.debug";

    /** What a found corruption does. */
    public enum Mode {
        NONE, WARN, TRAP, ABORT
    }

    private static final System.Logger LOG = System.getLogger("org.quiver.memory");

    /** The mode in force. */
    public static final Mode MODE = readMode();
    /** Whether the debug pool is on. */
    static final boolean ON = MODE != Mode.NONE;
    /** The fewest guard bytes after a buffer's data (capacities grow by this much before their padding). */
    public static final long GUARD = 8;
    /** What every guard byte holds. */
    public static final byte PATTERN = (byte) 0xDB;

    private DebugPool() {
    }

    private static Mode readMode() {
        String origin = "system property " + PROPERTY;
        String value = System.getProperty(PROPERTY);
        if (value == null || value.isBlank()) {
            origin = "environment variable " + ENVIRONMENT;
            value = System.getenv(ENVIRONMENT);
        }
        if (value == null || value.isBlank()) {
            return Mode.NONE;
        }
        try {
            Mode m = Mode.valueOf(value.trim().toUpperCase(Locale.ROOT));
            if (m != Mode.NONE) {
                LOG.log(System.Logger.Level.INFO, "the debug memory pool is on (" + origin + "=" + value.trim()
                        + "): every buffer has guard bytes after its end, checked when it is freed or resized");
            }
            return m;
        } catch (IllegalArgumentException unknown) {
            LOG.log(System.Logger.Level.WARNING, "unknown value for " + origin + ": '" + value + "'; valid values"
                    + " are abort, trap, warn and none; the debug memory pool is off");
            return Mode.NONE;
        }
    }

    /** {@code "; allocated at Caller.method(Caller.java:12)"}: the first frame outside Quiver's pools. */
    private static String allocatedAt(Throwable site) {
        if (site == null) {
            return "";
        }
        for (StackTraceElement e : site.getStackTrace()) {
            String c = e.getClassName();
            if (!c.startsWith("org.quiver.internal.") && !c.equals("org.quiver.memory.MemoryPool")
                    && !c.equals("org.quiver.memory.Buffer")) {
                return "; allocated at " + e;
            }
        }
        return "";
    }

    /** Bytes of {@code capacity} a buffer may use before its guard. */
    static long usable(long capacity) {
        return capacity == 0 ? 0 : capacity - GUARD;
    }

    /** Sets the guard: {@code [size, capacity)} at {@code address} filled with the pattern. */
    static void arm(long address, long size, long capacity) {
        if (capacity > size) {
            NativeMemory.at(address + size, capacity - size).fill(PATTERN);
        }
    }

    /** Takes the guard away: {@code [size, capacity)} zero again, as padding is without the debug pool. */
    static void disarm(long address, long size, long capacity) {
        if (capacity > size) {
            NativeMemory.at(address + size, capacity - size).fill((byte) 0);
        }
    }

    /**
     * Checks {@code buffer}'s guard and reports a change as the mode says. For {@code trap}, the exception is
     * returned for the caller to throw at the right moment ({@code null}: nothing found, or not trapping).
     *
     * @param when {@code "freed"} or {@code "resized"}, for the message
     */
    static MemoryCorruptionException check(PoolBuffer buffer, String when) {
        long size = buffer.size();
        long capacity = buffer.capacity;
        if (capacity <= size) {
            return null;
        }
        MemorySegment guard = NativeMemory.at(buffer.address + size, capacity - size);
        long changed = -1;
        for (long i = 0; i < guard.byteSize(); i++) {
            if (guard.get(java.lang.foreign.ValueLayout.JAVA_BYTE, i) != PATTERN) {
                changed = i;
                break;
            }
        }
        if (changed < 0) {
            return null;
        }
        byte found = guard.get(java.lang.foreign.ValueLayout.JAVA_BYTE, changed);
        String message = "memory corruption found when a buffer was " + when + ": a write past the end of a buffer of "
                + size + " bytes (capacity " + capacity + ") from pool '" + AbstractMemoryPool.nameOf(buffer.owner)
                + "' at 0x" + Long.toHexString(buffer.address) + ": byte " + changed + " past the end (offset "
                + (size + changed) + ") is 0x" + String.format("%02x", found & 0xFF) + ", not the guard's 0x"
                + String.format("%02x", PATTERN & 0xFF) + allocatedAt(buffer.debugSite);
        switch (MODE) {
            case ABORT -> {
                System.err.println("quiver: " + message + " (" + ENVIRONMENT + "=abort: exiting)");
                if (buffer.debugSite != null) {
                    buffer.debugSite.printStackTrace(System.err);
                }
                System.err.flush();
                Runtime.getRuntime().halt(134);
                return null; // not reached
            }
            case TRAP -> {
                return new MemoryCorruptionException(message, buffer.debugSite);
            }
            case WARN -> {
                LOG.log(System.Logger.Level.WARNING, message, buffer.debugSite);
                return null;
            }
            default -> {
                return null;
            }
        }
    }
}
