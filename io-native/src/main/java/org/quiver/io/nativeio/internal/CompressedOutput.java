package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.OutputStream;

import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.OutputFile;
import org.quiver.memory.Buffer;

/** Compresses into another file; closing finishes the stream (trailer, checksum) and closes the raw file. */
final class CompressedOutput extends StreamFile implements OutputFile {

    private final Compression compression;
    private final OutputFile raw;
    private final OutputStream encoder;
    private long position;

    CompressedOutput(OutputFile raw, Compression compression, int level) throws IOException {
        super(FileMode.WRITE);
        this.raw = raw;
        this.compression = compression;
        this.encoder = Codecs.encoder(compression, new Sink(raw), level);
    }

    @Override
    public long tell() {
        checkOpen();
        return position;
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Ranges.checkRange(offset, length, src.length);
        checkOpen();
        encoder.write(src, offset, length);
        position += length;
    }

    @Override
    public void write(Buffer src, long offset, long length) throws IOException {
        Ranges.checkRange(offset, length, src.size());
        checkOpen();
        byte[] chunk = new byte[(int) Math.min(length, Scratch.SIZE)];
        for (long n = 0; n < length; n += chunk.length) {
            int c = (int) Math.min(chunk.length, length - n);
            src.get(offset + n, chunk, 0, c);
            encoder.write(chunk, 0, c);
            position += c;
        }
    }

    /** Pushes what the encoder holds to the raw file (for zstd and lz4 this ends a block). */
    @Override
    public void flush() throws IOException {
        checkOpen();
        encoder.flush();
        raw.flush();
    }

    @Override
    void release() throws IOException {
        try {
            encoder.close();
        } finally {
            raw.close();
        }
    }

    @Override
    public String toString() {
        return compression.pyarrowName() + " output over " + CompressedInput.describe(raw);
    }

    /** The raw file as the encoder's output stream; the encoder's close does not close it. */
    private static final class Sink extends OutputStream {
        private final OutputFile raw;

        Sink(OutputFile raw) {
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
