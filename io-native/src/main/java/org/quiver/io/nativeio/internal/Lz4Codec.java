package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

import org.quiver.io.Compression;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/** The LZ4 frame format through lz4-java. */
final class Lz4Codec implements Codec {

    private final LZ4Factory factory;

    Lz4Codec() {
        factory = LZ4Factory.fastestInstance();
    }

    @Override
    public InputStream decoder(InputStream in, String source) throws IOException {
        return new LZ4FrameInputStream(in);
    }

    @Override
    public OutputStream encoder(OutputStream out, int level) throws IOException {
        int l = Codecs.level(Compression.LZ4_FRAME, level, 1, 1, 17);
        return new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L,
                l < 3 ? factory.fastCompressor() : factory.highCompressor(l),
                XXHashFactory.fastestInstance().hash32(), LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE,
                LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
    }
}
