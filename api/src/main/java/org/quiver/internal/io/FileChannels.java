package org.quiver.internal.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;

import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.RandomAccessOutput;
import org.quiver.memory.Buffer;

/**
 * The NIO view of a native file. Direct byte buffers are wrapped as buffers and read or written without a
 * copy; heap byte buffers go through their arrays.
 */
public final class FileChannels {

    private FileChannels() {
    }

    /** A channel over {@code file}; closing it closes the file. */
    public static SeekableByteChannel channel(NativeFile file) {
        Objects.requireNonNull(file, "file");
        if (file.isClosed()) { // NativeFile: every call but close throws on a closed file, not a dead view
            throw new IllegalStateException("closed");
        }
        return new SeekableByteChannel() {
            private void checkOpen() throws ClosedChannelException {
                if (file.isClosed()) {
                    throw new ClosedChannelException();
                }
            }

            @Override
            public int read(ByteBuffer dst) throws IOException {
                Objects.requireNonNull(dst, "dst");
                checkOpen();
                if (!(file instanceof SequentialInput in) || !file.isReadable()) {
                    throw new NonReadableChannelException();
                }
                if (dst.isReadOnly()) {
                    throw new IllegalArgumentException("read-only destination buffer");
                }
                int want = dst.remaining();
                if (want == 0) {
                    return 0;
                }
                int n;
                if (dst.hasArray()) {
                    n = in.read(dst.array(), dst.arrayOffset() + dst.position(), want);
                } else {
                    try (Buffer view = Buffer.wrap(dst)) {
                        n = (int) in.read(view, 0, want);
                    }
                }
                if (n > 0) {
                    dst.position(dst.position() + n);
                }
                return n;
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                Objects.requireNonNull(src, "src");
                checkOpen();
                if (!(file instanceof SequentialOutput out) || !file.isWritable()) {
                    throw new NonWritableChannelException();
                }
                int n = src.remaining();
                if (src.hasArray()) {
                    out.write(src.array(), src.arrayOffset() + src.position(), n);
                } else {
                    try (Buffer view = Buffer.wrap(src)) {
                        out.write(view, 0, n);
                    }
                }
                src.position(src.position() + n);
                return n;
            }

            @Override
            public long position() throws IOException {
                checkOpen();
                return file.tell();
            }

            @Override
            public SeekableByteChannel position(long newPosition) throws IOException {
                checkOpen();
                if (file instanceof RandomAccessInput r && file.isSeekable()) {
                    r.seek(newPosition);
                } else if (file instanceof RandomAccessOutput w && file.isSeekable()) {
                    w.seek(newPosition);
                } else {
                    throw new UnsupportedOperationException("not seekable: " + file);
                }
                return this;
            }

            @Override
            public long size() throws IOException {
                checkOpen();
                if (file instanceof RandomAccessInput r) {
                    return r.size();
                }
                if (file instanceof RandomAccessOutput w) {
                    return w.size();
                }
                throw new UnsupportedOperationException("size unknown for a stream: " + file);
            }

            @Override
            public SeekableByteChannel truncate(long size) {
                throw new UnsupportedOperationException("truncate is not supported: " + file);
            }

            @Override
            public boolean isOpen() {
                return !file.isClosed();
            }

            @Override
            public void close() throws IOException {
                file.close();
            }

            @Override
            public String toString() {
                return "NativeFileChannel[file=" + file + "]";
            }
        };
    }
}
