package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer that was garbage collected while its memory was still allocated, or (inside OSGi) the buffers a
 * bundle left allocated when it stopped.
 *
 * @since 1.0
 */
@ProviderType
public interface LeakReport {

    /**
     * The backend the memory came from: for a stopped bundle's report that covers buffers of several backends
     * (the default moved on between its allocations), their names in the order first used, separated by
     * {@code ", "}.
     */
    String backendName();

    /** Bytes (capacity) still allocated. */
    long capacity();

    /**
     * How many buffers the report covers: 1 for a collected buffer; all of a stopped bundle's live buffers.
     *
     * @since 1.0
     */
    default long buffers() {
        return 1;
    }

    /**
     * The consumer the memory was allocated for ({@code "bundle com.acme.reader [12]"}), when known.
     *
     * @since 1.0
     */
    default String owner() {
        return null;
    }

    /** Where the buffer was allocated ({@link LeakDetection.Level#PARANOID} only), else {@code null}. */
    Throwable allocationSite();

    /**
     * Frees the leaked memory and corrects the accounting. Only safe when no unchecked view of the buffer
     * ({@link Buffer#asSegment()}, {@link Buffer#address()}) is still in use. Idempotent.
     *
     * @throws UnsupportedOperationException for a stopped bundle's buffers, which are still reachable (another
     *         bundle may use them) and are freed when closed
     */
    void release();
}
