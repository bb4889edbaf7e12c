package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.OutputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.quiver.internal.kit.Checks;
import org.quiver.io.Compression;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;

/**
 * Compresses into another file: a Java-stream file over the codec's encoder. Closing finishes the stream
 * (trailer, checksum) and closes the raw file; flushing pushes what the encoder holds (for zstd and lz4 this ends
 * a block) through to the raw file.
 */
final class CompressedOutput extends JavaOutput {

    private final SequentialOutput raw;
    private final Compression compression;
    /** The codec's native encoder; null when its stream encoder (this file's stream) serves. */
    private final NativeEncoder nativeEncoder;
    /** The array that heap buffers are written through to a native encoder, made at the first such write. */
    private byte[] chunk;

    CompressedOutput(SequentialOutput raw, Compression compression, int level) throws IOException {
        NativeEncoder encoder = Codecs.nativeEncoder(compression, raw, level);
        super(encoder != null ? OutputStream.nullOutputStream()
                : Codecs.encoder(compression, new Sink(raw), level));
        this.raw = raw;
        this.compression = compression;
        this.nativeEncoder = encoder;
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        if (nativeEncoder == null) {
            super.write(src, offset, length);
            return;
        }
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        nativeEncoder.write(src, offset, length);
        advance(length);
    }

    /**
     * Compresses straight from the buffer's memory when the codec reads native memory, the buffer held for the
     * call (another thread's close frees it after the call, never under it).
     */
    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        if (nativeEncoder == null) {
            super.write(src, offset, length);
            return;
        }
        Checks.checkRange(src, "src", offset, length);
        checkOpen();
        if (length == 0) {
            return;
        }
        try (Arena hold = Arena.ofConfined()) {
            MemorySegment segment = src.asSegment(hold).asSlice(offset, length);
            if (segment.isNative()) {
                nativeEncoder.write(segment);
            } else { // a buffer over a Java array: through an array of our own, whatever kind its segment is
                if (chunk == null) {
                    chunk = new byte[Scratch.SIZE];
                }
                for (long n = 0; n < length; n += chunk.length) {
                    int c = (int) Math.min(chunk.length, length - n);
                    MemorySegment.copy(segment, ValueLayout.JAVA_BYTE, n, chunk, 0, c);
                    nativeEncoder.write(chunk, 0, c);
                }
            }
        }
        advance(length);
    }

    @Override
    public void flush() throws IOException {
        if (nativeEncoder == null) {
            super.flush();
            return;
        }
        checkOpen();
        nativeEncoder.flush();
        raw.flush();
    }

    /** {@code CompressedSequentialOutput[codec=gzip, position=100, raw=OSFile[...]]}: position counts bytes given. */
    @Override
    public String toString() {
        return describe("CompressedSequentialOutput", "codec=" + compression.pyarrowName() + ", position=" + position()
                + ", raw=" + raw);
    }

    @Override
    void release() throws IOException {
        try {
            if (nativeEncoder != null) {
                try {
                    nativeEncoder.finish(); // the end mark and checksum
                } finally {
                    nativeEncoder.close();
                }
            } else {
                super.release(); // the encoder's close writes the trailer; the sink does not close the raw file
            }
        } finally {
            raw.close();
        }
    }

    /** The raw file as the encoder's output stream; the encoder's close does not close it. */
    private static final class Sink extends OutputStream {
        private final SequentialOutput raw;

        Sink(SequentialOutput raw) {
            this.raw = raw;
        }

        @Override
        public void write(int b) throws IOException {
            raw.write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            raw.write(b, off, len);
        }

        @Override
        public void flush() throws IOException {
            raw.flush();
        }

        @Override
        public void close() {
            // the compressed file closes the raw one after the encoder has finished
        }
    }
}
