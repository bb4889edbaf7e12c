package org.quiver.io.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.zip.CRC32;
import java.util.zip.ZipException;

/**
 * gzip decoded by ISA-L's {@code isal_inflate} straight into the caller's native memory; each member's header is
 * read here, as strictly as {@code gzip} reads it, and ISA-L decodes the deflate data and checks the trailer. Reads concatenated
 * members as one stream, as {@code gzip -d} does; zero bytes after the last member (padding that tape and block
 * devices add) are ignored, as {@code gzip -d} ignores them; any other bytes after a member must start another
 * member, or the stream is corrupt.
 *
 * <p>Memory: the inflate state (about 85 KiB) and a 256 KiB input window, in an automatic arena: they are freed
 * by the garbage collector once the decoder is unreachable, so a stream closed while another thread is inside a
 * read can never free them under that read.
 */
final class IsalGzipDecoder implements NativeDecoder {

    /** Compressed bytes read from the raw file at a time. */
    static final int WINDOW = 256 << 10;
    /** The most output one call is asked for: {@code avail_out} is 32 bits. */
    private static final long MAX_CALL = 1 << 30;

    private final NativeDecoder.Source source;
    private final MemorySegment state;
    private final MemorySegment window;
    private boolean inputEnded;
    private boolean memberDone;
    private boolean headerRead;
    /** Members completed, for messages. */
    private long members;

    IsalGzipDecoder(NativeDecoder.Source source) {
        this.source = source;
        Arena arena = Arena.ofAuto();
        state = arena.allocate(Isal.STATE_SIZE, 64);
        window = arena.allocate(WINDOW, 64);
        Isal.inflateInit(state);
        if (state.get(JAVA_INT, Isal.BLOCK_STATE) != 0 || state.get(JAVA_INT, Isal.AVAIL_IN) != 0
                || state.get(JAVA_INT, Isal.HIST_BITS) != 0) {
            throw new IllegalStateException(Isal.LIBRARY + " has another inflate_state layout than ISA-L 2.30's");
        }
        state.set(JAVA_INT, Isal.CRC_FLAG, Isal.GZIP_NO_HDR_VER);
    }

    private int availIn() {
        return state.get(JAVA_INT, Isal.AVAIL_IN);
    }

    /** Reads more compressed bytes into the window once the state has consumed it; false at the end. */
    private boolean refill() throws IOException {
        long n = source.fill(window);
        if (n < 0) {
            inputEnded = true;
            return false;
        }
        state.set(ADDRESS, Isal.NEXT_IN, window);
        state.set(JAVA_INT, Isal.AVAIL_IN, (int) n);
        return true;
    }

    @Override
    public long decode(MemorySegment dst) throws IOException {
        long size = Math.min(dst.byteSize(), MAX_CALL);
        while (true) {
            if (memberDone && !nextMember()) {
                return -1;
            }
            if (!headerRead) {
                readHeader();
            }
            if (availIn() == 0 && !inputEnded) {
                refill();
            }
            int before = availIn();
            state.set(ADDRESS, Isal.NEXT_OUT, dst);
            state.set(JAVA_INT, Isal.AVAIL_OUT, (int) size);
            int rc = Isal.inflate(state, dst, window);
            long produced = size - Integer.toUnsignedLong(state.get(JAVA_INT, Isal.AVAIL_OUT));
            if (rc < 0) {
                throw new ZipException(Isal.error(rc) + " in gzip member " + (members + 1));
            }
            if (state.get(JAVA_INT, Isal.BLOCK_STATE) == Isal.BLOCK_FINISH) {
                memberDone = true;
                members++;
            }
            if (produced > 0) {
                return produced;
            }
            if (memberDone) {
                continue;
            }
            if (availIn() == 0) {
                if (inputEnded) {
                    throw new EOFException("compressed input ended inside gzip member " + (members + 1));
                }
            } else if (availIn() == before) {
                // output room, input left, nothing consumed and no error: the library is stuck, never loop on it
                throw new ZipException("isal_inflate made no progress in gzip member " + (members + 1));
            }
        }
    }

    /**
     * After a member: skips zero padding and starts the next member, or tells that the stream has ended.
     *
     * @return false at the end (input ended after a member, or after zeros only)
     */
    private boolean nextMember() throws IOException {
        boolean padding = false;
        while (true) {
            int avail = availIn();
            if (avail == 0) {
                if (inputEnded || !refill()) {
                    return false;
                }
                continue;
            }
            MemorySegment next = window.asSlice(state.get(ADDRESS, Isal.NEXT_IN).address() - window.address(), avail);
            long zeros = 0;
            while (zeros < avail && next.get(JAVA_BYTE, zeros) == 0) {
                zeros++;
            }
            if (zeros < avail) {
                if (padding || zeros > 0) {
                    throw new ZipException("bytes other than zero padding after gzip member " + members);
                }
                break;
            }
            padding = true;
            state.set(ADDRESS, Isal.NEXT_IN, next.asSlice(avail)); // consumed: the window is refilled next
            state.set(JAVA_INT, Isal.AVAIL_IN, 0);
        }
        MemorySegment next = state.get(ADDRESS, Isal.NEXT_IN);
        int avail = availIn();
        Isal.inflateReset(state);
        state.set(JAVA_INT, Isal.CRC_FLAG, Isal.GZIP_NO_HDR_VER);
        state.set(ADDRESS, Isal.NEXT_IN, next);
        state.set(JAVA_INT, Isal.AVAIL_IN, avail);
        memberDone = false;
        headerRead = false;
        return true;
    }

    // ---- the member header (RFC 1952, 2.3), read as gzip reads it -------------------------------------------

    private static final int FTEXT = 1;
    private static final int FHCRC = 2;
    private static final int FEXTRA = 4;
    private static final int FNAME = 8;
    private static final int FCOMMENT = 16;

    /** The next compressed byte, consumed, and counted into the header's CRC-32. */
    private int headerByte(CRC32 crc) throws IOException {
        while (availIn() == 0) {
            if (inputEnded || !refill()) {
                throw new EOFException("compressed input ended inside the header of gzip member " + (members + 1));
            }
        }
        long at = state.get(ADDRESS, Isal.NEXT_IN).address() - window.address();
        int b = window.get(JAVA_BYTE, at) & 0xFF;
        state.set(ADDRESS, Isal.NEXT_IN, window.asSlice(at + 1, 0));
        state.set(JAVA_INT, Isal.AVAIL_IN, availIn() - 1);
        crc.update(b);
        return b;
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
        headerRead = true;
    }

    @Override
    public void close() {
        // the arena is automatic: see the class comment
    }
}
