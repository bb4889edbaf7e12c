package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;

import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** A {@link java.io.InputStream} as an input file. */
class JavaInput extends StreamFile implements SequentialInput {

    private final InputStream in;
    private long position;

    JavaInput(InputStream in) {
        super(FileMode.READ);
        this.in = in;
    }

    /** The stream, for subclasses that map its exceptions. */
    final InputStream stream() {
        return in;
    }

    /** The bytes read so far, also after close (for messages). */
    final long position() {
        return position;
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** Reads from the stream; a stream that answers 0 for a non-empty read is asked again. */
    int readStream(byte[] dst, int offset, int length) throws IOException {
        int r;
        do {
            r = in.read(dst, offset, length);
        } while (r == 0);
        return r;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        if (length == 0) {
            return 0;
        }
        int r = readStream(dst, offset, length);
        if (r > 0) {
            position += r;
        }
        return r < 0 ? -1 : r;
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        if (length == 0) {
            return 0;
        }
        if (!dst.isMutable()) {
            throw new UnsupportedOperationException("read into a read-only buffer: size=" + dst.size());
        }
        byte[] chunk = new byte[(int) Math.min(length, Scratch.SIZE)];
        int r = read(chunk, 0, chunk.length);
        if (r > 0) {
            dst.put(offset, chunk, 0, r);
        }
        return r;
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        checkOpen();
        return ReadLoops.readBuffer(this, length, pool);
    }

    @Override
    void release() throws IOException {
        in.close();
    }

    /**
     * {@code InputStreamInput[stream=java.io.ByteArrayInputStream, position=10]}: the stream by its class only (see
     * {@link StreamFile#describe(Object)}).
     */
    @Override
    public String toString() {
        return describe("InputStreamInput", "stream=" + describe(in) + ", position=" + position);
    }
}
