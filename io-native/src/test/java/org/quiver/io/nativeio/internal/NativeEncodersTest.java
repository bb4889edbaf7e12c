package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.Compression;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * The encoders that read pool buffers straight from native memory (zstd, lz4): what they write from pool buffers,
 * heap buffers, read-only views and arrays, mixed, decodes with Quiver and with the command-line tool; a flush
 * makes what was written so far decodable; incompressible data and an empty stream are valid; a closed buffer is
 * refused before anything is written.
 */
class NativeEncodersTest {

    @TempDir
    Path dir;

    private static String tool(Compression c) {
        return c == Compression.ZSTD ? "zstd" : "lz4";
    }

    private static String extension(Compression c) {
        return c == Compression.ZSTD ? ".zst" : ".lz4";
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "LZ4_FRAME"})
    void everyKindOfSourceEncodesAndTheToolAgrees(Compression c) throws Exception {
        assertNotNull(Codecs.nativeEncoder(c, NativeFiles.wrap(new ByteArrayOutputStream()),
                NativeFiles.DEFAULT_LEVEL), c + " has a native encoder");
        byte[] text = CompressionTest.sample(9 << 20); // more than two 4 MiB lz4 blocks
        byte[] noise = new byte[300_000];
        new Random(3).nextBytes(noise); // incompressible: lz4 stores such a block as it is
        ByteArrayOutputStream expected = new ByteArrayOutputStream();
        Path file = dir.resolve("mixed" + extension(c));
        try (SequentialOutput out = NativeFiles.openOutput(file);
                Buffer pooled = Buffer.wrap(text).copy();
                Buffer heap = Buffer.wrap(noise)) {
            out.write(pooled, 0, 5 << 20);
            expected.write(text, 0, 5 << 20);
            out.write(heap, 1, noise.length - 1);
            expected.write(noise, 1, noise.length - 1);
            // read-only buffers: over a Java array, and over native memory
            out.write(Buffer.wrap(ByteBuffer.wrap(text, 5 << 20, 1000).asReadOnlyBuffer()), 0, 1000);
            expected.write(text, 5 << 20, 1000);
            ByteBuffer direct = ByteBuffer.allocateDirect(777).put(0, text, 0, 777);
            out.write(Buffer.wrap(direct.asReadOnlyBuffer()), 0, 777);
            expected.write(text, 0, 777);
            out.write(text, (5 << 20) + 1000, text.length - (5 << 20) - 1000);
            expected.write(text, (5 << 20) + 1000, text.length - (5 << 20) - 1000);
            assertEquals(expected.size(), out.tell());
        }
        try (SequentialInput in = NativeFiles.openInput(file)) {
            assertArrayEquals(expected.toByteArray(), in.readAll());
        }
        CompressionTest.run(dir, "decoded", tool(c), "-d", "-c", file.getFileName().toString());
        assertArrayEquals(expected.toByteArray(), Files.readAllBytes(dir.resolve("decoded")), tool(c) + " -d");
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "LZ4_FRAME"})
    void aFlushMakesWhatWasWrittenDecodableAndAnEmptyStreamIsValid(Compression c) throws Exception {
        byte[] data = CompressionTest.sample(100_000);
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(sink), c);
                Buffer buffer = Buffer.wrap(data).copy()) {
            out.write(buffer);
            out.flush();
            byte[] soFar = sink.toByteArray();
            try (SequentialInput in = NativeFiles.decompressing(NativeFiles.openInput(soFar), c)) {
                byte[] decoded = new byte[data.length];
                int n = 0;
                while (n < data.length) {
                    int r = in.read(decoded, n, data.length - n);
                    if (r < 0) {
                        break;
                    }
                    n += r;
                }
                assertEquals(data.length, n, "everything written before the flush decodes");
                assertArrayEquals(data, decoded);
            } catch (org.quiver.io.TruncatedDataException expectedAfterTheData) {
                // the stream has no end yet: what matters is that the data came out first (checked above)
            }
        }
        Path empty = dir.resolve("empty" + extension(c));
        try (SequentialOutput out = NativeFiles.openOutput(empty)) {
            assertEquals(0, out.tell());
        }
        CompressionTest.run(dir, "empty.out", tool(c), "-d", "-c", empty.getFileName().toString());
        assertEquals(0, Files.size(dir.resolve("empty.out")));
        try (SequentialInput in = NativeFiles.openInput(empty)) {
            assertEquals(0, in.readAll().length);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Compression.class, names = {"ZSTD", "LZ4_FRAME"})
    void aClosedBufferIsRefusedBeforeAnythingIsWritten(Compression c) throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.compressing(NativeFiles.wrap(sink), c)) {
            Buffer closed = MemoryPool.defaultPool().allocate(4096);
            closed.close();
            assertThrows(IllegalStateException.class, () -> out.write(closed, 0, 4096));
            assertEquals(0, out.tell());
            out.write(new byte[] {1, 2, 3}, 0, 3);
        }
        try (SequentialInput in = NativeFiles.decompressing(NativeFiles.openInput(sink.toByteArray()), c)) {
            assertArrayEquals(new byte[] {1, 2, 3}, in.readAll());
        }
    }
}
