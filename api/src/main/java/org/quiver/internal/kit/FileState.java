package org.quiver.internal.kit;

/**
 * A file's closed state, for the files that keep them in Java (in-memory, buffered, compressed and
 * Java-wrapping files): every call but {@link #isClosed()} checks the state first, as {@code NativeFile} says, and
 * a close runs its release once. The flag is a plain field: a file closed by one thread while another uses it is
 * the caller's race, as it is for every {@code NativeFile}.
 */
public final class FileState {

    private boolean closed;

    /**
     * Throws once the file is closed.
     *
     * @throws IllegalStateException {@code "closed"}
     */
    public void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    /** Whether the file is closed; answers also after close. */
    public boolean isClosed() {
        return closed;
    }

    /**
     * Marks the file closed.
     *
     * @return whether it was open: the caller releases what the file holds exactly when this is true
     */
    public boolean close() {
        boolean wasOpen = !closed;
        closed = true;
        return wasOpen;
    }

    /**
     * What every file's {@code toString()} looks like, for messages: the kind, the details, and {@code closed}
     * once closed ({@code BufferInput[size=100, position=3, closed]}). Never throws.
     */
    public String describe(String kind, String details) {
        return kind + "[" + details + (closed ? ", closed" : "") + "]";
    }
}
