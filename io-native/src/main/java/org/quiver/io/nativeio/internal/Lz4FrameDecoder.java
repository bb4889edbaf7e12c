package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.util.Objects;

import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.TruncatedDataException;

import net.jpountz.lz4.LZ4Exception;
import net.jpountz.lz4.LZ4SafeDecompressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;

/**
 * Reads LZ4 frames as the reference tool ({@code lz4}) writes them: block maximum sizes 64 KiB to 4 MiB, linked
 * and independent blocks, block and content checksums, the content size, concatenated frames, skippable frames
 * between them, and the legacy format of {@code lz4 -l}. lz4-java's own {@code LZ4FrameInputStream} refuses
 * linked blocks ({@code lz4 -BD}, "Invalid or unsupported frame descriptor"), and its block decompressors refuse
 * references before the output offset (measured, Java and JNI), so linked blocks are decoded here, in a window
 * that keeps the last 64 KiB of the frame's output before each block; independent blocks still go to lz4-java's
 * safe decompressor (native where it loads).
 *
 * <p>Hostile input: memory is bounded by the frame's block size (at most 4 MiB for the compressed block plus 4 MiB
 * and 64 KiB of window, 8 MiB each in the legacy format), never by a size a header claims; every length and
 * distance is checked before it is used; skippable frames are read and dropped in small pieces. Every failure is a
 * {@link CorruptDataException} (or {@link TruncatedDataException} when the input ends inside a frame) naming the
 * compressed offset of the structure that is wrong; failures of the input stream itself pass through.
 */
final class Lz4FrameDecoder extends InputStream implements NativeDecoder {

    static final int MAGIC = 0x184D2204;
    static final int LEGACY_MAGIC = 0x184C2102;
    /** Skippable frames: 0x184D2A50 to 0x184D2A5F. */
    static final int SKIPPABLE_MAGIC = 0x184D2A50;
    /** How far back a match may reach: the format's 16-bit distance. */
    static final int WINDOW = 64 << 10;
    /** The legacy format's fixed block size, and the largest compressed block (LZ4_COMPRESSBOUND) of it. */
    static final int LEGACY_BLOCK = 8 << 20;
    static final int LEGACY_MAX_COMPRESSED = LEGACY_BLOCK + LEGACY_BLOCK / 255 + 16;
    /** Room for linked blocks after the window, so that small blocks shift the window only every few blocks. */
    private static final int LINKED_ROOM = 256 << 10;

    private final InputStream in;
    private final String source;
    private final LZ4SafeDecompressor independentBlocks;
    private final XXHash32 hash;
    private final StreamingXXHash32 contentHash;

    /** Compressed bytes consumed. */
    private long offset;
    private boolean frameOpen;
    private boolean legacy;
    private boolean ended;
    /** A magic number the legacy format read where a block size was expected: the next frame's. */
    private boolean magicPending;
    private int pendingMagic;

    // the open frame
    private long frameAt;
    private int blockMax;
    private boolean linked;
    private boolean blockChecksum;
    private boolean contentChecksum;
    /** The declared content size (unsigned), or -1 (all bits) with {@link #hasContentSize} false. */
    private long contentSize;
    private boolean hasContentSize;
    private boolean hasDictionaryId;
    private long dictionaryId;
    private long decoded;

    private byte[] block = new byte[0];
    /**
     * Decoded bytes from {@link #start} to {@link #end}. For linked blocks, what lies before {@link #start} is the
     * frame's earlier output, of which a match may reach the last {@link #WINDOW} bytes: index 0 is the frame's
     * first byte or, once the window has shifted, {@code WINDOW} bytes before the block.
     */
    private byte[] window = new byte[0];
    private int start;
    private int end;
    private final byte[] header = new byte[15];
    private final byte[] one = new byte[1];

    Lz4FrameDecoder(InputStream in, String source, LZ4SafeDecompressor independentBlocks, XXHash32 hash,
            StreamingXXHash32 contentHash) {
        this.in = in;
        this.source = source;
        this.independentBlocks = independentBlocks;
        this.hash = hash;
        this.contentHash = contentHash;
    }

