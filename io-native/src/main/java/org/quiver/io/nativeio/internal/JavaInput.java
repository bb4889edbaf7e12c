package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.quiver.internal.kit.ReadLoops;
import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** A {@link java.io.InputStream} as an input file. */
class JavaInput extends StreamFile implements SequentialInput {

    private final InputStream in;
    private long position;
    /** The array that {@link #read(Buffer, long, long)} reads through, made at its first use. */
    private byte[] chunk;

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

    /** Counts {@code n} bytes read by a subclass's own read path. */
    final void advance(long n) {
        position += n;
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
        if (checkRead(dst, offset, length)) {
            return 0;
        }
        if (chunk == null) {
            chunk = new byte[Scratch.SIZE];
        }
        int n = (int) Math.min(length, chunk.length);
        // the buffer's memory held first: a closed buffer is refused before a byte is taken from the stream, and
        // one closed meanwhile by another thread stays valid until the bytes read are in it
        try (Arena hold = Arena.ofConfined()) {
            MemorySegment target = dst.asSegment(hold).asSlice(offset, n);
            int r = read(chunk, 0, n);
            if (r > 0) {
                MemorySegment.copy(chunk, 0, target, ValueLayout.JAVA_BYTE, 0, r);
            }
            return r;
        }
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
