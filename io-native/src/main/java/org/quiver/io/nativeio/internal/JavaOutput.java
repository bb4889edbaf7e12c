package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.OutputStream;

import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;

/** A {@link java.io.OutputStream} as an output file. */
class JavaOutput extends StreamFile implements SequentialOutput {

    private final OutputStream out;
    private long position;
    /** The array that {@link #write(Buffer, long, long)} writes through, made at its first use. */
    private byte[] chunk;

    JavaOutput(OutputStream out) {
        super(FileMode.WRITE);
        this.out = out;
    }

    final OutputStream stream() {
        return out;
    }

    /** The bytes written so far, also after close (for messages). */
    final long position() {
        return position;
    }

    /** Counts {@code n} bytes written by a subclass's own write path. */
    final void advance(long n) {
        position += n;
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        out.write(src, offset, length);
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        if (chunk == null) {
            chunk = new byte[Scratch.SIZE];
        }
        for (long n = 0; n < length; n += chunk.length) {
            int c = (int) Math.min(chunk.length, length - n);
            src.get(offset + n, chunk, 0, c);
            out.write(chunk, 0, c);
            position += c;
        }
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        out.flush();
    }

    @Override
    void release() throws IOException {
        out.close();
    }

    /**
     * {@code OutputStreamOutput[stream=java.io.ByteArrayOutputStream, position=10]}: the stream by its class only (a
     * {@code ByteArrayOutputStream}'s own {@code toString()} is its whole content).
     */
    @Override
    public String toString() {
        return describe("OutputStreamOutput", "stream=" + describe(out) + ", position=" + position);
    }
}
