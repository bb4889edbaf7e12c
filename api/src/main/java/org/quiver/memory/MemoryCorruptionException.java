package org.quiver.memory;

/**
 * A write past the end of a buffer, found by the debug pool (pyarrow's {@code ARROW_DEBUG_MEMORY_POOL=trap}): the
 * guard bytes after the buffer's data had changed when it was freed or resized. The message gives the buffer's
 * size and capacity, its pool, and the first changed byte; the cause, when known, is where it was allocated.
 *
 * <p>Thrown by {@code close()} after the memory went back to its pool (the accounting stays exact), and by
 * {@code resize} and {@code reserve} before they change anything (the guard is set again, so one corruption is
 * reported once).
 *
 * @since 1.1
 */
public class MemoryCorruptionException extends IllegalStateException {
    private static final long serialVersionUID = 1L;

    /**
     * @param message what was found, and where
     * @param allocationSite where the buffer was allocated, or {@code null}
     */
    public MemoryCorruptionException(String message, Throwable allocationSite) {
        super(message, allocationSite);
    }
}
