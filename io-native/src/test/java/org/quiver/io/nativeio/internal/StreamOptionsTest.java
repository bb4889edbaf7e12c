package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.Codec;
import org.quiver.io.Compression;
import org.quiver.io.CorruptDataException;
import org.quiver.io.NativeFiles;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.io.StreamOptions;

/**
 * pyarrow's {@code compression=} and {@code buffer_size=} on every open: {@code input_stream}, {@code output_stream}
 * and the file systems' {@code open_input_stream}, {@code open_output_stream} and {@code open_append_stream}.
 */
class StreamOptionsTest extends OsFileTestBase {

    private static final byte[] TEXT = CompressionTest.sample(300_000);

    @Test
    void everyNamedOpenTakesABufferAndACompression() throws IOException {
        Path file = dir.resolve("a.gz");
        StreamOptions buffered = StreamOptions.detect().withBufferSize(4096);
        for (Object target : new Object[] {file, file.toString(), file.toUri()}) {
            try (SequentialOutput out = openOutput(target, buffered)) {
                // as in pyarrow, the buffer sits between the file and the codec (it holds the 10-byte header)
                assertTrue(out.toString().startsWith("CompressedSequentialOutput[codec=gzip")
                        && out.toString().contains("raw=BufferedSequentialOutput[position=10, raw=OSFile[path="),
                        out.toString());
                out.write(TEXT);
            }
            assertEquals(0x1f, Files.readAllBytes(file)[0] & 0xff, "gzip by the extension: " + target);
            try (SequentialInput in = openInput(target, buffered)) {
                assertTrue(in.toString().startsWith("CompressedSequentialInput[codec=gzip")
                        && in.toString().contains("raw=BufferedSequentialInput["), in.toString());
                assertArrayEquals(TEXT, in.readAll(), "read back through " + target.getClass().getSimpleName());
            }
            try (SequentialInput raw = openInput(target, StreamOptions.uncompressed())) {
                assertArrayEquals(Files.readAllBytes(file), raw.readAll(), "uncompressed: the bytes as they are");
            }
        }
        // an explicit compression wins over the extension; no buffer is the default
        Path plain = dir.resolve("plain.bin");
        try (SequentialOutput out = NativeFiles.openOutput(plain, StreamOptions.of(Compression.ZSTD))) {
            assertFalse(out.toString().contains("Buffered"), out.toString());
            out.write(TEXT);
        }
        try (SequentialInput in = NativeFiles.openInput(plain, StreamOptions.of(Compression.ZSTD).withBufferSize(1))) {
            assertArrayEquals(TEXT, in.readAll(), "a one-byte buffer under the codec");
        }
    }

    private static SequentialOutput openOutput(Object target, StreamOptions options) throws IOException {
        return switch (target) {
            case Path p -> NativeFiles.openOutput(p, options);
            case String s -> NativeFiles.openOutput(s, options);
            case URI u -> NativeFiles.openOutput(u, options);
            default -> throw new AssertionError(target);
        };
    }

    private static SequentialInput openInput(Object target, StreamOptions options) throws IOException {
        return switch (target) {
            case Path p -> NativeFiles.openInput(p, options);
            case String s -> NativeFiles.openInput(s, options);
            case URI u -> NativeFiles.openInput(u, options);
            default -> throw new AssertionError(target);
        };
    }

    @Test
    void theCodecsLevelIsTheLevelWritten() throws IOException {
        Path fast = dir.resolve("fast.zst");
        Path small = dir.resolve("small.zst");
        try (SequentialOutput out = NativeFiles.openOutput(fast, StreamOptions.of(Codec.of(Compression.ZSTD, 1)))) {
            out.write(TEXT);
        }
        try (SequentialOutput out = NativeFiles.openOutput(small, StreamOptions.of(Codec.of(Compression.ZSTD, 19)))) {
            out.write(TEXT);
        }
        assertTrue(Files.size(small) < Files.size(fast), Files.size(small) + " at 19, " + Files.size(fast) + " at 1");
        assertEquals("StreamOptions[compression=zstd, level=19, bufferSize=8]",
                StreamOptions.of(Codec.of(Compression.ZSTD, 19)).withBufferSize(8).toString());
        assertEquals("StreamOptions[compression=detect, bufferSize=0]", StreamOptions.detect().toString());
        assertEquals(StreamOptions.of(Compression.GZIP).withBufferSize(8),
                StreamOptions.of(Compression.GZIP).withBufferSize(8));
        assertFalse(StreamOptions.of(Compression.GZIP).equals(StreamOptions.detect()));
    }

