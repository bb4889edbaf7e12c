package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/** Fuzzes the snappy decoder: see {@link DecoderFuzzTarget}. */
class SnappyFuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.SNAPPY;
    }
}
