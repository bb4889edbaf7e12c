package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;

import com.github.luben.zstd.EndDirective;
import com.github.luben.zstd.ZstdCompressCtx;

/**
 * zstd frames (with checksums, as {@code zstd} writes them) compressed by zstd-jni's buffer streaming: from the
 * caller's native memory, or from its array, without a copy; compressed bytes go out through a native window.
 */
final class ZstdEncoder implements NativeEncoder {

    /** Compressed bytes written to the raw file at a time (zstd's own recommendation is about 128 KiB). */
    private static final int WINDOW = 256 << 10;
    /** The most input one call takes: a {@code ByteBuffer} holds at most 2^31 - 1 bytes. */
    private static final long MAX_CALL = 1 << 30;

    private final SequentialOutput raw;
    private final ZstdCompressCtx context = new ZstdCompressCtx();
    private final MemorySegment window = Arena.ofAuto().allocate(WINDOW, 64);
    private final ByteBuffer out = window.asByteBuffer();
    private final Buffer outBuffer = Buffer.wrap(window);

    ZstdEncoder(SequentialOutput raw, int level) {
        this.raw = raw;
        context.setLevel(level);
        context.setChecksum(true);
    }

    @Override
    public void write(MemorySegment src) throws IOException {
        for (long done = 0; done < src.byteSize(); done += MAX_CALL) {
            compress(src.asSlice(done, Math.min(MAX_CALL, src.byteSize() - done)).asByteBuffer());
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        compress(ByteBuffer.wrap(src, offset, length));
    }

    private void compress(ByteBuffer in) throws IOException {
        while (in.hasRemaining()) {
            int before = in.position();
            context.compressByteBufferStream(out, in, EndDirective.CONTINUE);
            if (out.position() == 0 && in.position() == before) {
                throw new IOException("zstd took no input and gave no output");
            }
            drain();
        }
    }

    /** Runs {@code directive} to its end: every byte it makes is written. */
    private void end(EndDirective directive) throws IOException {
        ByteBuffer none = ByteBuffer.allocateDirect(0);
        boolean done;
        do {
            done = context.compressDirectByteBufferStream(out, none, directive);
            drain();
        } while (!done);
    }

    private void drain() throws IOException {
        int n = out.position();
        if (n > 0) {
            raw.write(outBuffer, 0, n);
            out.clear();
        }
    }

    @Override
    public void flush() throws IOException {
        end(EndDirective.FLUSH);
    }

    @Override
    public void finish() throws IOException {
        end(EndDirective.END);
    }

    @Override
    public void close() {
        context.close();
    }
}
