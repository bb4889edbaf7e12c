package org.quiver.io.nativeio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;

import com.github.luben.zstd.ZstdDecompressCtx;

/**
 * zstd frames decoded by zstd-jni's direct-buffer streaming straight into the caller's native memory. Reads
 * concatenated and skippable frames as one stream, as {@code zstd -d} does; windows larger than 2^27 bytes (zstd's
 * default limit) are refused, not allocated.
 */
final class ZstdDecoder implements NativeDecoder {

    private static final int WINDOW = 256 << 10;
    /** The most output one call is asked for: a {@code ByteBuffer} holds at most 2^31 - 1 bytes. */
    private static final long MAX_CALL = 1 << 30;

    private final NativeDecoder.Source source;
    private final ZstdDecompressCtx context = new ZstdDecompressCtx();
    private final MemorySegment window = Arena.ofAuto().allocate(WINDOW, 64);
    private final ByteBuffer input = window.asByteBuffer().limit(0);
    private boolean inputEnded;
    /** Whether the last call ended a frame (or nothing has started one): the input may end here. */
    private boolean frameDone = true;
    /** Whether the last call filled the output, so that zstd may still hold decoded bytes. */
    private boolean pending;

    ZstdDecoder(NativeDecoder.Source source) {
        this.source = source;
    }

    @Override
    public long decode(MemorySegment dst) throws IOException {
        ByteBuffer out = dst.asSlice(0, Math.min(dst.byteSize(), MAX_CALL)).asByteBuffer();
        while (true) {
            if (!input.hasRemaining() && !pending) {
                if (inputEnded || !fill()) {
                    if (frameDone) {
                        return -1;
                    }
                    throw new EOFException("compressed input ended inside a zstd frame");
                }
            }
            int before = input.position();
            frameDone = context.decompressDirectByteBufferStream(out, input);
            // a full output may leave decoded bytes inside zstd: ask again even when no input is left
            pending = !frameDone && !out.hasRemaining();
            if (out.position() > 0) {
                return out.position();
            }
            if (input.position() == before && input.hasRemaining() && !frameDone) {
                throw new IOException("zstd made no progress");
            }
        }
    }

    /** Reads more compressed bytes into the window; false at the end of the input. */
    private boolean fill() throws IOException {
        long n = source.fill(window);
        if (n < 0) {
            inputEnded = true;
            return false;
        }
        input.limit((int) n).position(0);
        return true;
    }

    @Override
    public void close() {
        context.close();
    }
}
