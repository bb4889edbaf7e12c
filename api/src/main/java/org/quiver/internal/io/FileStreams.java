package org.quiver.internal.io;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Arrays;
import java.util.Objects;

import org.quiver.io.InputFile;
import org.quiver.io.OutputFile;

/**
 * The java.io views of native files, and the array reads shared by every input file.
 */
public final class FileStreams {

    private FileStreams() {
    }

    /** Reads up to {@code length} bytes; the array is as long as what was read. */
    public static byte[] readBytes(InputFile file, int length) throws IOException {
        if (length < 0) {
            throw new IllegalArgumentException("negative length: length=" + length);
        }
        byte[] out = new byte[length];
        int n = 0;
        while (n < length) {
            int r = file.read(out, n, length - n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n == length ? out : Arrays.copyOf(out, n);
    }

    /** Reads to the end of the file. */
    public static byte[] readAll(InputFile file) throws IOException {
        byte[] out = new byte[8192];
        int n = 0;
        while (true) {
            if (n == out.length) {
                if (out.length == Integer.MAX_VALUE - 8) {
                    throw new IOException("file too large for a byte array: more than " + n + " bytes");
                }
                out = Arrays.copyOf(out, (int) Math.min(Integer.MAX_VALUE - 8L, out.length * 2L));
            }
            int r = file.read(out, n, out.length - n);
            if (r < 0) {
                return Arrays.copyOf(out, n);
            }
            n += r;
        }
    }

    /** An {@link InputStream} reading {@code file}; closing it closes the file. */
    public static InputStream inputStream(InputFile file) {
        Objects.requireNonNull(file, "file");
        return new InputStream() {
            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int r;
                do {
                    r = file.read(one, 0, 1);
                } while (r == 0);
                return r < 0 ? -1 : one[0] & 0xFF;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                Objects.checkFromIndexSize(off, len, b.length);
                return len == 0 ? 0 : file.read(b, off, len);
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }

    /** An {@link OutputStream} writing {@code file}; closing it closes the file. */
    public static OutputStream outputStream(OutputFile file) {
        Objects.requireNonNull(file, "file");
        return new OutputStream() {
            @Override
            public void write(int b) throws IOException {
                file.write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                file.write(b, off, len);
            }

            @Override
            public void flush() throws IOException {
                file.flush();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }
        };
    }
}
