package org.quiver.io.nativeio.internal;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.Locale;
import java.util.Map;

import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.SequentialInput;
import org.quiver.io.OSFile;
import org.quiver.io.TruncatedDataException;
import org.quiver.memory.Buffer;

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
    /** The codec, or {@code null} for the one {@link Codecs} has. */
    private final Codec codec;
    /** The stream decoder, or the native one when the codec has one (then this is null). */
    private InputStream decoder;
    private NativeDecoder nativeDecoder;
    /** Native memory that reads into Java memory decode through when the decoder is native; made when first needed. */
    private MemorySegment scratch;
    private boolean ended;

    CompressedInput(SequentialInput raw, Compression compression) {
        this(raw, compression, null);
    }

    /** A compressed file decoded by {@code codec} rather than the codec {@link Codecs} has for the compression. */
    CompressedInput(SequentialInput raw, Compression compression, Codec codec) {
        this(raw, compression, codec, new Source(raw));
    }

    private CompressedInput(SequentialInput raw, Compression compression, Codec codec, Source counting) {
        super(counting);
        this.raw = raw;
        this.compression = compression;
        this.codec = codec;
        this.counting = counting;
    }

    /** The raw file in a message, made when a message is: the path of an OS file, else its description. */
    static String describe(SequentialInput file) {
        return file instanceof OSFile f && !f.isClosed() ? f.path() : String.valueOf(file);
    }

    private String source() {
        return describe(raw);
    }

    /** Creates the decoder at the first read: the codec's native one when it has one, else its stream. */
    private void start() throws IOException {
        if (decoder == null && nativeDecoder == null) {
            nativeDecoder = codec != null ? codec.nativeDecoder(counting, counting, source())
                    : Codecs.nativeDecoder(compression, counting, counting, source());
            if (nativeDecoder == null) {
                decoder = codec != null ? codec.decoder(counting, source()) : Codecs.decoder(compression, counting,
                        source());
            }
        }
    }

    /** Reads decoded bytes into an array, translating the decoder's failures. */
    @Override
    int readStream(byte[] dst, int offset, int length) throws IOException {
        if (ended) {
            return -1;
        }
        int r;
        try {
            start();
            if (nativeDecoder != null) {
                // the native decoder is the only one that has seen the stream so far
                r = (int) decodeInto(MemorySegment.ofArray(dst).asSlice(offset, length));
            } else {
                do {
                    r = decoder.read(dst, offset, length);
                } while (r == 0);
            }
        } catch (IOException | RuntimeException e) {
            throw translate(e);
        }
        return atEnd(r);
    }

    /**
     * Reads decoded bytes into a buffer: straight into its memory when the codec decodes into native memory, the
     * buffer's memory held for the call (another thread's close frees it after the call, never under it).
     */
    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        if (checkRead(dst, offset, length)) {
            return 0;
        }
        if (ended) {
            return -1;
        }
        try {
            start();
        } catch (IOException | RuntimeException e) {
            throw translate(e);
        }
        if (nativeDecoder == null) {
            return super.read(dst, offset, length); // through an array; the array read translates failures
        }
        long r;
        try (Arena hold = Arena.ofConfined()) {
            MemorySegment target = dst.asSegment(hold).asSlice(offset, length); // a closed buffer throws here
            try {
                r = decodeInto(target);
            } catch (IOException | RuntimeException e) {
                throw translate(e);
            }
        }
        r = atEnd(r);
        if (r > 0) {
            advance(r);
        }
        return r;
    }

    /**
     * Decodes into {@code target} with the native decoder: straight into it when it is native memory, else (a
     * Java array, or a buffer over one) through native memory of this file's own, since the libraries take only
     * native memory.
     */
    private long decodeInto(MemorySegment target) throws IOException {
        if (target.isNative()) {
            return nativeDecoder.decode(target);
        }
        if (scratch == null) {
            scratch = Arena.ofAuto().allocate(Scratch.SIZE);
        }
        long n = nativeDecoder.decode(scratch.asSlice(0, Math.min(target.byteSize(), scratch.byteSize())));
        if (n > 0) {
            MemorySegment.copy(scratch, 0, target, 0, n);
        }
        return n;
    }

    /** {@code r}, after noting the end: a stream with no compressed byte at all is truncated, not empty. */
    private int atEnd(long r) throws IOException {
        if (r < 0) {
            ended = true;
            if (counting.count == 0) { // no stream at all: not even a header (gzip -d says the same)
                throw new TruncatedDataException(compression, source(), 0, null);
            }
            return -1;
        }
        return (int) r;
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
            if (nativeDecoder != null) {
                nativeDecoder.close();
            }
        } catch (IOException | RuntimeException ignored) {
            // the decoder's close only frees its own state; the raw file is closed below either way
        } finally {
            raw.close();
        }
    }

    /** The metadata of the file under this stream, as Arrow's layered streams give it. */
    @Override
    public Map<String, String> metadata() throws IOException {
        checkOpen();
        return raw.metadata();
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
    private static final class Source extends InputStream implements NativeDecoder.Source {
        private final SequentialInput raw;
        long count;
        boolean ended;
        /** The last segment filled and the buffer over it: a decoder fills the same window every time. */
        private MemorySegment filled;
        private Buffer filledBuffer;

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
            try {
                return (int) counted(raw.read(b, off, len));
            } catch (IOException | RuntimeException e) {
                throw new RawFailure(e);
            }
        }

        /** {@code r} bytes read from the raw file, counted; -1 at its end. */
        private long counted(long r) {
            if (r < 0) {
                ended = true;
                return -1;
            }
            count += r;
            return r;
        }

        @Override
        public long fill(MemorySegment into) throws IOException {
            if (into != filled) {
                filledBuffer = Buffer.wrap(into);
                filled = into;
            }
            long r;
            try {
                do {
                    r = raw.read(filledBuffer, 0, into.byteSize());
                } while (r == 0);
            } catch (IOException | RuntimeException e) {
                throw new RawFailure(e);
            }
            return counted(r);
        }

        @Override
        public void close() {
            // the compressed file closes the raw one
        }
    }
}
