package org.quiver.io.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.util.zip.ZipException;

/**
 * gzip inflated by Intel's ISA-L ({@link Isal}) straight into the caller's native memory; ISA-L also checks each
 * member's trailer (CRC-32 and length). The inflate state (about 85 KiB) lives beside the window, in the same
 * automatic arena.
 */
final class IsalGzipDecoder extends GzipDecoder {

    private final MemorySegment state;

    IsalGzipDecoder(NativeDecoder.Source source) {
        this(source, Arena.ofAuto());
    }

    private IsalGzipDecoder(NativeDecoder.Source source, Arena arena) {
        super(source, arena);
        state = arena.allocate(Isal.STATE_SIZE, 64);
        Isal.inflateInit(state);
        if (state.get(JAVA_INT, Isal.BLOCK_STATE) != 0 || state.get(JAVA_INT, Isal.AVAIL_IN) != 0
                || state.get(JAVA_INT, Isal.HIST_BITS) != 0) {
            throw new IllegalStateException(Isal.LIBRARY + " has another inflate_state layout than ISA-L 2.30's");
        }
    }

    @Override
    void startMember() {
        Isal.inflateReset(state);
        state.set(JAVA_INT, Isal.CRC_FLAG, Isal.GZIP_NO_HDR_VER);
    }

    @Override
    long inflate(MemorySegment dst) throws IOException {
        long size = dst.byteSize();
        state.set(ADDRESS, Isal.NEXT_IN, window.asSlice(pos));
        state.set(JAVA_INT, Isal.AVAIL_IN, limit - pos);
        state.set(ADDRESS, Isal.NEXT_OUT, dst);
        state.set(JAVA_INT, Isal.AVAIL_OUT, (int) size);
        int rc = Isal.inflate(state, dst, window);
        pos = limit - state.get(JAVA_INT, Isal.AVAIL_IN);
        if (rc < 0) {
            throw new ZipException(Isal.error(rc) + " in gzip member " + (members + 1));
        }
        return size - Integer.toUnsignedLong(state.get(JAVA_INT, Isal.AVAIL_OUT));
    }

    @Override
    boolean memberFinished() {
        return state.get(JAVA_INT, Isal.BLOCK_STATE) == Isal.BLOCK_FINISH;
    }

    @Override
    public void close() {
        // the arena is automatic: see GzipDecoder
    }
}
