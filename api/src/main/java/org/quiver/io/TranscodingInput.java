package org.quiver.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CharsetEncoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.MalformedInputException;
import java.nio.charset.UnmappableCharacterException;
import java.util.Map;
import java.util.Objects;

import org.quiver.internal.kit.Checks;
import org.quiver.internal.kit.ReadLoops;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Decodes one charset and encodes another as bytes are read ({@link NativeFiles#transcoding}): streaming, in
 * fixed buffers, strict both ways. Closing it closes the source, as every layer does.
 */
final class TranscodingInput extends ReadStream {

    private final SequentialInput source;
    private final Charset from;
    private final Charset to;
    private final CharsetDecoder decoder;
    private final CharsetEncoder encoder;
    private final byte[] chunk;
    private final ByteBuffer in;
    private final CharBuffer chars;
    private final ByteBuffer out;
    /** Source bytes read, and bytes given to the caller. */
    private long consumed;
    private long produced;
    private boolean sourceEnded;
    /** The decoder has had the end of the data and was flushed. */
    private boolean decoderDone;
    /** The encoder was flushed too: the output is complete. */
    private boolean done;

    TranscodingInput(SequentialInput source, Charset from, Charset to, int bufferSize) {
        this.source = source;
        this.from = from;
        this.to = to;
        this.decoder = from.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.encoder = to.newEncoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
        this.chunk = new byte[bufferSize];
        this.in = ByteBuffer.allocate(bufferSize + 16).flip();
        this.chars = CharBuffer.allocate(bufferSize + 16).flip();
        int perChar = (int) Math.ceil(encoder.maxBytesPerChar());
        this.out = ByteBuffer.allocate(Math.max(bufferSize, 16) * Math.max(1, perChar)).flip();
    }

    /** Bytes of {@code to} read so far. */
    @Override
    public long tell() {
        state.checkOpen();
        return produced;
    }

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Objects.requireNonNull(dst, "dst");
        state.checkOpen();
        Checks.checkRange(offset, length, dst.length);
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = Math.min(length, out.remaining());
        out.get(dst, offset, n);
        produced += n;
        return n;
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        Objects.requireNonNull(dst, "dst");
        state.checkOpen();
        Checks.checkRange(offset, length, dst.size());
        if (length == 0) {
            return 0;
        }
        if (!fill()) {
            return -1;
        }
        int n = (int) Math.min(length, out.remaining());
        dst.put(offset, out.array(), out.arrayOffset() + out.position(), n);
        out.position(out.position() + n);
        produced += n;
        return n;
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        Objects.requireNonNull(pool, "pool");
        state.checkOpen();
        return ReadLoops.readBuffer(this, length, pool);
    }

    /** Makes {@code out} hold at least one byte; false at the end of the data. */
    private boolean fill() throws IOException {
        while (!out.hasRemaining()) {
            if (done) {
                return false;
            }
            out.clear();
            try {
                transcodeSome();
            } finally {
                out.flip(); // after a refusal too: what was encoded before it is still read first
            }
        }
        return true;
    }

    /** Puts bytes into {@code out} (or ends the data): encodes decoded characters, decoding more as needed. */
    private void transcodeSome() throws IOException {
        while (true) {
            if (chars.hasRemaining()) {
                CoderResult r = encoder.encode(chars, out, false);
                if (r.isError()) {
                    throw unmappable(r);
                }
                if (out.position() > 0) {
                    return;
                }
                continue; // every decoded character used up without a byte out (rare): decode more
            }
            if (decoderDone) {
                CoderResult r = encoder.encode(chars, out, true);
                if (r.isError()) {
                    throw unmappable(r);
                }
                r = encoder.flush(out);
                if (r.isError()) {
                    throw unmappable(r);
                }
                done = true;
                return;
            }
            chars.clear();
            if (!sourceEnded && in.remaining() < in.capacity()) {
                readSource(); // also after an underflow: the decoder needs more than the bytes left
            }
            CoderResult r = decoder.decode(in, chars, sourceEnded);
            if (r.isError()) {
                chars.flip();
                throw malformed(r.length(), "malformed " + from.name() + " input");
            }
            if (sourceEnded && r.isUnderflow()) {
                if (in.hasRemaining()) {
                    chars.flip();
                    throw malformed(in.remaining(), "the data ends inside a character");
                }
                CoderResult f = decoder.flush(chars);
                if (f.isError()) {
                    chars.flip();
                    throw malformed(f.length(), "malformed " + from.name() + " input");
                }
                decoderDone = true;
            }
            chars.flip();
        }
    }

    private void readSource() throws IOException {
        in.compact();
        int n = source.read(chunk, 0, Math.min(chunk.length, in.remaining()));
        if (n < 0) {
            sourceEnded = true;
        } else {
            in.put(chunk, 0, n);
            consumed += n;
        }
        in.flip();
    }

    /** Where decoding stands in the source: bytes read from it less those not decoded yet. */
    private long sourceOffset() {
        return consumed - in.remaining();
    }

    private CharacterCodingException malformed(int length, String what) {
        String message = source + ": " + what + " at byte " + sourceOffset() + " (" + length + " byte"
                + (length == 1 ? "" : "s") + ")";
        return new MalformedInputException(length) {
            @Override
            public String getMessage() {
                return message;
            }
        };
    }

    private CharacterCodingException unmappable(CoderResult r) {
        String message = source + ": a character that " + to.name() + " cannot encode, decoded from before byte "
                + sourceOffset() + " of the " + from.name() + " data";
        return new UnmappableCharacterException(r.length()) {
            @Override
            public String getMessage() {
                return message;
            }
        };
    }

    @Override
    public void close() throws IOException {
        if (state.close()) {
            source.close();
        }
    }

    @Override
    public String toString() {
        return state.describe("TranscodingInput", from.name() + " to " + to.name() + ", source=" + source);
    }

    /** The metadata of the file this stream reads. */
    @Override
    public Map<String, String> metadata() throws IOException {
        state.checkOpen();
        return source.metadata();
    }
}
