package org.quiver.memory;

/**
 * An allocation the backend could not satisfy. Nothing was allocated and the pool's accounting is unchanged.
 *
 * <p>Unlike {@link OutOfMemoryError} it concerns native memory of one pool, and is meant to be caught.
 *
 * @since 1.0
 */
public class OutOfMemoryException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    /** @param message names the pool, the size and the alignment */
    public OutOfMemoryException(String message) {
        super(message);
    }
}
