package org.quiver.io;

/**
 * What the in-memory files share: the mode, the capabilities and the closed state. Subclasses release their
 * memory in {@link #release()}, which runs once.
 */
abstract sealed class MemoryFile implements NativeFile permits BufferInput, BufferOutput, FixedSizeBufferOutput {

    private final FileMode mode;
    private final boolean readable;
    private final boolean writable;
    private final boolean seekable;
    private boolean closed;

    MemoryFile(FileMode mode, boolean readable, boolean writable, boolean seekable) {
        this.mode = mode;
        this.readable = readable;
        this.writable = writable;
        this.seekable = seekable;
    }

    /** Throws {@code IllegalStateException("closed")} once the file is closed. */
    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    /** Marks the file closed without releasing (a finished stream hands its buffer over instead). */
    final void markClosed() {
        closed = true;
    }

    /** Frees what the file holds; called once, by the first {@link #close()}. */
    abstract void release();

    /**
     * What every file's {@code toString()} looks like, for messages: the kind, the details, and {@code closed}
     * once closed ({@code BufferInput[size=100, position=3, closed]}). It never throws.
     */
    final String describe(String details) {
        return getClass().getSimpleName() + "[" + details + (closed ? ", closed" : "") + "]";
    }

    @Override
    public final FileMode mode() {
        checkOpen();
        return mode;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final boolean isReadable() {
        checkOpen();
        return readable;
    }

    @Override
    public final boolean isWritable() {
        checkOpen();
        return writable;
    }

    @Override
    public final boolean isSeekable() {
        checkOpen();
        return seekable;
    }

    /**
     * Called by each {@link #close()} of a file that was already closed: frees what a file kept when it was closed
     * another way (a {@link BufferOutput} closed by a layer keeps its result until its own close). Nothing by
     * default.
     */
    void closeAgain() {
    }

    @Override
    public final void close() {
        if (!closed) {
            closed = true;
            release();
        } else {
            closeAgain();
        }
    }
}
