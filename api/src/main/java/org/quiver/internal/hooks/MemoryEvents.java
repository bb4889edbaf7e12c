package org.quiver.internal.hooks;

import org.quiver.memory.ChildPool;

/**
 * What the platform's management (JMX notifications and MBeans) hears from the runtime. Called after the change,
 * outside the runtime's locks, on the thread that made it; an observer must not block, and a failing observer is
 * logged and does not disturb the others. Leaks are heard through {@code LeakDetection.addListener}.
 */
public interface MemoryEvents {

    /**
     * The default pool moved to another backend, or to a new allocator of the same one.
     *
     * @param from   the backend that served before, or null
     * @param to     the backend that serves now, or null when none can
     * @param reason what changed and why {@code to} serves
     */
    default void defaultSwitched(String from, String to, String reason) {
    }

    /** A backend was registered or withdrawn: the list of backends may have changed. */
    default void backendsChanged() {
    }

    /** An allocator was withdrawn with {@code bytesOutstanding} bytes of live blocks (they stay valid). */
    default void backendRetired(String backend, long bytesOutstanding) {
    }

    /** A retired allocator's last block was freed and the allocator closed. */
    default void backendClosed(String backend) {
    }

    /**
     * A child pool or a bundle's view opened.
     *
     * @param id a number no other view of this runtime has, in opening order
     */
    default void viewOpened(ChildPool view, long id) {
    }

    /** A child pool or a bundle's view closed (its id as given to {@link #viewOpened}). */
    default void viewClosed(ChildPool view, long id) {
    }
}
