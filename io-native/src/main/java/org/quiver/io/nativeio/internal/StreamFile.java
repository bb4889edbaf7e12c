package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.io.FileMode;
import org.quiver.io.NativeFile;

/**
 * What the stream-like files here share (buffered, compressed, Java-wrapping): a mode, a closed flag checked by
 * every call (the properties included, as {@link NativeFile} says), and a close that runs {@link #release()} once.
 */
abstract class StreamFile implements NativeFile {

    private final FileMode mode;
    private boolean closed;

    StreamFile(FileMode mode) {
        this.mode = mode;
    }

    final void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    /** Marks closed without releasing (a detach hands the raw file over instead). */
    final void markClosed() {
        closed = true;
    }

    /** Releases what the file holds; runs once, from the first {@link #close()}. */
    abstract void release() throws IOException;

    /**
     * What every file's {@code toString()} looks like, for messages: the kind, the details, and {@code closed}
     * once closed ({@code BufferedInputFile[position=10, raw=OSFile[...], closed]}). It never throws.
     */
    final String describe(String kind, String details) {
        return kind + "[" + details + (closed ? ", closed" : "") + "]";
    }

    /**
     * An object (a Java stream or channel) in a message: its own {@code toString()} where its class has one,
     * else its class name, because {@code Object}'s shows only an identity hash.
     */
    static String describe(Object o) {
        try {
            return o.getClass().getMethod("toString").getDeclaringClass() == Object.class ? o.getClass().getName()
                    : String.valueOf(o);
        } catch (NoSuchMethodException e) {
            throw new AssertionError(e); // every class has toString
        }
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
    public boolean isReadable() {
        checkOpen();
        return mode == FileMode.READ || mode == FileMode.READ_WRITE;
    }

    @Override
    public boolean isWritable() {
        checkOpen();
        return mode != FileMode.READ;
    }

    @Override
    public boolean isSeekable() {
        checkOpen();
        return false;
    }

    @Override
    public final void close() throws IOException {
        if (!closed) {
            closed = true;
            release();
        }
    }
}
