package org.quiver.io.hdfs.internal;

import java.io.Closeable;
import java.io.IOException;

import org.quiver.io.FileMode;
import org.quiver.io.NativeFile;

/**
 * What an open HDFS file of either direction has: the connection it holds a reference to, its path, the
 * client's stream, and closing (once, releasing the reference).
 */
abstract class HdfsFile implements NativeFile {

    /** Opens the client's stream for a file. */
    interface Opener<S> {
        S open() throws IOException;
    }

    final Connection connection;
    final String path;
    private final FileMode mode;
    private final Closeable stream;
    private volatile boolean closed;

    HdfsFile(Connection connection, String path, FileMode mode, Closeable stream) {
        this.connection = connection;
        this.path = path;
        this.mode = mode;
        this.stream = stream;
    }

    /**
     * Takes a reference on {@code connection} for a file about to be opened, and gives it back when opening
     * fails.
     */
    static <S> S withReference(Connection connection, Opener<S> opener) throws IOException {
        connection.retain();
        try {
            return opener.open();
        } catch (IOException | RuntimeException | Error e) {
            connection.release();
            throw e;
        }
    }

    /** Every call but close throws on a closed file, the properties included ({@link NativeFile}). */
    final void requireOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public final FileMode mode() {
        requireOpen();
        return mode;
    }

    @Override
    public final boolean isClosed() {
        return closed;
    }

    @Override
    public final void close() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        if (connection.isClosed()) {
            return; // the provider stopped and closed the client, and with it this stream
        }
        try {
            connection.io("close", path, dfs -> {
                stream.close();
                return null;
            });
        } finally {
            connection.release();
        }
    }

    /** What {@link #toString()} says after the path and mode (the size of a file being read). */
    String details() {
        return "";
    }

    /**
     * {@code HdfsInputFile[path=hdfs://nn:8020/a, mode=READ, size=100]}, with {@code , closed} once closed. No
     * position: the client's {@code getPos()} takes the stream's lock, and a message must not wait for a read.
     */
    @Override
    public String toString() {
        return getClass().getSimpleName() + "[path=" + connection.nameNode + path + ", mode=" + mode + details()
                + (closed ? ", closed" : "") + "]";
    }
}
