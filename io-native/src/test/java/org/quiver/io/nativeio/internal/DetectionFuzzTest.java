package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes {@link NativeFiles#openInput} with compression detection: the input names a file (any name in one
 * directory level) and gives its bytes, raw or as a stream of the codec its extension selects (whole, cut short,
 * or with a byte flipped); the file is written to a temporary directory and opened by each form a user has (a
 * {@link Path}, its string, a {@link java.net.URI}, a {@code file:} string with and without {@code localhost}),
 * then read to the end (at most {@link DecoderFuzzTarget#MAX_OUTPUT} bytes).
 *
 * <p>The codec must be the one the name's extension selects, by every form, independently of the forms: a name
 * without a known extension reads back its exact bytes, a whole stream reads back what was compressed, anything
 * else ends in data or in a {@link CorruptDataException} of that codec. Any other exception is a finding.
 *
 * <p>Input layout (see {@link FuzzInput}): form byte, name (length byte and UTF-8), content byte, for a cut or a
 * flip two position bytes (and a mask byte), then the data.
 */
class DetectionFuzzTest {

    /** The extensions a user reads in the documentation, lower case, and what each selects. */
    private static final Map<String, Compression> EXTENSIONS = Map.of(".gz", Compression.GZIP, ".gzip",
            Compression.GZIP, ".zst", Compression.ZSTD, ".zstd", Compression.ZSTD, ".lz4", Compression.LZ4_FRAME,
            ".bz2", Compression.BZ2, ".br", Compression.BROTLI, ".sz", Compression.SNAPPY);

    /** How the test opens the file. */
    enum Form {
        PATH, PATH_STRING, URI, URI_STRING, FILE_COLON, LOCALHOST
    }

    /** What the file holds. */
    enum Content {
        RAW, STREAM, CUT, FLIPPED
    }

    @TempDir
    Path dir;

    @FuzzTest(maxDuration = "30s")
    void openByName(byte[] data) throws IOException {
        FuzzInput input = new FuzzInput(data);
        Form form = Form.values()[input.below(Form.values().length)];
        String name = fileName(input.string());
        Content content = Content.values()[input.below(Content.values().length)];
        int position = content == Content.CUT || content == Content.FLIPPED ? input.u16() : 0;
        int mask = content == Content.FLIPPED ? input.u8() | 1 : 0;
        byte[] plain = input.rest();

        Compression expected = expected(name);
        byte[] bytes = plain;
        if (content != Content.RAW && expected != Compression.NONE) {
            bytes = ReferenceCodecs.compress(expected, plain);
            if (content == Content.CUT) {
                bytes = Arrays.copyOf(bytes, position % (bytes.length + 1));
            } else if (content == Content.FLIPPED) {
                bytes[position % bytes.length] ^= (byte) mask;
            }
        }
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        try {
            check(form, file, expected, content, plain, bytes);
        } finally {
            Files.delete(file);
        }
    }

    private static void check(Form form, Path file, Compression expected, Content content, byte[] plain,
            byte[] bytes) throws IOException {
        DecoderFuzzTarget.Read read;
        try (SequentialInput in = open(form, file)) {
            read = DecoderFuzzTarget.read(in);
        } catch (CorruptDataException e) {
            assertTrue(expected != Compression.NONE, form + " of " + file + " decoded " + e.compression()
                    + " although the name has no compression extension: " + e.getMessage());
            assertTrue(content != Content.STREAM, form + " of " + file + ": a whole " + expected
                    + " stream was refused: " + e.getMessage());
            DecoderFuzzTarget.checkRefusal(expected, bytes, e);
            return;
        }
        if (expected == Compression.NONE) {
            assertArrayEquals(bytes, read.bytes(), form + " of " + file + " is not read as it is");
        } else if (content == Content.STREAM) {
            assertArrayEquals(plain, read.bytes(), form + " of " + file + " did not decode " + expected);
        }
    }

    private static SequentialInput open(Form form, Path file) throws IOException {
        String rawPath = file.toUri().getRawPath();
        return switch (form) {
            case PATH -> NativeFiles.openInput(file);
            case PATH_STRING -> NativeFiles.openInput(file.toString());
            case URI -> NativeFiles.openInput(file.toUri());
            case URI_STRING -> NativeFiles.openInput(file.toUri().toString());
            case FILE_COLON -> NativeFiles.openInput("file:" + rawPath);
            case LOCALHOST -> NativeFiles.openInput("file://localhost" + rawPath);
        };
    }

    /** The codec a name's extension selects, decided here without {@link Compression#forPath}. */
    static Compression expected(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        for (Map.Entry<String, Compression> e : EXTENSIONS.entrySet()) {
            if (lower.endsWith(e.getKey())) {
                return e.getValue();
            }
        }
        return Compression.NONE;
    }

    /**
     * The fuzzed name as one file name: no separator or NUL, not {@code .} or {@code ..}, at most 60 code points
     * (255 bytes in UTF-8), and ASCII where the file system's encoding (the locale's) cannot hold it.
     */
    private String fileName(String fuzzed) {
        String name = fuzzed.replace('/', '_').replace('\0', '_');
        if (name.codePointCount(0, name.length()) > 60) {
            name = name.substring(0, name.offsetByCodePoints(0, 60));
        }
        if (name.isEmpty() || name.equals(".") || name.equals("..")) {
            name = "f" + name;
        }
        try {
            dir.resolve(name);
        } catch (InvalidPathException unmappable) {
            name = name.replaceAll("[^\\x20-\\x7E]", "_");
        }
        assertEquals(name, dir.resolve(name).getFileName().toString());
        return name;
    }
}
