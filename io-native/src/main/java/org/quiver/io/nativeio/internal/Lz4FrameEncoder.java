package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.quiver.io.SequentialOutput;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.xxhash.StreamingXXHash32;
import net.jpountz.xxhash.XXHash32;

/**
 * Writes the LZ4 frame format as {@code lz4} reads it: independent blocks of up to 4 MiB, each compressed by
 * lz4-java (stored as is where compression would not shrink it), the end mark and the content checksum. Input
 * goes straight from the caller's memory, native or not, into the block, so a pool buffer is copied once, as an
 * array is by lz4-java's own frame stream.
 */
final class Lz4FrameEncoder implements NativeEncoder {

    /** Block maximum size 4 MiB (block size id 7). */
    static final int BLOCK = 4 << 20;
    /** Version 01, independent blocks, content checksum; no block checksums, no content size, no dictionary. */
    private static final int FLG = 0x40 | 0x20 | 0x04;
    private static final int BD = 7 << 4;
    /** Uncompressed-block flag in a block's size field. */
    private static final int STORED = 0x8000_0000;

    private final SequentialOutput raw;
    private final LZ4Compressor compressor;
    private final StreamingXXHash32 contentHash;
    private final byte[] block = new byte[BLOCK];
    private final byte[] compressed;
    private final byte descriptorHash;
    private int filled;
    private boolean headerWritten;

    Lz4FrameEncoder(SequentialOutput raw, LZ4Compressor compressor, XXHash32 hash, StreamingXXHash32 contentHash) {
        this.raw = raw;
        this.compressor = compressor;
        this.contentHash = contentHash;
        this.compressed = new byte[4 + compressor.maxCompressedLength(BLOCK)];
        this.descriptorHash = (byte) (hash.hash(new byte[] {(byte) FLG, (byte) BD}, 0, 2, 0) >>> 8);
    }

    @Override
    public void write(MemorySegment src) throws IOException {
        long done = 0;
        while (done < src.byteSize()) {
            int n = (int) Math.min(BLOCK - filled, src.byteSize() - done);
            MemorySegment.copy(src, ValueLayout.JAVA_BYTE, done, block, filled, n);
            filled += n;
            done += n;
            if (filled == BLOCK) {
                writeBlock();
            }
        }
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        int done = 0;
        while (done < length) {
            int n = Math.min(BLOCK - filled, length - done);
            System.arraycopy(src, offset + done, block, filled, n);
            filled += n;
            done += n;
            if (filled == BLOCK) {
                writeBlock();
            }
        }
    }

    private void writeHeader() throws IOException {
        if (!headerWritten) {
            raw.write(new byte[] {0x04, 0x22, 0x4D, 0x18, (byte) FLG, (byte) BD, descriptorHash}, 0, 7);
            headerWritten = true;
        }
    }

    private void writeBlock() throws IOException {
        writeHeader();
        if (filled == 0) {
            return;
        }
        contentHash.update(block, 0, filled);
        int n = compressor.compress(block, 0, filled, compressed, 4, compressed.length - 4);
        if (n >= filled) { // incompressible: stored, as the format allows and the reference tool does
            intLE(compressed, 0, filled | STORED);
            raw.write(compressed, 0, 4);
            raw.write(block, 0, filled);
        } else {
            intLE(compressed, 0, n);
            raw.write(compressed, 0, 4 + n);
        }
        filled = 0;
    }

    @Override
    public void flush() throws IOException {
        writeBlock();
    }

    @Override
    public void finish() throws IOException {
        writeBlock();
        byte[] end = new byte[8]; // the end mark, then the content checksum
        intLE(end, 4, contentHash.getValue());
        raw.write(end, 0, 8);
    }

    private static void intLE(byte[] b, int at, int v) {
        b[at] = (byte) v;
        b[at + 1] = (byte) (v >>> 8);
        b[at + 2] = (byte) (v >>> 16);
        b[at + 3] = (byte) (v >>> 24);
    }

    @Override
    public void close() {
        contentHash.close(); // the native streaming hash holds native state
    }
}
