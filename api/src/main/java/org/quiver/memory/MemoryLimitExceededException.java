package org.quiver.memory;

/**
 * An allocation refused because it would take a capped pool over its limit. Nothing was allocated.
 *
 * @since 1.0
 */
public class MemoryLimitExceededException extends OutOfMemoryException {
    private static final long serialVersionUID = 1L;

    private final long requested;
    private final long limit;
    private final long allocated;

    /**
     * @param requested bytes asked for
     * @param allocated bytes outstanding at the time
     * @param limit     the limit
     */
    public MemoryLimitExceededException(long requested, long allocated, long limit) {
        this(null, requested, allocated, limit);
    }

    /**
     * @param owner     whose limit it is (an OSGi bundle, say), or {@code null}
     * @param requested bytes asked for
     * @param allocated bytes outstanding at the time
     * @param limit     the limit
     * @since 1.0
     */
    public MemoryLimitExceededException(String owner, long requested, long allocated, long limit) {
        super("memory limit " + (owner == null ? "" : "of " + owner + " ") + "exceeded: requested=" + requested
                + " allocated=" + allocated + " limit=" + limit);
        this.requested = requested;
        this.allocated = allocated;
        this.limit = limit;
    }

    /** Bytes asked for. */
    public long requested() {
        return requested;
    }

    /** Bytes outstanding when the request was refused. */
    public long allocated() {
        return allocated;
    }

    /** The pool's limit. */
    public long limit() {
        return limit;
    }
}
