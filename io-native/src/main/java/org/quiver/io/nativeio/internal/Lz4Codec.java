package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;
import org.quiver.io.SequentialOutput;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * The LZ4 frame format: written by lz4-java's frame stream (independent 4 MiB blocks, content checksum), read by
 * {@link Lz4FrameDecoder}, which also reads the linked blocks lz4-java's own reader refuses.
 */
final class Lz4Codec implements Codec {

    private final LZ4Factory factory;
    private final XXHashFactory hashes;

    Lz4Codec() {
        factory = LZ4Factory.fastestInstance();
        hashes = XXHashFactory.fastestInstance();
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new Lz4FrameDecoder(in, source, factory.safeDecompressor(), hashes.hash32(),
                hashes.newStreamingHash32(0));
    }

    /** The same decoder, copying each decoded block straight into the caller's memory. */
    @Override
    public NativeDecoder nativeDecoder(InputStream in, NativeDecoder.Source nativeSource, String source) {
        return new Lz4FrameDecoder(in, source, factory.safeDecompressor(), hashes.hash32(),
                hashes.newStreamingHash32(0));
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L, compressor(level),
                hashes.hash32(), LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
    }

    /** The same frames (independent 4 MiB blocks, content checksum), from the caller's memory. */
    @Override
    public NativeEncoder nativeEncoder(SequentialOutput raw, int level) {
        return new Lz4FrameEncoder(raw, compressor(level), hashes.hash32(), hashes.newStreamingHash32(0));
    }

    private LZ4Compressor compressor(int level) {
        int l = Codecs.level(Compression.LZ4_FRAME, level);
        return l < 3 ? factory.fastCompressor() : factory.highCompressor(l);
    }
}
