package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/** Fuzzes the gzip decoder: see {@link DecoderFuzzTarget}. */
class GzipFuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.GZIP;
    }
}
