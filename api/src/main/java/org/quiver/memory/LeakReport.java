package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A buffer that was garbage collected while its memory was still allocated.
 *
 * @since 0.1
 */
@ProviderType
public interface LeakReport {

    /** The backend of the pool the memory came from. */
    String backendName();

    /** Bytes (capacity) still allocated. */
    long capacity();

    /** Where the buffer was allocated ({@link LeakDetection#PARANOID} only), else {@code null}. */
    Throwable allocationSite();

    /**
     * Frees the leaked memory and corrects the accounting. Only safe when no unchecked view of the buffer
     * ({@link Buffer#asSegment()}, {@link Buffer#address()}) is still in use. Idempotent.
     */
    void release();
}
