package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** A hostile source: hands out at most one byte per read, whatever is asked. */
final class OneByteInput implements SequentialInput {

    private final SequentialInput raw;

    OneByteInput(SequentialInput raw) {
        this.raw = raw;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        return raw.read(dst, offset, Math.min(length, 1));
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        return raw.read(dst, offset, Math.min(length, 1));
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        return raw.readBuffer(Math.min(length, 1), pool);
    }

    @Override
    public FileMode mode() {
        return raw.mode();
    }

    @Override
    public boolean isClosed() {
        return raw.isClosed();
    }

    @Override
    public boolean isReadable() {
        return true;
    }

    @Override
    public boolean isWritable() {
        return false;
    }

    @Override
    public boolean isSeekable() {
        return false;
    }

    @Override
    public long tell() throws IOException {
        return raw.tell();
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }

    @Override
    public String toString() {
        return "OneByteInput[raw=" + raw + "]";
    }
}
