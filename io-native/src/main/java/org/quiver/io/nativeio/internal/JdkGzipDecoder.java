package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import java.util.zip.ZipException;

/**
 * gzip inflated by the JDK's zlib ({@link Inflater} on direct buffers) straight into the caller's native memory,
 * with each member's trailer (CRC-32 and length) checked here: the fallback where ISA-L is not installed.
 */
final class JdkGzipDecoder extends GzipDecoder {

    private final Inflater inflater = new Inflater(true);
    private final CRC32 crc = new CRC32();
    /** Decoded bytes of the member, for the trailer's length (modulo 2^32). */
    private long memberSize;
    private boolean trailerChecked;

    JdkGzipDecoder(NativeDecoder.Source source) {
        super(source, Arena.ofAuto());
    }

    @Override
    void startMember() {
        inflater.reset();
        crc.reset();
        memberSize = 0;
        trailerChecked = false;
    }

    @Override
    long inflate(MemorySegment dst) throws IOException {
        ByteBuffer in = window.asSlice(pos, limit - pos).asByteBuffer();
        ByteBuffer out = dst.asByteBuffer();
        int n;
        inflater.setInput(in);
        try {
            n = inflater.inflate(out);
        } catch (DataFormatException e) {
            throw new ZipException(e.getMessage() + " in gzip member " + (members + 1));
        } finally {
            pos = limit - inflater.getRemaining();
        }
        if (n > 0) {
            crc.update(dst.asSlice(0, n).asByteBuffer());
            memberSize += n;
        }
        if (inflater.finished() && !trailerChecked) {
            readTrailer();
        }
        return n;
    }

    private void readTrailer() throws IOException {
        long storedCrc = 0;
        long storedSize = 0;
        for (int i = 0; i < 4; i++) {
            storedCrc |= (long) nextByte("trailer") << (8 * i);
        }
        for (int i = 0; i < 4; i++) {
            storedSize |= (long) nextByte("trailer") << (8 * i);
        }
        if (storedCrc != crc.getValue()) {
            throw new ZipException("incorrect checksum of gzip member " + (members + 1) + ": stored 0x"
                    + Long.toHexString(storedCrc) + ", computed 0x" + Long.toHexString(crc.getValue()));
        }
        if (storedSize != (memberSize & 0xFFFF_FFFFL)) {
            throw new ZipException("incorrect length of gzip member " + (members + 1) + ": stored " + storedSize
                    + ", decoded " + memberSize + " (modulo 2^32)");
        }
        trailerChecked = true;
    }

    @Override
    boolean memberFinished() {
        return trailerChecked;
    }

    @Override
    public void close() {
        inflater.end();
    }
}
