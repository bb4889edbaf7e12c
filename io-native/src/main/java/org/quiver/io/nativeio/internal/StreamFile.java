package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.internal.kit.Checks;
import org.quiver.internal.kit.FileState;
import org.quiver.io.FileMode;
import org.quiver.io.NativeFile;
import org.quiver.memory.Buffer;

/**
 * What the stream-like files here share (buffered, compressed, Java-wrapping): a mode, a closed flag checked by
 * every call (the properties included, as {@link NativeFile} says), and a close that runs {@link #release()} once.
 */
abstract class StreamFile implements NativeFile {

    private final FileMode mode;
    private final FileState state = new FileState();

    StreamFile(FileMode mode) {
        this.mode = mode;
    }

    final void checkOpen() {
        state.checkOpen();
    }

    /**
     * Checks a read into {@code dst}: the range (a message naming the operands), that this file is open, and that
     * the buffer can be written when anything is asked for.
     *
     * @return whether the read asks for nothing (then it returns 0 without touching anything)
     * @throws UnsupportedOperationException for a read-only buffer
     */
    final boolean checkRead(Buffer dst, long offset, long length) {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        if (length == 0) {
            return true;
        }
        if (!dst.isMutable()) {
            throw new UnsupportedOperationException("read into a read-only buffer: size=" + dst.size());
        }
        return false;
    }

    /** Marks closed without releasing (a detach hands the raw file over instead). */
    final void markClosed() {
        state.close();
    }

    /** Releases what the file holds; runs once, from the first {@link #close()}. */
    abstract void release() throws IOException;

    /**
     * What every file's {@code toString()} looks like, for messages: the kind, the details, and {@code closed}
     * once closed ({@code BufferedSequentialInput[position=10, raw=OSFile[...], closed]}). It never throws.
     */
    final String describe(String kind, String details) {
        return state.describe(kind, details);
    }

    /**
     * A foreign object (a Java stream or channel) in a message: its class name, never its own {@code toString()},
     * which is of unknown cost and content: a {@code ByteArrayOutputStream}'s is everything written to it (a
     * secret in an error message, and an {@link OutOfMemoryError} for a stream of a few hundred MB). Called only
     * when a message is made, never when the file is made.
     */
    static String describe(Object o) {
        return o.getClass().getName();
    }

    @Override
    public final FileMode mode() {
        checkOpen();
        return mode;
    }

    @Override
    public final boolean isClosed() {
        return state.isClosed();
    }

    @Override
    public boolean isReadable() {
        checkOpen();
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
        if (state.close()) {
            release();
        }
    }
}