    @Test
    void badOptionsAreRefusedBeforeAnythingIsOpened() throws IOException {
        IllegalArgumentException negative = assertThrows(IllegalArgumentException.class,
                () -> StreamOptions.detect().withBufferSize(-1));
        assertEquals("buffer size must be 0 (no buffer) or more: bufferSize=-1", negative.getMessage());
        assertEquals("gzip level must be from 1 to 9: level=0",
                assertThrows(IllegalArgumentException.class, () -> Codec.of(Compression.GZIP, 0)).getMessage());
        assertEquals("options", assertThrows(NullPointerException.class,
                () -> NativeFiles.openOutput(dir.resolve("x"), (StreamOptions) null)).getMessage());
        Path kept = Files.write(dir.resolve("kept.gz"), TEXT);
        QuiverFileSystem fs = QuiverFileSystem.local();
        assertEquals("options", assertThrows(NullPointerException.class,
                () -> fs.openOutput(kept.toString(), (StreamOptions) null)).getMessage());
        assertArrayEquals(TEXT, Files.readAllBytes(kept), "a refused open leaves the file as it was");
    }

    @Test
    void theFileSystemsOpensTakeTheOptions() throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.local();
        String path = dir.resolve("fs.data.bz2").toString();
        try (SequentialOutput out = fs.openOutput(path, StreamOptions.detect().withBufferSize(100))) {
            out.write(TEXT);
        }
        try (SequentialInput raw = fs.openInput(path)) {
            assertArrayEquals("BZh".getBytes(StandardCharsets.US_ASCII), raw.read(3), "openInput(path) is raw");
        }
        try (SequentialInput in = fs.openInput(path, StreamOptions.detect().withBufferSize(100))) {
            assertArrayEquals(TEXT, in.readAll(), "detect: pyarrow's default for open_input_stream");
        }
    }

    /**
     * A compressed append adds a member, frame or stream after what the file holds; our reader and the format's
     * tool read the file as one stream.
     */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"GZIP", "ZSTD", "LZ4_FRAME", "BZ2", "SNAPPY"})
    void compressedAppendsReadAsOneStream(Compression c) throws Exception {
        QuiverFileSystem fs = QuiverFileSystem.local();
        Path file = dir.resolve("log" + c.extensions().getFirst());
        byte[] second = "and then some more".getBytes(StandardCharsets.US_ASCII);
        try (SequentialOutput out = fs.openAppend(file.toString(), StreamOptions.detect())) {
            out.write(TEXT);
        }
        try (SequentialOutput out = fs.openAppend(file.toString(), StreamOptions.detect().withBufferSize(7))) {
            out.write(second);
        }
        try (SequentialInput in = fs.openInput(file.toString(), StreamOptions.detect())) {
            assertArrayEquals(CompressionTest.concat(TEXT, second), in.readAll());
        }
        if (c != Compression.SNAPPY) { // no snappy tool in Debian that reads the framing format
            String[] tool = CompressionTest.tool(c);
            CompressionTest.run(dir, "decoded", tool[1], "-d", "-c", file.getFileName().toString());
            assertArrayEquals(CompressionTest.concat(TEXT, second), Files.readAllBytes(dir.resolve("decoded")),
                    tool[1] + " reads the appended file as one stream");
        }
    }

    @Test
    void brotliIsNotAppendedToAFileThatIsNotEmpty() throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.local();
        Path file = dir.resolve("page.br");
        try (SequentialOutput out = fs.openAppend(file.toString(), StreamOptions.detect())) { // a new file: fine
            out.write(TEXT);
        }
        byte[] before = Files.readAllBytes(file);
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> fs.openAppend(file.toString(), StreamOptions.detect()));
        assertEquals(file + ": cannot append brotli to a file that is not empty (" + before.length + " bytes): brotli"
                + " streams do not concatenate, so the file would not decode; write a new file, or append with gzip,"
                + " zstd, lz4, bzip2 or snappy", e.getMessage());
        assertArrayEquals(before, Files.readAllBytes(file), "nothing written");
        try (SequentialInput in = fs.openInput(file.toString(), StreamOptions.detect())) {
            assertArrayEquals(TEXT, in.readAll());
        }
        // why: two brotli streams one after the other do not decode as one
        Path twice = Files.write(dir.resolve("twice.br"), CompressionTest.concat(before, before));
        try (SequentialInput in = NativeFiles.openInput(twice)) {
            assertThrows(CorruptDataException.class, in::readAll);
        }
    }
}
