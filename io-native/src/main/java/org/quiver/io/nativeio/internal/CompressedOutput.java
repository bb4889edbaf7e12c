package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.OutputStream;

import org.quiver.io.Compression;
import org.quiver.io.SequentialOutput;

/**
 * Compresses into another file: a Java-stream file over the codec's encoder. Closing finishes the stream
 * (trailer, checksum) and closes the raw file; flushing pushes what the encoder holds (for zstd and lz4 this ends
 * a block) through to the raw file.
 */
final class CompressedOutput extends JavaOutput {

    private final SequentialOutput raw;
    private final Compression compression;

    CompressedOutput(SequentialOutput raw, Compression compression, int level) throws IOException {
        super(Codecs.encoder(compression, new Sink(raw), level));
        this.raw = raw;
        this.compression = compression;
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
            super.release(); // the encoder's close writes the trailer; the sink does not close the raw file
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
