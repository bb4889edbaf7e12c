package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.internal.kit.Checks;
import org.quiver.io.BufferedSequentialOutput;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;

/**
 * Writes through a heap buffer; writes at least as large as the buffer flush it and go straight to the raw
 * file.
 */
final class BufferedOutput extends StreamFile implements BufferedSequentialOutput {

    private final SequentialOutput raw;
    private byte[] buffer;
    private int count;
    private long position;

    BufferedOutput(SequentialOutput raw, int bufferSize) throws IOException {
        super(FileMode.WRITE);
        this.raw = raw;
        this.buffer = new byte[bufferSize];
        this.position = raw.tell();
    }

    @Override
    public int bufferSize() {
        checkOpen();
        return buffer.length;
    }

    @Override
    public void setBufferSize(int size) throws IOException {
        checkOpen();
        if (size < 1) {
            throw new IllegalArgumentException("buffer size must be at least 1: bufferSize=" + size);
        }
        drain();
        buffer = new byte[size];
    }

    @Override
    public int bytesBuffered() {
        checkOpen();
        return count;
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** Writes the buffered bytes to the raw file (without flushing it). */
    private void drain() throws IOException {
        if (count > 0) {
            int n = count;
            count = 0; // a failed write loses these bytes rather than writing them twice on retry
            raw.write(buffer, 0, n);
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        if (length >= buffer.length) {
            drain();
            raw.write(src, offset, length);
        } else {
            if (length > buffer.length - count) {
                drain();
            }
            System.arraycopy(src, offset, buffer, count, length);
            count += length;
        }
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        if (length >= buffer.length) {
            drain();
            raw.write(src, offset, length);
        } else {
            if (length > buffer.length - count) {
                drain();
            }
            src.get(offset, buffer, count, (int) length);
            count += (int) length;
        }
        position += length;
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        drain();
        raw.flush();
    }

    @Override
    public SequentialOutput detach() throws IOException {
        checkOpen();
        drain();
        raw.flush();
        markClosed();
        buffer = null;
        return raw;
    }

    @Override
    void release() throws IOException {
        try {
            drain();
        } finally {
            buffer = null;
            raw.close();
        }
    }

    /** {@code BufferedSequentialOutput[position=10, raw=OSFile[...]]}. */
    @Override
    public String toString() {
        return describe("BufferedSequentialOutput", "position=" + position + ", raw=" + raw);
    }
}
