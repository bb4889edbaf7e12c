package org.quiver.io.nativeio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.quiver.io.Compression;

import com.aayushatharva.brotli4j.Brotli4jLoader;
import com.aayushatharva.brotli4j.decoder.DecoderJNI;
import com.aayushatharva.brotli4j.encoder.BrotliOutputStream;
import com.aayushatharva.brotli4j.encoder.Encoder;

/** Raw brotli streams through brotli4j; its native part comes in a separate jar per platform. */
final class BrotliCodec implements Codec {

    BrotliCodec() {
        Brotli4jLoader.ensureAvailability(); // throws when the platform's native jar is missing or fails to load
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new Decoding(in);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        // 8 as Arrow: the tool's default 11 is about fifty times slower
        int quality = Codecs.level(Compression.BROTLI, level);
        return new BrotliOutputStream(out, new Encoder.Parameters().setQuality(quality), Codecs.STREAM_BUFFER);
    }

    /**
     * brotli4j's native decoder driven directly, instead of through its {@code BrotliInputStream}, which stalls on
     * valid streams: after a pull empties the output, the JNI wrapper reports {@code NEEDS_MORE_INPUT} whenever the
     * decoder has taken in every byte pushed to it, even when the decoder can still produce output from what it
     * took in (the ring buffer of a small window, {@code brotli -w 10}, fills many times from a few bytes). The
     * stream then asked for more input, found the end of the file and failed with "unexpected end of input" on a
     * 17-byte stream the {@code brotli} tool decodes to 2,800 bytes (found by fuzzing). Here a decoder that asks for
     * input is first given none ({@code push(0)}, which lets it go on), and only asked again after making no
     * progress. Bytes after the end of the stream are refused, as the tool refuses them, wherever they are.
     */
    private static final class Decoding extends InputStream {

        private final InputStream in;
        private final DecoderJNI.Wrapper decoder;
        private final byte[] chunk = new byte[Codecs.STREAM_BUFFER];
        private final byte[] one = new byte[1];
        /** Decoded bytes pulled and not read yet. */
        private ByteBuffer output;
        /** The last push gave the decoder no input and it still asked for some: it needs input now. */
        private boolean starved;
        private boolean ended;
        private boolean closed;

        Decoding(InputStream in) throws IOException {
            this.in = in;
            this.decoder = new DecoderJNI.Wrapper(Codecs.STREAM_BUFFER);
        }

        @Override
        public int read() throws IOException {
            return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] dst, int offset, int length) throws IOException {
            Objects.checkFromIndexSize(offset, length, dst.length);
            if (closed) {
                throw new IOException("brotli decoder is closed");
            }
            if (length == 0) {
                return 0;
            }
            while (output == null || !output.hasRemaining()) {
                if (ended) {
                    return -1;
                }
                step();
            }
            int n = Math.min(length, output.remaining());
            output.get(dst, offset, n);
            return n;
        }

        /** Moves the decoder one step on: output pulled, input pushed, or the end seen. */
        private void step() throws IOException {
            switch (decoder.getStatus()) {
                case NEEDS_MORE_OUTPUT -> output = decoder.pull();
                case OK -> decoder.push(0);
                case NEEDS_MORE_INPUT -> {
                    if (decoder.hasOutput()) {
                        output = decoder.pull();
                    } else if (!starved) {
                        starved = true;
                        decoder.push(0); // go on with what it took in, if it can
                        if (decoder.getStatus() != DecoderJNI.Status.NEEDS_MORE_INPUT || decoder.hasOutput()) {
                            starved = false;
                        }
                    } else {
                        pushInput();
                    }
                }
                case DONE -> {
                    if (decoder.hasOutput()) {
                        output = decoder.pull();
                    } else {
                        refuseTrailingData();
                        ended = true;
                    }
                }
                default -> throw new IOException("corrupted input");
            }
        }

        private void pushInput() throws IOException {
            ByteBuffer input = decoder.getInputBuffer();
            input.clear();
            int r;
            do {
                r = in.read(chunk, 0, Math.min(chunk.length, input.remaining()));
            } while (r == 0);
            if (r < 0) {
                throw new EOFException("unexpected end of input: the brotli stream is not finished");
            }
            input.put(chunk, 0, r);
            starved = false;
            decoder.push(r);
        }

        private void refuseTrailingData() throws IOException {
            int r;
            do {
                r = in.read(one, 0, 1);
            } while (r == 0);
            if (r > 0) {
                throw new IOException("corrupted input: data after the end of the brotli stream");
            }
        }

        @Override
        public void close() throws IOException {
            if (!closed) {
                closed = true;
                try {
                    decoder.destroy();
                } finally {
                    in.close();
                }
            }
        }
    }
}
