package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.NonWritableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;

import org.quiver.internal.kit.ReadLoops;
import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.io.ReadWriteFile;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * An NIO channel as a file with positions. A channel cannot say whether it was opened for reading or writing,
 * so the file claims both and turns the channel's refusal into {@link FileModeException} /
 * {@link ReadOnlyFileException}. Positional reads use {@link FileChannel#read(ByteBuffer, long)} where the
 * channel is a file channel, and otherwise move the channel's position under a lock and put it back.
 */
final class ChannelFile extends StreamFile implements ReadWriteFile {

    private final SeekableByteChannel channel;

    ChannelFile(SeekableByteChannel channel) {
        super(FileMode.READ_WRITE);
        this.channel = Objects.requireNonNull(channel, "channel");
    }

    @Override
    public boolean isSeekable() {
        checkOpen();
        return true;
    }

    @Override
    public long tell() throws IOException {
        checkOpen();
        return channel.position();
    }

    @Override
    public long size() throws IOException {
        checkOpen();
        return channel.size();
    }

    @Override
    public void seek(long position) throws IOException {
        checkOpen();
        Checks.checkPosition(position);
        channel.position(position);
    }

    private int readChannel(ByteBuffer dst, long at) throws IOException {
        try {
            if (at < 0) {
                return channel.read(dst);
            }
            if (channel instanceof FileChannel fc) {
                return fc.read(dst, at);
            }
            return atPosition(at, () -> channel.read(dst));
        } catch (NonReadableChannelException e) {
            throw (FileModeException) new FileModeException(toString(), "read", FileMode.WRITE).initCause(e);
        }
    }

    /** A channel call that moves bytes. */
    private interface ChannelCall {
        int run() throws IOException;
    }

    /**
     * Runs {@code call} with the channel at {@code at}, then puts the position back: the positional access of a
     * channel that has none, serialised on the channel.
     */
    private int atPosition(long at, ChannelCall call) throws IOException {
        synchronized (channel) {
            long saved = channel.position();
            try {
                channel.position(at);
                return call.run();
            } finally {
                channel.position(saved);
            }
        }
    }

    /** Reads until {@code dst} is full or the end. */
    private int readFully(ByteBuffer dst, long at) throws IOException {
        int n = 0;
        while (dst.hasRemaining()) {
            int r = readChannel(dst, at < 0 ? -1 : at + n);
            if (r < 0) {
                break;
            }
            n += r;
        }
        return n;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        checkOpen();
        if (length == 0) {
            return 0;
        }
        int r;
        do {
            r = readChannel(ByteBuffer.wrap(dst, offset, length), -1);
        } while (r == 0);
        return r;
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        if (checkRead(dst, offset, length)) {
            return 0;
        }
        try (Buffer part = dst.mutableSlice(offset, Math.min(length, Integer.MAX_VALUE))) {
            int r;
            do {
                r = readChannel(part.asByteBuffer(), -1);
            } while (r == 0);
            return r;
        }
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        checkOpen();
        return ReadLoops.readBuffer(this, length, pool);
    }

    @Override
    public int readAt(long at, byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        Checks.checkPosition(at);
        checkOpen();
        int r = length == 0 ? 0 : readFully(ByteBuffer.wrap(dst, offset, length), at);
        if (r == 0) { // the end, or past it: nothing there (the size does not bound the read: pseudo files say 0)
            return length == 0 ? 0 : -1;
        }
        return r;
    }

    /** Where a buffer starts when the channel's size says less than is asked (it grows by doubling). */
    private static final long GROWTH_START = 64 << 10;

    @Override
    public Buffer readBufferAt(long at, long length, MemoryPool pool) throws IOException {
        Checks.checkPosition(at);
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        checkOpen();
        // the size only sizes the buffer; the read goes on to the end of the channel (pseudo files say 0)
        long capacity = Math.min(length, Math.max(channel.size() - at, GROWTH_START));
        ResizableBuffer b = pool.allocate(capacity);
        try {
            long n = readFully(b, 0, capacity, at);
            ByteBuffer probe = ByteBuffer.allocate(1);
            while (n == capacity && n < length && readFully(probe.clear(), at + n) > 0) {
                capacity = Math.min(length, Math.max(capacity * 2, n + 1));
                b.resize(capacity, false);
                b.setByte(n, probe.get(0));
                n++;
                n += readFully(b, n, capacity - n, at + n);
            }
            if (n < capacity) {
                b.resize(n, true);
            }
            return b;
        } catch (IOException | RuntimeException | Error e) {
            b.close();
            throw e;
        }
    }

    /** Reads {@code [offset, offset + length)} of {@code dst} from {@code at}, in int-sized views, until the end. */
    private long readFully(Buffer dst, long offset, long length, long at) throws IOException {
        long n = 0;
        while (n < length) {
            int chunk = (int) Math.min(length - n, Integer.MAX_VALUE);
            int r = readFully(dst.asSegment().asSlice(offset + n, chunk).asByteBuffer(), at + n);
            n += r;
            if (r < chunk) {
                break;
            }
        }
        return n;
    }

    private void writeChannel(ByteBuffer src) throws IOException {
        try {
            while (src.hasRemaining()) {
                channel.write(src);
            }
        } catch (NonWritableChannelException e) {
            throw (ReadOnlyFileException) new ReadOnlyFileException(toString(), "write").initCause(e);
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        writeChannel(ByteBuffer.wrap(src, offset, length));
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        try (Buffer part = src.slice(offset, length)) {
            writeChannel(part.asByteBuffer());
        }
    }

    @Override
    public void writeAt(long at, byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        checkOpen();
        writePositional(ByteBuffer.wrap(src, offset, length), at);
    }

    @Override
    public void writeAt(long at, Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        Checks.checkPosition(at);
        checkOpen();
        try (Buffer part = src.slice(offset, length)) {
            writePositional(part.asByteBuffer(), at);
        }
    }

    private void writePositional(ByteBuffer src, long at) throws IOException {
        int start = src.position();
        try {
            while (src.hasRemaining()) {
                long where = at + (src.position() - start);
                if (channel instanceof FileChannel fc) {
                    fc.write(src, where);
                } else {
                    atPosition(where, () -> channel.write(src));
                }
            }
        } catch (NonWritableChannelException e) {
            throw (ReadOnlyFileException) new ReadOnlyFileException(toString(), "writeAt").initCause(e);
        }
    }

    @Override
    public void flush() {
        checkOpen(); // a channel holds no buffer of its own
    }

    @Override
    void release() throws IOException {
        channel.close();
    }

    /**
     * {@code ChannelFile[channel=sun.nio.ch.FileChannelImpl]}: the channel by its class only, and no position: a
     * file channel's {@code position()} waits for a read in progress on another thread, and a message must not
     * wait (nor call a foreign channel's methods of unknown cost).
     */
    @Override
    public String toString() {
        return describe("ChannelFile", "channel=" + describe(channel));
    }
}
