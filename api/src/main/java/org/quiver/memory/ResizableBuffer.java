package org.quiver.memory;

import org.osgi.annotation.versioning.ProviderType;

/**
 * A pool buffer that can grow and shrink: Arrow's {@code ResizableBuffer}.
 *
 * <p>Capacity is kept a multiple of 64 bytes and new padding is zeroed. Growth goes through the allocator's
 * reallocate (for the system pool, large blocks grow by {@code mremap} without copying). Resizing needs the
 * memory to itself: while slices or {@link Buffer#asSegment(java.lang.foreign.Arena) retained views} of this
 * buffer are open it throws, so no view ever points at moved memory.
 *
 * @since 1.0
 */
@ProviderType
public interface ResizableBuffer extends Buffer {

    /**
     * Sets the size. Growing past the capacity reallocates; shrinking keeps the capacity unless
     * {@code shrinkToFit}, which reallocates down to the size rounded up to 64.
     *
     * @return this buffer
     * @throws IllegalArgumentException if {@code newSize} is negative
     * @throws IllegalStateException    if closed, or slices or views of it are open
     * @throws OutOfMemoryException     if the memory is not available (the buffer is unchanged)
     */
    ResizableBuffer resize(long newSize, boolean shrinkToFit);

    /** {@link #resize(long, boolean) resize(newSize, true)}. */
    default ResizableBuffer resize(long newSize) {
        return resize(newSize, true);
    }

    /**
     * Makes the capacity at least {@code capacity} (rounded up to 64) without changing the size.
     *
     * @return this buffer
     * @throws IllegalArgumentException if {@code capacity} is negative
     * @throws IllegalStateException    if closed, or slices or views of it are open
     * @throws OutOfMemoryException     if the memory is not available (the buffer is unchanged)
     */
    ResizableBuffer reserve(long capacity);

    /** The alignment the memory was allocated with. */
    long alignment();

    /** The pool that accounts for this buffer's memory. */
    MemoryPool pool();
}
