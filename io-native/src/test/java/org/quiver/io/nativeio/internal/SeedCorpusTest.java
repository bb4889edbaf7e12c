package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.quiver.io.Compression;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.memory.testing.RequiredBackend;

/**
 * The decoders' committed seed corpus ({@link FuzzSeeds}) is what its names say: each stream a command-line tool
 * wrote decodes with Quiver to what the tool itself decodes it to, and each of Quiver's streams to the data it was
 * made from. A seed the decoder refused would leave the fuzzer nothing valid to start from, and would hide a
 * decoder that stopped reading the tool's files (the seeds cover options the round-trip tests do not: lz4's
 * legacy format, linked 64 KiB blocks, block checksums and skippable frames, brotli's small windows).
 */
class SeedCorpusTest {

    private static final Map<String, Compression> TARGETS = Map.of("GzipFuzzTest", Compression.GZIP,
            "ZstdFuzzTest", Compression.ZSTD, "Lz4FuzzTest", Compression.LZ4_FRAME, "Bzip2FuzzTest", Compression.BZ2,
            "BrotliFuzzTest", Compression.BROTLI, "SnappyFuzzTest", Compression.SNAPPY);

    /** What Quiver's seeds were compressed from. */
    private static final Map<String, byte[]> QUIVER = Map.of("quiver-text", FuzzSeeds.TEXT, "quiver-binary",
            FuzzSeeds.BINARY, "quiver-repetitive", FuzzSeeds.REPETITIVE, "quiver-empty", new byte[0],
            "quiver-two-streams", concat(FuzzSeeds.SHORT, FuzzSeeds.SHORT));

    @TempDir
    Path dir;

    static Stream<Arguments> validSeeds() throws IOException, URISyntaxException {
        List<Arguments> seeds = new ArrayList<>();
        for (Map.Entry<String, Compression> target : TARGETS.entrySet()) {
            Path corpus = Path.of(SeedCorpusTest.class.getResource(target.getKey() + "Inputs/decode").toURI());
            try (Stream<Path> files = Files.list(corpus)) {
                for (Path seed : files.sorted().toList()) {
                    String name = seed.getFileName().toString();
                    if (!name.startsWith("corrupt-") && !name.startsWith("finding-")) {
                        seeds.add(Arguments.of(target.getValue(), name, seed));
                    }
                }
            }
        }
        assertFalse(seeds.isEmpty(), "no seeds on the test class path");
        return seeds.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("validSeeds")
    void decodesAsTheToolDoes(Compression c, String name, Path seed) throws Exception {
        byte[] expected = QUIVER.get(name);
        if (expected == null && name.startsWith("snappy-")) { // written by hand: no snappy framing tool
            expected = name.contains("then-stream") ? FuzzSeeds.SHORT : new byte[0];
        }
        if (expected == null) {
            String tool = name.substring(0, name.indexOf('-'));
            RequiredBackend.requireFile(Path.of("/usr/bin/" + tool), tool);
            Files.copy(seed, dir.resolve("seed"));
            CompressionTest.run(dir, "decoded", tool, "-d", "-c", "seed");
            expected = Files.readAllBytes(dir.resolve("decoded"));
        }
        try (SequentialInput in = NativeFiles.openInput(Files.readAllBytes(seed), c)) {
            assertArrayEquals(expected, in.readAll(), c + " seed " + name);
        }
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = java.util.Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
