package org.quiver.io.nativeio.internal;

import static java.lang.foreign.ValueLayout.JAVA_BYTE;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * gzip decoded into native memory: the members (RFC 1952) read here, their deflate data inflated by a subclass
 * (ISA-L's, or the JDK's zlib). Each member's header is read as strictly as {@code gzip} reads it. Concatenated
 * members read as one stream, as {@code gzip -d} reads them; zero bytes after the last member (padding that tape
 * and block devices add) are ignored, as {@code gzip -d} ignores them; any other bytes after a member must start
 * another member, or the stream is corrupt.
 *
 * <p>Memory: a 256 KiB input window (and the subclass's state) in an automatic arena, freed by the garbage
 * collector once the decoder is unreachable, so a stream closed while another thread is inside a read can never
 * free them under that read.
 */
abstract class GzipDecoder implements NativeDecoder {

    /** Compressed bytes read from the raw file at a time. */
    static final int WINDOW = 256 << 10;
    /** The most output one call is asked for: ISA-L's {@code avail_out} is 32 bits, a {@code ByteBuffer} 31. */
    static final long MAX_CALL = 1 << 30;

    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    private final NativeDecoder.Source source;
    /** Compressed bytes: those from {@link #pos} to {@link #limit} are not consumed yet. */
    final MemorySegment window;
    int pos;
    int limit;
    private boolean inputEnded;
    private boolean memberDone;
    private boolean headerRead;
    /** Members completed, for messages. */
    long members;

    GzipDecoder(NativeDecoder.Source source, Arena arena) {
        this.source = source;
        this.window = arena.allocate(WINDOW, 64);
    }

    /** Makes ready for a member's deflate data (the header has been read). */
    abstract void startMember();

    /**
     * Inflates from the window ({@link #pos} to {@link #limit}, advancing {@link #pos}) into {@code dst}.
     *
     * @return the bytes written to {@code dst}
     */
    abstract long inflate(MemorySegment dst) throws IOException;

    /** Whether the member's data is decoded, its trailer checked and all its output written. */
    abstract boolean memberFinished();

    /** Reads more compressed bytes into the window once it is consumed; false at the end of the input. */
    private boolean refill() throws IOException {
        long n = source.fill(window);
        if (n < 0) {
            inputEnded = true;
            return false;
        }
        pos = 0;
        limit = (int) n;
        return true;
    }

    /** The next compressed byte, consumed. */
    final int nextByte(String where) throws IOException {
        while (pos == limit) {
            if (inputEnded || !refill()) {
                throw new EOFException("compressed input ended inside the " + where + " of gzip member "
                        + (members + 1));
            }
        }
        return window.get(JAVA_BYTE, pos++) & 0xFF;
    }

    @Override
    public final long decode(MemorySegment dst) throws IOException {
        MemorySegment target = dst.asSlice(0, Math.min(dst.byteSize(), MAX_CALL));
        while (true) {
            if (memberDone && !nextMember()) {
                return -1;
            }
            if (!headerRead) {
                readHeader();
                startMember();
                headerRead = true;
            }
            if (pos == limit && !inputEnded) {
                refill();
            }
            int before = pos;
            long produced = inflate(target);
            if (memberFinished()) {
                memberDone = true;
                members++;
            }
            if (produced > 0) {
                return produced;
            }
            if (memberDone) {
                continue;
            }
            if (pos == limit) {
                if (inputEnded) {
                    throw new EOFException("compressed input ended inside gzip member " + (members + 1));
                }
            } else if (pos == before) {
                // output room, input left, nothing consumed and no error: the inflater is stuck, never loop on it
                throw new ZipException("the inflater made no progress in gzip member " + (members + 1));
            }
        }
    }

    /**
     * After a member: skips zero padding and readies the next member, or tells that the stream has ended.
     *
     * @return false at the end (input ended after a member, or after zeros only)
     */
    private boolean nextMember() throws IOException {
        boolean padding = false;
        while (true) {
            if (pos == limit) {
                if (inputEnded || !refill()) {
                    return false;
                }
                continue;
            }
            int zeros = 0;
            while (pos + zeros < limit && window.get(JAVA_BYTE, pos + zeros) == 0) {
                zeros++;
            }
            pos += zeros;
            if (pos < limit) {
                if (padding || zeros > 0) {
                    throw new ZipException("bytes other than zero padding after gzip member " + members);
                }
                break;
            }
            padding = true;
        }
        memberDone = false;
        headerRead = false;
        return true;
    }

    /** Reads and checks a member's header; the deflate data follows. */
    private void readHeader() throws IOException {
        CRC32 crc = new CRC32();
        String member = "gzip member " + (members + 1);
        int id1 = headerByte(crc);
        int id2 = headerByte(crc);
        if (id1 != 0x1F || id2 != 0x8B) {
            throw new ZipException("not in gzip format: " + member + " does not start with 1f 8b");
        }
        int method = headerByte(crc);
        if (method != 8) {
            throw new ZipException("compression method " + method + " of " + member + " is not deflate (8)");
        }
        int flags = headerByte(crc);
        if ((flags & ~(FTEXT | FHCRC | FEXTRA | FNAME | FCOMMENT)) != 0) {
            throw new ZipException("reserved flag bits set in the header of " + member + ": flags=0x"
                    + Integer.toHexString(flags));
        }
        for (int i = 0; i < 6; i++) { // modification time, extra flags, operating system
            headerByte(crc);
        }
        if ((flags & FEXTRA) != 0) {
            int length = headerByte(crc) | headerByte(crc) << 8;
            for (int i = 0; i < length; i++) {
                headerByte(crc);
            }
        }
        if ((flags & FNAME) != 0) {
            while (headerByte(crc) != 0) {
                // the original file name, zero-terminated
            }
        }
        if ((flags & FCOMMENT) != 0) {
            while (headerByte(crc) != 0) {
                // a comment, zero-terminated
            }
        }
        if ((flags & FHCRC) != 0) {
            int expected = (int) crc.getValue() & 0xFFFF;
            int stored = headerByte(crc) | headerByte(crc) << 8;
            if (stored != expected) {
                throw new ZipException("incorrect header checksum of " + member + ": stored 0x"
                        + Integer.toHexString(stored) + ", computed 0x" + Integer.toHexString(expected));
            }
        }
    }

    private int headerByte(CRC32 crc) throws IOException {
        int b = nextByte("header");
        crc.update(b);
        return b;
    }
}
