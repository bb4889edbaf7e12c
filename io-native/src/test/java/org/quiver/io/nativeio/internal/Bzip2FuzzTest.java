package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/** Fuzzes the bzip2 decoder: see {@link DecoderFuzzTarget}. */
class Bzip2FuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.BZ2;
    }
}
