package org.quiver.io;

import java.io.OutputStream;
import java.lang.ref.Cleaner;
import java.nio.channels.SeekableByteChannel;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;

import org.quiver.internal.io.FileChannels;
import org.quiver.internal.io.FileStreams;
import org.quiver.internal.memory.Backends;
import org.quiver.internal.kit.Checks;
import org.quiver.internal.memory.Leaks;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Writes into a growing pool buffer: Arrow's {@code BufferOutputStream}. {@link #finish()} hands the buffer
 * over (pyarrow's {@code getvalue()}); closing the stream without finishing frees it.
 *
 * <p><b>Layers keep what was written.</b> A layer written into this stream, a compressed or buffered file
 * ({@link NativeFiles#compressing}, {@link NativeFiles#bufferedOutput}) or this stream's
 * {@link #asOutputStream()} and {@link #asChannel()} views, closes the stream when the layer is closed (that is
 * what finishes a compressed stream), but that close keeps the result for {@code finish()}: closing a layer never
 * destroys what the caller holds, as pyarrow's {@code raw.getvalue()} works after
 * {@code CompressedOutputStream(raw)} closed {@code raw}. The stream's own {@link #close()} still frees at once, so
 * try-with-resources releases the memory as it does for any buffer. A result kept by a layer's close and never
 * taken is freed by that own close, or, once the stream is unreachable, by a cleaner (it is not reported as a
 * leak); until then the pool counts it as allocated.
 *
 * <p>Compared with {@link java.io.ByteArrayOutputStream}: off-heap, 64-bit, no copy on finish, and growth
 * through the allocator's reallocate (in place where it can).
 *
 * {@snippet :
 * try (BufferOutput out = new BufferOutput()) {
 *     out.write(header);
 *     out.write(body);
 *     try (Buffer result = out.finish()) { ... }
 * }
 * try (BufferOutput raw = new BufferOutput()) {
 *     try (SequentialOutput gz = NativeFiles.compressing(raw, Compression.GZIP)) {
 *         gz.write(body);
 *     }                                                  // finishes the gzip stream and closes raw
 *     try (Buffer compressed = raw.finish()) { ... }    // the compressed bytes are still there
 * }
 * }
 *
 * @since 1.0
 */
public final class BufferOutput extends MemoryFile implements SequentialOutput {

    private static final long INITIAL_CAPACITY = 4096;

    /** The buffer being written; {@code null} once closed or finished. */
    private ResizableBuffer buffer;
    private long position;
    private long capacity;
    /** After a layer's close: the result, shared with the cleaner, until taken or freed. */
    private KeptResult kept;
    private Cleaner.Cleanable keptCleanup;
    /** What layers write into and close; created once. */
    private SequentialOutput layerTarget;

    /** A stream on the default pool. */
    public BufferOutput() {
        this(Backends.defaultPoolFor(Backends.attributesCallers() ? Backends.CALLERS.getCallerClass() : null));
    }

    /** A stream whose buffer comes from {@code pool}. */
    public BufferOutput(MemoryPool pool) {
        this(pool, INITIAL_CAPACITY);
    }

    /**
     * A stream whose buffer comes from {@code pool}, starting with {@code initialCapacity} bytes.
     *
     * @throws IllegalArgumentException if {@code initialCapacity} is negative
     */
    public BufferOutput(MemoryPool pool, long initialCapacity) {
        super(FileMode.WRITE, false, true, false);
        Objects.requireNonNull(pool, "pool");
        Checks.checkSize(initialCapacity);
        this.buffer = pool.allocate(initialCapacity);
        this.capacity = buffer.size();
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    /** The capacity of the buffer being written. */
    public long capacity() {
        checkOpen();
        return capacity;
    }

    /** {@code BufferOutput[position=10, capacity=4096]}, with {@code , closed} once closed or finished. */
    @Override
    public String toString() {
        return describe("position=" + position + ", capacity=" + capacity);
    }

    private void ensure(long more) {
        long needed = position + more;
        if (needed < 0) {
            throw new IllegalStateException("stream too large: position=" + position + " write=" + more);
        }
        if (needed > capacity) {
            long grown = Math.max(needed, capacity < (1L << 62) ? capacity * 2 : needed);
            buffer.resize(grown, false);
            capacity = grown;
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.length);
        ensure(length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) {
        Objects.requireNonNull(src, "src");
        checkOpen();
        Checks.checkRange(offset, length, src.size());
        ensure(length);
        buffer.put(position, src, offset, length);
        position += length;
    }

    @Override
    public void flush() {
        checkOpen();
    }

    /**
     * Returns what was written, without copying, and closes the stream. Works after a layer closed the stream too
     * (see the class comment). The caller owns (and closes) the result.
     *
     * @throws IllegalStateException if the stream was closed by its own {@link #close()}, or the result was
     *                               already taken
     */
    public ResizableBuffer finish() {
        ResizableBuffer result;
        if (!isClosed()) {
            markClosed();
            result = buffer;
            buffer = null;
        } else {
            result = takeKept();
            if (result == null) {
                throw new IllegalStateException("closed: the result was already taken by finish() or freed by close()");
            }
        }
        result.resize(position, false);
        return result;
    }

    /** The result a layer's close kept, or {@code null}; the cleaner has nothing left to free. */
    private ResizableBuffer takeKept() {
        if (kept == null) {
            return null;
        }
        ResizableBuffer result = kept.getAndSet(null);
        keptCleanup.clean(); // just unregisters: the result is taken
        kept = null;
        keptCleanup = null;
        return result;
    }

    /** The stream's own close: frees what was written unless {@link #finish()} took it. */
    @Override
    void release() {
        buffer.close();
        buffer = null;
    }

    /** A close after a layer's: frees the result the layer's close kept. */
    @Override
    void closeAgain() {
        ResizableBuffer result = takeKept();
        if (result != null) {
            result.close();
        }
    }

    /** A layer's close: ends writing and keeps the result for {@link #finish()} or the stream's own close. */
    private void closeForLayer() {
        if (isClosed()) {
            return;
        }
        markClosed();
        kept = new KeptResult(buffer);
        buffer = null;
        keptCleanup = Leaks.cleaner().register(this, kept);
    }

    /** This stream as a layer's target: {@link NativeFiles} hands it to compressed and buffered files. */
    SequentialOutput layerTarget() {
        if (layerTarget == null) {
            layerTarget = new LayerTarget();
        }
        return layerTarget;
    }

    /** A {@link java.io.OutputStream} over this stream; closing it closes the stream and keeps the result. */
    @Override
    public OutputStream asOutputStream() {
        return FileStreams.outputStream(layerTarget());
    }

    /** An NIO channel over this stream; closing it closes the stream and keeps the result. */
    @Override
    public SeekableByteChannel asChannel() {
        return FileChannels.channel(layerTarget());
    }

    /** The same writes as the stream, but a close that keeps the result (the layer is not the stream's owner). */
    private final class LayerTarget implements SequentialOutput {
        @Override
        public void write(byte[] src, int offset, int length) {
            BufferOutput.this.write(src, offset, length);
        }

        @Override
        public void write(Buffer src, long offset, long length) {
            BufferOutput.this.write(src, offset, length);
        }

        @Override
        public void flush() {
            BufferOutput.this.flush();
        }

        @Override
        public long tell() {
            return BufferOutput.this.tell();
        }

        @Override
        public FileMode mode() {
            return BufferOutput.this.mode();
        }

        @Override
        public boolean isClosed() {
            return BufferOutput.this.isClosed();
        }

        @Override
        public boolean isReadable() {
            return BufferOutput.this.isReadable();
        }

        @Override
        public boolean isWritable() {
            return BufferOutput.this.isWritable();
        }

        @Override
        public boolean isSeekable() {
            return BufferOutput.this.isSeekable();
        }

        @Override
        public void close() {
            closeForLayer();
        }

        @Override
        public String toString() {
            return BufferOutput.this.toString();
        }
    }

    /**
     * The result a layer's close kept, until {@link #finish()} takes it, the stream's own close frees it, or the
     * cleaner frees it. It must not refer
     * to the stream, or the stream would never become unreachable; taking is atomic because the cleaner runs on
     * its own thread.
     */
    private static final class KeptResult extends AtomicReference<ResizableBuffer> implements Runnable {
        private static final long serialVersionUID = 1L;

        KeptResult(ResizableBuffer result) {
            super(result);
        }

        @Override
        public void run() {
            ResizableBuffer result = getAndSet(null);
            if (result != null) {
                result.close();
            }
        }
    }
}
