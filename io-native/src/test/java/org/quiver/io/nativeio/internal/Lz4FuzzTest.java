package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/** Fuzzes the lz4 decoder: see {@link DecoderFuzzTarget}. */
class Lz4FuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.LZ4_FRAME;
    }
}
