package org.quiver.io;

import java.io.EOFException;
import java.io.IOException;
import java.util.Objects;

import org.quiver.internal.kit.Checks;
import org.quiver.memory.Buffer;

/**
 * Writes into an existing mutable buffer of fixed size: Arrow's {@code FixedSizeBufferWriter}. A write that
 * does not fit fails whole, writing nothing.
 *
 * <p>The writer holds a slice of the buffer, so the memory stays alive until the writer is closed.
 *
 * @since 1.0
 */
public final class FixedSizeBufferOutput extends MemoryFile implements RandomAccessOutput {

    private final Buffer buffer;
    private long position;

    /**
     * A writer over {@code target}.
     *
     * @throws UnsupportedOperationException if {@code target} is read-only
     * @throws IllegalStateException         if {@code target} is closed
     */
    public FixedSizeBufferOutput(Buffer target) {
        super(FileMode.READ_WRITE, false, true, true);
        Objects.requireNonNull(target, "target");
        this.buffer = target.mutableSlice(0, target.size());
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** The size of the target buffer. */
    @Override
    public long size() {
        checkOpen();
        return buffer.size();
    }

    /**
     * Moves the position.
     *
     * @throws IllegalArgumentException if negative
     * @throws EOFException             if beyond the size
     */
    @Override
    public void seek(long newPosition) throws IOException {
        checkOpen();
        Checks.checkSeek(newPosition, buffer.size());
        position = newPosition;
    }

    private void checkFits(long at, long length) throws IOException {
        if (at < 0) {
            throw new IllegalArgumentException("negative position: position=" + at);
        }
        if (at > buffer.size() - length) {
            throw new EOFException("write beyond the end of a fixed-size buffer: position=" + at + " length="
                    + length + " size=" + buffer.size());
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.length);
        checkFits(position, length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.size());
        checkFits(position, length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    /** Writes {@code src[offset..offset+length)} at {@code at} without moving the position. */
    @Override
    public void writeAt(long at, byte[] src, int offset, int length) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.length);
        checkFits(at, length);
        buffer.put(at, src, offset, length);
    }

    @Override
    public void writeAt(long at, Buffer src, long offset, long length) throws IOException {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.size());
        checkFits(at, length);
        buffer.put(at, src, offset, length);
    }

    @Override
    public void flush() {
        checkOpen();
    }

    @Override
    void release() {
        buffer.close();
    }

    /** {@code FixedSizeBufferOutput[size=100, position=3]}, with {@code , closed} once closed. */
    @Override
    public String toString() {
        return describe("size=" + buffer.size() + ", position=" + position);
    }
}
