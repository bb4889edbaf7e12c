package org.quiver.io.nativeio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.util.Locale;

import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.SequentialInput;
import org.quiver.io.OSFile;
import org.quiver.io.TruncatedDataException;

/**
 * Decompresses another file as it is read. The decoder is created at the first read (so opening never blocks
 * on a pipe), and every failure of the decoder becomes a {@link CorruptDataException}, or a
 * {@link TruncatedDataException} when the compressed input had ended; failures of the raw file itself pass
 * through unchanged.
 */
final class CompressedInput extends JavaInput {

    private final Compression compression;
    private final SequentialInput raw;
    private final Source counting;
    private InputStream decoder;
    private boolean ended;

    CompressedInput(SequentialInput raw, Compression compression) {
        this(raw, compression, new Source(raw));
    }

    private CompressedInput(SequentialInput raw, Compression compression, Source counting) {
        super(counting);
        this.raw = raw;
        this.compression = compression;
        this.counting = counting;
    }

    /** The raw file in a message, made when a message is: the path of an OS file, else its description. */
    static String describe(SequentialInput file) {
        return file instanceof OSFile f && !f.isClosed() ? f.path() : String.valueOf(file);
    }

    private String source() {
        return describe(raw);
    }

    /** Reads decoded bytes, creating the decoder at the first read and translating its failures. */
    @Override
    int readStream(byte[] dst, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        int r;
        try {
            if (decoder == null) {
                decoder = Codecs.decoder(compression, counting, source());
            }
            do {
                r = decoder.read(dst, offset, length);
            } while (r == 0);
        } catch (IOException | RuntimeException e) {
            throw translate(e);
        }
        if (r < 0) {
            ended = true;
            if (counting.count == 0) { // no stream at all: not even a header (gzip -d says the same)
                throw new TruncatedDataException(compression, source(), 0, null);
            }
        }
        return r;
    }

    /** The exception for a decoder failure: the raw file's own, truncated, or corrupt. */
    private IOException translate(Exception e) throws IOException {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof RawFailure raw) {
                Throwable original = raw.getCause();
                if (original instanceof RuntimeException r) {
                    throw r;
                }
                return (IOException) original;
            }
            if (t instanceof CorruptDataException c) {
                return c;
            }
        }
        String message = String.valueOf(e.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        boolean soundsTruncated = e instanceof EOFException || lower.contains("end") || lower.contains("truncat")
                || lower.contains("prematur") || lower.contains("eof");
        if (counting.ended && soundsTruncated) {
            return new TruncatedDataException(compression, source(), counting.count, e);
        }
        return new CorruptDataException(compression, source(), counting.count, e.getClass().getSimpleName() + ": "
                + message, e);
    }

    @Override
    void release() throws IOException {
        try {
            if (decoder != null) {
                decoder.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the decoder's close only frees its own state; the raw file is closed below either way
        } finally {
            raw.close();
        }
    }

    /** {@code CompressedSequentialInput[codec=gzip, position=100, raw=OSFile[...]]}: position counts decoded bytes. */
    @Override
    public String toString() {
        return describe("CompressedSequentialInput", "codec=" + compression.pyarrowName() + ", position=" + position()
                + ", raw=" + raw);
    }

    /** A failure of the raw file, marked so that it is not mistaken for corrupt data. */
    private static final class RawFailure extends IOException {
        private static final long serialVersionUID = 1L;

        RawFailure(Throwable cause) {
            super(cause.getMessage(), cause);
        }
    }

    /** The raw file as the decoder's input stream, counting compressed bytes; the decoder never closes it. */
    private static final class Source extends InputStream {
        private final SequentialInput raw;
        long count;
        boolean ended;

        Source(SequentialInput raw) {
            this.raw = raw;
        }

        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int r = read(one, 0, 1);
            return r < 0 ? -1 : one[0] & 0xFF;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            int r;
            try {
                r = raw.read(b, off, len);
            } catch (IOException | RuntimeException e) {
                throw new RawFailure(e);
            }
            if (r < 0) {
                ended = true;
                return -1;
            }
            count += r;
            return r;
        }

        @Override
        public void close() {
            // the compressed file closes the raw one
        }
    }
}