    @Override
    public int read() throws IOException {
        return read(one, 0, 1) < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] dst, int off, int len) throws IOException {
        Objects.checkFromIndexSize(off, len, dst.length);
        if (len == 0) {
            return 0;
        }
        while (start == end) {
            if (!nextBlock()) {
                return -1;
            }
        }
        int n = Math.min(len, end - start);
        System.arraycopy(window, start, dst, off, n);
        start += n;
        return n;
    }

    /** Copies decoded bytes straight from the block into native memory: the one copy the array read makes too. */
    @Override
    public long decode(MemorySegment dst) throws IOException {
        while (start == end) {
            if (!nextBlock()) {
                return -1;
            }
        }
        int n = (int) Math.min(dst.byteSize(), end - start);
        MemorySegment.copy(window, start, dst, ValueLayout.JAVA_BYTE, 0, n);
        start += n;
        return n;
    }

    @Override
    public void close() throws IOException {
        ended = true;
        try {
            contentHash.close(); // the native streaming hash holds native state
        } finally {
            in.close();
        }
    }

    // ---- frames --------------------------------------------------------------------------------------------

    /** Decodes the next block with content into the window; false at the end of the input. */
    private boolean nextBlock() throws IOException {
        while (!ended) {
            if (!frameOpen) {
                if (!openFrame()) {
                    ended = true;
                    return false;
                }
            } else if (legacy) {
                legacyBlock();
            } else {
                frameBlock();
            }
            if (start < end) {
                return true;
            }
        }
        return false;
    }

    /** Reads a magic number and what follows it; false at a clean end of the input (between frames). */
    private boolean openFrame() throws IOException {
        long at = offset;
        int magic;
        if (magicPending) {
            magicPending = false;
            magic = pendingMagic;
            at -= 4;
        } else {
            int first = readByteOrEnd();
            if (first < 0) {
                return false;
            }
            readFully(header, 0, 3);
            magic = first | (header[0] & 0xFF) << 8 | (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 24;
        }
        if (magic == MAGIC) {
            frameHeader(at);
        } else if ((magic & 0xFFFFFFF0) == SKIPPABLE_MAGIC) {
            skipFrame(readIntLE() & 0xFFFFFFFFL);
        } else if (magic == LEGACY_MAGIC) {
            frameAt = at;
            frameOpen = true;
            legacy = true;
            hasContentSize = false;
            contentChecksum = false;
            hasDictionaryId = false;
            block = grow(block, LEGACY_MAX_COMPRESSED);
            window = grow(window, LEGACY_BLOCK);
            start = 0;
            end = 0;
        } else {
            throw corrupt(at, (at > 0 ? "what follows is not an LZ4 frame" : "not an LZ4 frame")
                    + String.format(": magic number 0x%08X (expected 0x%08X)", magic, MAGIC));
        }
        return true;
    }

    /** The frame descriptor after the magic number: flags, block size, content size, dictionary id, checksum. */
    private void frameHeader(long at) throws IOException {
        readFully(header, 0, 2);
        int flg = header[0] & 0xFF;
        int bd = header[1] & 0xFF;
        if (flg >>> 6 != 1) {
            throw corrupt(at, "unsupported LZ4 frame version " + (flg >>> 6) + " (FLG=0x" + hex(flg) + ")");
        }
        if ((flg & 0x02) != 0 || (bd & 0x8F) != 0) {
            throw corrupt(at, "reserved bits set in the frame descriptor (FLG=0x" + hex(flg) + " BD=0x" + hex(bd)
                    + ")");
        }
        int blockSizeId = bd >>> 4;
        if (blockSizeId < 4) {
            throw corrupt(at, "invalid block maximum size id " + blockSizeId + " (BD=0x" + hex(bd) + "; 4 to 7)");
        }
        linked = (flg & 0x20) == 0;
        blockChecksum = (flg & 0x10) != 0;
        hasContentSize = (flg & 0x08) != 0;
        contentChecksum = (flg & 0x04) != 0;
        hasDictionaryId = (flg & 0x01) != 0;
        int length = 2 + (hasContentSize ? 8 : 0) + (hasDictionaryId ? 4 : 0);
        readFully(header, 2, length - 2 + 1); // the rest of the descriptor and its checksum byte
        int expected = (hash.hash(header, 0, length, 0) >>> 8) & 0xFF;
        if ((header[length] & 0xFF) != expected) {
            throw corrupt(at, "frame descriptor checksum mismatch: 0x" + hex(header[length] & 0xFF) + ", computed 0x"
                    + hex(expected));
        }
        contentSize = hasContentSize ? longLE(header, 2) : -1;
        dictionaryId = hasDictionaryId ? intLE(header, hasContentSize ? 10 : 2) & 0xFFFFFFFFL : 0;
        blockMax = 1 << (2 * blockSizeId + 8);
        block = grow(block, blockMax);
        window = grow(window, linked ? WINDOW + Math.max(blockMax, LINKED_ROOM) : blockMax);
        frameAt = at;
        frameOpen = true;
        legacy = false;
        decoded = 0;
        contentHash.reset();
        start = 0;
        end = 0;
    }

    /** One block of a frame, or its end mark and content checksum. */
    private void frameBlock() throws IOException {
        long at = offset;
        int size = readIntLE();
        if (size == 0) {
            endFrame(at);
            return;
        }
        boolean stored = size < 0; // the high bit: the block is stored uncompressed
        int length = size & 0x7FFFFFFF;
        if (length > blockMax) {
            throw inBlock(at, "block of " + length + " bytes in a frame of blocks of at most " + blockMax + " bytes");
        }
        readFully(block, 0, length);
        if (blockChecksum) {
            int expected = readIntLE();
            int actual = hash.hash(block, 0, length, 0);
            if (actual != expected) {
                throw inBlock(at, "block checksum mismatch: 0x" + Integer.toHexString(expected) + ", computed 0x"
                        + Integer.toHexString(actual));
            }
        }
        int out;
        if (linked) {
            if (end + blockMax > window.length) { // keep the last 64 KiB as the next block's window
                int keep = Math.min(WINDOW, end);
                System.arraycopy(window, end - keep, window, 0, keep);
                end = keep;
            }
            out = end;
        } else {
            out = 0;
        }
        int n;
        if (stored) {
            System.arraycopy(block, 0, window, out, length);
            n = length;
        } else if (linked) {
            n = decodeBlock(block, length, window, out, out + blockMax, at) - out;
        } else {
            n = independent(length, blockMax, at);
        }
        decoded += n;
        if (hasContentSize && Long.compareUnsigned(decoded, contentSize) > 0) {
            throw inBlock(at, "the frame holds more than the " + Long.toUnsignedString(contentSize)
                    + " bytes of content its header declares");
        }
        if (contentChecksum) {
            contentHash.update(window, out, n);
        }
        start = out;
        end = out + n;
    }

    private void endFrame(long at) throws IOException {
        if (contentChecksum) {
            int expected = readIntLE();
            int actual = contentHash.getValue();
            if (actual != expected) {
                throw inBlock(at, "content checksum mismatch: 0x" + Integer.toHexString(expected) + ", computed 0x"
                        + Integer.toHexString(actual) + " over " + decoded + " bytes");
            }
        }
        if (hasContentSize && decoded != contentSize) {
            throw inBlock(at, "the frame's header declares " + Long.toUnsignedString(contentSize)
                    + " bytes of content, its blocks hold " + decoded);
        }
        frameOpen = false;
        start = 0;
        end = 0;
    }

    /** One block of the legacy format; a size too large for a block is the next frame's magic number. */
    private void legacyBlock() throws IOException {
        long at = offset;
        int first = readByteOrEnd();
        if (first < 0) { // the legacy format has no end mark: it ends with the input
            frameOpen = false;
            start = 0;
            end = 0;
            return;
        }
        readFully(header, 0, 3);
        int size = first | (header[0] & 0xFF) << 8 | (header[1] & 0xFF) << 16 | (header[2] & 0xFF) << 24;
        if (Integer.compareUnsigned(size, LEGACY_MAX_COMPRESSED) > 0) { // as lz4 reads it
            magicPending = true;
            pendingMagic = size;
            frameOpen = false;
            start = 0;
            end = 0;
            return;
        }
        if (size == 0) {
            throw inBlock(at, "empty block in a legacy frame");
        }
        readFully(block, 0, size);
        int n = independent(size, LEGACY_BLOCK, at);
        decoded += n;
        start = 0;
        end = n;
    }

    /** An independent block through lz4-java into the start of the window. */
    private int independent(int length, int max, long at) throws CorruptDataException {
        try {
            return independentBlocks.decompress(block, 0, length, window, 0, max);
        } catch (LZ4Exception e) {
            throw inBlock(at, "invalid LZ4 block (" + e.getMessage() + ")" + dictionaryHint());
        }
    }

    /**
     * Decodes one LZ4 block {@code src[0, srcEnd)} into {@code dst} from {@code out}, writing below {@code limit};
     * matches may reach back to index 0 (the previous blocks' output). Returns the end of the output.
     */
    private int decodeBlock(byte[] src, int srcEnd, byte[] dst, int out, int limit, long at)
            throws CorruptDataException {
        int s = 0;
        int d = out;
        while (true) {
            if (s >= srcEnd) {
                throw inBlock(at, "the block ends inside a sequence, at block byte " + s);
            }
            int token = src[s++] & 0xFF;
            int literals = token >>> 4;
            if (literals == 15) {
                int more;
                do {
                    if (s >= srcEnd) {
                        throw inBlock(at, "the block ends inside a literal length, at block byte " + s);
                    }
                    more = src[s++] & 0xFF;
                    literals += more;
                } while (more == 255 && literals <= limit);
            }
            if (literals > srcEnd - s || literals > limit - d) {
                throw inBlock(at, literals + " literals at block byte " + s + " run past the end of the block"
                        + " or beyond its maximum size of " + (limit - out) + " bytes");
            }
            System.arraycopy(src, s, dst, d, literals);
            s += literals;
            d += literals;
            if (s == srcEnd) {
                return d; // the last sequence is literals only
            }
            if (srcEnd - s < 2) {
                throw inBlock(at, "the block ends inside a match offset, at block byte " + s);
            }
            int distance = (src[s] & 0xFF) | (src[s + 1] & 0xFF) << 8;
            s += 2;
            if (distance == 0 || distance > d) {
                throw inBlock(at, "match distance " + distance + " at block byte " + (s - 2) + " reaches before the "
                        + "start of the frame's output" + dictionaryHint());
            }
            int length = token & 0x0F;
            if (length == 15) {
                int more;
                do {
                    if (s >= srcEnd) {
                        throw inBlock(at, "the block ends inside a match length, at block byte " + s);
                    }
                    more = src[s++] & 0xFF;
                    length += more;
                } while (more == 255 && length <= limit);
            }
            length += 4;
            if (length > limit - d) {
                throw inBlock(at, "a match of " + length + " bytes at block byte " + s
                        + " runs beyond the block's maximum size of " + (limit - out) + " bytes");
            }
            // a match may overlap what it writes (distance < length repeats a pattern): copy in rounds that never
            // overlap, each twice as long as the one before
            int from = d - distance;
            while (length > 0) {
                int n = Math.min(length, d - from);
                System.arraycopy(dst, from, dst, d, n);
                d += n;
                length -= n;
            }
        }
    }

    private String dictionaryHint() {
        return hasDictionaryId ? " (the frame was compressed with dictionary id " + dictionaryId
                + ", which this reader does not have)" : "";
    }

    // ---- input ---------------------------------------------------------------------------------------------

    private int readByteOrEnd() throws IOException {
        int r;
        do {
            r = in.read(one, 0, 1);
        } while (r == 0);
        if (r < 0) {
            return -1;
        }
        offset++;
        return one[0] & 0xFF;
    }

    /** Reads exactly {@code length} bytes; the input ending first is a truncation. */
    private void readFully(byte[] dst, int off, int length) throws IOException {
        int n = 0;
        while (n < length) {
            int r = in.read(dst, off + n, length - n);
            if (r < 0) {
                throw new TruncatedDataException(Compression.LZ4_FRAME, source, offset, null);
            }
            n += r;
            offset += r;
        }
    }

    private int readIntLE() throws IOException {
        readFully(header, 0, 4);
        return intLE(header, 0);
    }

    private void skipFrame(long length) throws IOException {
        byte[] scratch = grow(block, 8192);
        block = scratch;
        for (long left = length; left > 0;) {
            int n = (int) Math.min(left, scratch.length);
            readFully(scratch, 0, n);
            left -= n;
        }
    }

    private static int intLE(byte[] b, int i) {
        return (b[i] & 0xFF) | (b[i + 1] & 0xFF) << 8 | (b[i + 2] & 0xFF) << 16 | (b[i + 3] & 0xFF) << 24;
    }

    private static long longLE(byte[] b, int i) {
        return (intLE(b, i) & 0xFFFFFFFFL) | (long) intLE(b, i + 4) << 32;
    }

    private static byte[] grow(byte[] array, int size) {
        return array.length >= size ? array : new byte[size];
    }

    private static String hex(int b) {
        return String.format("%02X", b);
    }

    private CorruptDataException corrupt(long at, String detail) {
        return new CorruptDataException(Compression.LZ4_FRAME, source, at, detail, null);
    }

    /** For what is wrong inside a frame: also names where the frame starts. */
    private CorruptDataException inBlock(long at, String detail) {
        return corrupt(at, detail + " (in the frame at compressed offset " + frameAt + ")");
    }
}
