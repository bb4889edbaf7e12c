package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/** Fuzzes the brotli decoder: see {@link DecoderFuzzTarget}. */
class BrotliFuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.BROTLI;
    }
}
