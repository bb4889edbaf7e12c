package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;

import org.quiver.internal.kit.ReadLoops;
import org.quiver.internal.kit.Checks;
import org.quiver.io.BufferedSequentialInput;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Reads through a heap buffer. Reads at least as large as the buffer skip it and go straight to the raw file,
 * so a buffered file costs nothing for large reads.
 */
final class BufferedInput extends StreamFile implements BufferedSequentialInput {

    private final SequentialInput raw;
    private byte[] buffer;
    private int start;
    private int end;
    /** Bytes consumed by the caller (the logical position relative to the raw file's start). */
    private long position;

    BufferedInput(SequentialInput raw, int bufferSize) throws IOException {
        super(FileMode.READ);
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
    public void setBufferSize(int size) {
        checkOpen();
        int buffered = end - start;
        if (size < 1 || size < buffered) {
            throw new IllegalArgumentException("buffer size must be at least 1 and hold the " + buffered
                    + " bytes buffered: bufferSize=" + size);
        }
        byte[] next = new byte[size];
        System.arraycopy(buffer, start, next, 0, buffered);
        buffer = next;
        start = 0;
        end = buffered;
    }

    @Override
    public int bytesBuffered() {
        checkOpen();
        return end - start;
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** One raw read into the free end of the buffer; false at the end of the raw file. */
    private boolean fill() throws IOException {
        if (start == end) {
            start = 0;
            end = 0;
        } else if (end == buffer.length) {
            System.arraycopy(buffer, start, buffer, 0, end - start);
            end -= start;
            start = 0;
        }
        int r = raw.read(buffer, end, buffer.length - end);
        if (r <= 0) {
            return false;
        }
        end += r;
        return true;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        if (length == 0) {
            return 0;
        }
        if (start == end) {
            if (length >= buffer.length) {
                int r = raw.read(dst, offset, length);
                if (r > 0) {
                    position += r;
                }
                return r;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = Math.min(length, end - start);
        System.arraycopy(buffer, start, dst, offset, n);
        start += n;
        position += n;
        return n;
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        if (checkRead(dst, offset, length)) {
            return 0;
        }
        if (start == end) {
            if (length >= buffer.length) {
                long r = raw.read(dst, offset, length);
                if (r > 0) {
                    position += r;
                }
                return r;
            }
            if (!fill()) {
                return -1;
            }
        }
        int n = (int) Math.min(length, end - start);
        dst.put(offset, buffer, start, n);
        start += n;
        position += n;
        return n;
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        checkOpen();
        return ReadLoops.readBuffer(this, length, pool);
    }

    @Override
    public byte[] peek(int length) throws IOException {
        checkOpen();
        if (length < 0 || length > buffer.length) {
            throw new IllegalArgumentException("peek length must be from 0 to the buffer size: length=" + length
                    + " bufferSize=" + buffer.length);
        }
        while (end - start < length && fill()) {
            // read until enough is buffered or the raw file ends
        }
        return Arrays.copyOfRange(buffer, start, start + Math.min(length, end - start));
    }

    @Override
    public SequentialInput detach() {
        checkOpen();
        markClosed();
        buffer = null;
        return raw;
    }

    @Override
    void release() throws IOException {
        buffer = null;
        raw.close();
    }

    /** The metadata of the file under this stream, as Arrow's layered streams give it. */
    @Override
    public Map<String, String> metadata() throws IOException {
        checkOpen();
        return raw.metadata();
    }

    /** {@code BufferedSequentialInput[position=10, raw=OSFile[...]]}. */
    @Override
    public String toString() {
        return describe("BufferedSequentialInput", "position=" + position + ", raw=" + raw);
    }
}
