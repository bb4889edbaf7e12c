package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

import org.quiver.internal.kit.Libc;

/**
 * An open file descriptor shared by the threads using one file. Every call holds it ({@link #acquire()} /
 * {@link #release()}) so that a concurrent {@link #close()} never lets a call reach a closed descriptor, or
 * worse, a reused number that now names another file: the descriptor is closed by whoever is last.
 */
final class Descriptor {

    private static final int CLOSED = 1 << 30;
    private static final VarHandle STATE;

    static {
        try {
            STATE = MethodHandles.lookup().findVarHandle(Descriptor.class, "state", int.class);
        } catch (ReflectiveOperationException e) {
            throw new ExceptionInInitializerError(e);
        }
    }

    private final int fd;
    private final String path;
    /** Calls in flight, plus {@link #CLOSED}. */
    @SuppressWarnings("unused")
    private volatile int state;

    Descriptor(int fd, String path) {
        this.fd = fd;
        this.path = path;
    }

    /**
     * Holds the descriptor for one call.
     *
     * @throws IllegalStateException {@code "closed"} once closed
     */
    int acquire() {
        int s;
        do {
            s = state;
            if ((s & CLOSED) != 0) {
                throw new IllegalStateException("closed");
            }
        } while (!STATE.weakCompareAndSet(this, s, s + 1));
        return fd;
    }

    void release() {
        int s = (int) STATE.getAndAdd(this, -1) - 1;
        if (s == CLOSED) {
            closeQuietly();
        }
    }

    /** The descriptor without holding it, for messages and {@code descriptor()}. */
    int number() {
        if (isClosed()) {
            throw new IllegalStateException("closed");
        }
        return fd;
    }

    boolean isClosed() {
        return (state & CLOSED) != 0;
    }

    /**
     * Closes: at once when no call holds the descriptor, else when the last one releases it.
     *
     * @return whether this call closed it (false if it was closed already)
     */
    boolean close() throws IOException {
        int s;
        do {
            s = state;
            if ((s & CLOSED) != 0) {
                return false;
            }
        } while (!STATE.weakCompareAndSet(this, s, s | CLOSED));
        if (s == 0 && Libc.close(fd) != 0) {
            int errno = Libc.errno();
            if (errno != Libc.EINTR) { // Linux has closed the descriptor even then
                throw Errors.of(errno, path, "close fd=" + fd);
            }
        }
        return true;
    }

    private void closeQuietly() {
        Libc.close(fd);
    }
}
