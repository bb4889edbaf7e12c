package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.io.FileMode;
import org.quiver.io.OutputFile;
import org.quiver.memory.Buffer;

/** Passes writes through but not the close, so a test can read what a closing layer wrote. */
final class KeepOpen implements OutputFile {

    private final OutputFile raw;
    private boolean closed;

    KeepOpen(OutputFile raw) {
        this.raw = raw;
    }

    private void checkOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        checkOpen();
        raw.write(src, offset, length);
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        checkOpen();
        raw.write(src, offset, length);
    }

    @Override
    public void flush() throws IOException {
        checkOpen();
        raw.flush();
    }

    @Override
    public FileMode mode() {
        return FileMode.WRITE;
    }

    @Override
    public boolean isClosed() {
        return closed;
    }

    @Override
    public boolean isReadable() {
        return false;
    }

    @Override
    public boolean isWritable() {
        return true;
    }

    @Override
    public boolean isSeekable() {
        return false;
    }

    @Override
    public long tell() throws IOException {
        checkOpen();
        return raw.tell();
    }

    @Override
    public void close() {
        closed = true;
    }
}
