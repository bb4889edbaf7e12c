package org.quiver.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;

/**
 * The java.io views of native files, and the array reads shared by every input file.
 */
public final class FileStreams {

    private FileStreams() {
    }

    /** The largest byte array the JVM allocates (the JDK's own soft limit). */
    static final int MAX_ARRAY_LENGTH = Integer.MAX_VALUE - 8;

    /** Where the arrays of the reads below start; they grow by doubling with what arrives. */
    private static final int FIRST_CHUNK = 8192;

    /**
     * Reads up to {@code length} bytes; the array is as long as what was read. It grows with what arrives, so
     * {@code read(Integer.MAX_VALUE - 8)} of a short file allocates the file, not 2 GiB.
     */
    public static byte[] readBytes(SequentialInput file, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
        byte[] out = new byte[Math.min(length, FIRST_CHUNK)];
        int n = 0;
        while (n < length) {
            if (n == out.length) {
                out = Arrays.copyOf(out, (int) Math.min(length, out.length * 2L));
            }
            int r = file.read(out, n, out.length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == out.length ? out : Arrays.copyOf(out, n);
    }

    /**
     * Reads to the end of the file. A file that says how much is left ({@link RandomAccessInput#size()}) and
     * says more than an array holds fails before reading anything; others fail when they get there.
     */
    public static byte[] readAll(SequentialInput file) throws IOException {
        if (file instanceof RandomAccessInput r && file.isSeekable()) {
            long left = r.size() - r.tell(); // pseudo files say less than they hold, never more
            if (left > MAX_ARRAY_LENGTH) {
                throw new IOException(file + ": readAll(): " + left + " bytes are left to read, more than a byte"
                        + " array holds (" + MAX_ARRAY_LENGTH + "); read big data into pool buffers with"
                        + " readBuffer(length, pool), or stream it with asInputStream()");
            }
        }
        return readAll(file, MAX_ARRAY_LENGTH, "readAll()");
    }

    /** Reads to the end of the file, failing once more than {@code maxBytes} bytes have come. */
    public static byte[] readAll(SequentialInput file, int maxBytes) throws IOException {
        if (maxBytes < 0) {
            throw new IllegalArgumentException("negative limit: maxBytes=" + maxBytes);
        }
        return readAll(file, Math.min(maxBytes, MAX_ARRAY_LENGTH), "readAll(maxBytes=" + maxBytes + ")");
    }

    /**
     * Reads until the end or {@code limit} bytes; the array grows with what arrives and never past the limit.
     * Full at the limit, one more byte tells whether the file goes on.
     */
    private static byte[] readAll(SequentialInput file, int limit, String operation) throws IOException {
        byte[] out = new byte[Math.min(limit, FIRST_CHUNK)];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (n == limit) {
                    if (file.read(new byte[1], 0, 1) < 0) {
                        return out;
                    }
                    throw new IOException(file + ": " + operation + ": the file holds more than " + limit
                            + " bytes" + (limit == MAX_ARRAY_LENGTH ? ", more than a byte array holds" : "")
                            + "; read big data into pool buffers with readBuffer(length, pool), or stream it with"
                            + " asInputStream()");
                }
                out = Arrays.copyOf(out, (int) Math.min(limit, out.length * 2L));
            }
            int r = file.read(out, n, out.length - n);
            if (r < 0) {
                return n == out.length ? out : Arrays.copyOf(out, n);
            }
            n += r;
        }
    }

    /**
     * A {@code java.io} view of a file that was closed (through the view or not) fails as the JDK's own streams
     * do, with an {@link IOException}, so that code catching {@code IOException} around a stream sees it.
     */
    private static void checkOpen(Object file) throws IOException {
        if (((org.quiver.io.NativeFile) file).isClosed()) {
            throw new IOException("Stream closed: " + file);
        }
    }

    /** An {@link InputStream} reading {@code file}; closing it closes the file. */
    public static InputStream inputStream(SequentialInput file) {
        Objects.requireNonNull(file, "file");
        if (file.isClosed()) { // NativeFile: every call but close throws on a closed file, not a dead view
            throw new IllegalStateException("closed");
        }
        return new InputStream() {
            @Override
            public int read() throws IOException {
                checkOpen(file);
                byte[] one = new byte[1];
                int r;
                do {
                    r = file.read(one, 0, 1);
                } while (r == 0);
                return r < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b) throws IOException {
                return read(Objects.requireNonNull(b, "b"), 0, b.length);
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.requireNonNull(b, "b");
                Objects.checkFromIndexSize(off, len, b.length);
                checkOpen(file);
                return len == 0 ? 0 : file.read(b, off, len);
            }

            @Override
            public int available() throws IOException {
                checkOpen(file);
                return 0;
            }

            @Override
            public void close() throws IOException {
                file.close();
            }

            @Override
            public String toString() {
                return "NativeFileInputStream[file=" + file + "]";
            }
        };
    }

    /** An {@link OutputStream} writing {@code file}; closing it closes the file. */
    public static OutputStream outputStream(SequentialOutput file) {
        Objects.requireNonNull(file, "file");
        if (file.isClosed()) {
            throw new IllegalStateException("closed");
        }
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                checkOpen(file);
                file.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b) throws IOException {
                write(Objects.requireNonNull(b, "b"), 0, b.length);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                Objects.requireNonNull(b, "b");
                checkOpen(file);
                file.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                checkOpen(file);
                file.flush();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }

            @Override
            public String toString() {
                return "NativeFileOutputStream[file=" + file + "]";
            }
        };
    }
}
