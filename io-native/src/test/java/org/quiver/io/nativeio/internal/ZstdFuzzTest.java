package org.quiver.io.nativeio.internal;

import org.quiver.io.Compression;

/**
 * Fuzzes the zstd decoder: see {@link DecoderFuzzTarget}. The one-byte read is compared with reads of two bytes,
 * not with the whole input: libzstd decodes a frame that arrives whole in one read in a single pass, which checks
 * the frame's declared content size against an empty last block, and its streaming decoder does not (found by this
 * target: {@code finding-zstd-content-size-empty-last-block}, and
 * {@link CompressionTest#zstdNeverInventsContentAFrameDeclares}). Streaming reads agree with each other.
 */
class ZstdFuzzTest extends DecoderFuzzTarget {

    @Override
    Compression compression() {
        return Compression.ZSTD;
    }

    @Override
    int comparedReadSize() {
        return 2;
    }
}
