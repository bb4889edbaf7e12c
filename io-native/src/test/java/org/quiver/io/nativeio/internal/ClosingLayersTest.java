package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.channels.SeekableByteChannel;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.quiver.io.BufferOutput;
import org.quiver.io.BufferInput;
import org.quiver.io.Compression;
import org.quiver.io.FixedSizeBufferOutput;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Closing a layer (compressed, buffered, a Java stream or channel view) closes the file under it, as pyarrow's do,
 * but never destroys data the caller still holds: an in-memory output keeps its bytes for {@code finish()}, an
 * in-memory input's buffer stays valid. The stream's own close still frees at once. The pool is back where it
 * started after each test.
 */
class ClosingLayersTest {

    private static final byte[] TEXT = CompressionTest.sample(300_000);

    private final MemoryPool pool = MemoryPool.pool("system");
    private long before;

    @BeforeEach
    void remember() {
        before = pool.bytesAllocated();
    }

    @AfterEach
    void nothingLeft() {
        assertEquals(before, pool.bytesAllocated(), "bytes left allocated");
    }

    /** pyarrow: {@code with CompressedOutputStream(raw, c) as out: out.write(...)}, then {@code raw.getvalue()}. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void compressedOutputIntoMemoryKeepsTheCompressedBytes(Compression c) throws IOException {
        BufferOutput raw = new BufferOutput(pool);
        try (SequentialOutput out = NativeFiles.compressing(raw, c)) {
            out.write(TEXT);
        }
        assertTrue(raw.isClosed(), "closing the compressed file closes the raw one, as in pyarrow");
        try (ResizableBuffer compressed = raw.finish()) {
            assertTrue(compressed.size() > 0 && compressed.size() < TEXT.length, c + ": " + compressed.size());
            assertArrayEquals(TEXT, CompressionTest.decompress(c, compressed.toByteArray()), c.pyarrowName());
        }
    }

    @Test
    void bufferedOutputIntoMemoryKeepsTheBytes() throws IOException {
        BufferOutput raw = new BufferOutput(pool);
        try (SequentialOutput out = NativeFiles.bufferedOutput(raw, 4096)) {
            out.write(TEXT, 0, 100); // still in the buffered file's buffer when it is closed
        }
        try (ResizableBuffer written = raw.finish()) {
            assertArrayEquals(java.util.Arrays.copyOf(TEXT, 100), written.toByteArray());
        }
    }

    @Test
    void stackedLayersAndTheJavaViewKeepTheBytes() throws IOException {
        BufferOutput raw = new BufferOutput(pool);
        try (OutputStream out = NativeFiles.bufferedOutput(NativeFiles.compressing(raw, Compression.ZSTD), 333)
                .asOutputStream()) {
            out.write(TEXT);
        }
        try (ResizableBuffer compressed = raw.finish()) {
            assertArrayEquals(TEXT, CompressionTest.decompress(Compression.ZSTD, compressed.toByteArray()));
        }
    }

    @Test
    void theStreamsOwnCloseFreesAndALayersCloseKeeps() throws IOException {
        BufferOutput owned = new BufferOutput(pool);
        owned.write(TEXT);
        owned.close(); // try-with-resources on the stream itself: the memory goes back at once
        assertEquals(before, pool.bytesAllocated());
        IllegalStateException e = assertThrows(IllegalStateException.class, owned::finish);
        assertTrue(e.getMessage().startsWith("closed"), e.getMessage());

        BufferOutput raw = new BufferOutput(pool);
        SequentialOutput gz = NativeFiles.compressing(raw, Compression.GZIP);
        gz.write(TEXT);
        gz.close();
        assertTrue(raw.isClosed() && pool.bytesAllocated() > before, "a layer's close keeps the result");
        IllegalStateException closed = assertThrows(IllegalStateException.class, () -> raw.write(new byte[1]));
        assertEquals("closed", closed.getMessage());
        raw.close(); // the owner does not want it after all
        assertEquals(before, pool.bytesAllocated(), "the stream's own close frees what the layer's close kept");
        raw.close();
        assertThrows(IllegalStateException.class, raw::finish);
    }

    @Test
    void theJavaStreamAndChannelViewsAreLayersToo() throws IOException {
        BufferOutput raw = new BufferOutput(pool);
        try (OutputStream out = raw.asOutputStream()) { // as a library that closes what it is given would
            out.write(TEXT, 0, 1000);
        }
        try (ResizableBuffer written = raw.finish()) {
            assertArrayEquals(java.util.Arrays.copyOf(TEXT, 1000), written.toByteArray());
        }
        IllegalStateException e = assertThrows(IllegalStateException.class, raw::finish);
        assertTrue(e.getMessage().contains("already taken"), e.getMessage());
        BufferOutput viaChannel = new BufferOutput(pool);
        try (SeekableByteChannel channel = viaChannel.asChannel()) {
            channel.write(ByteBuffer.wrap(TEXT, 0, 10));
        }
        try (ResizableBuffer written = viaChannel.finish()) {
            assertArrayEquals(java.util.Arrays.copyOf(TEXT, 10), written.toByteArray());
        }
    }

    /** A layer over a stream nobody else holds: closed by the layer, then dropped. */
    private void compressIntoADroppedStream() throws IOException {
        try (SequentialOutput out = NativeFiles.compressing(new BufferOutput(pool), Compression.ZSTD)) {
            out.write(TEXT);
        }
    }

    @Test
    void aResultNobodyCanTakeIsFreedByTheCleanerAndIsNotALeak() throws Exception {
        LeakDetection.Level level = LeakDetection.level();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID); // every buffer tracked: a false leak report would show
        // only this test's buffers count (allocated in compressIntoADroppedStream, with their site): a buffer another
        // test leaked may be collected during the wait below and reported then
        java.util.List<org.quiver.memory.LeakReport> ours = new java.util.concurrent.CopyOnWriteArrayList<>();
        try (LeakDetection.Registration l = LeakDetection.addListener(r -> {
            if (r.allocationSite() != null && java.util.Arrays.stream(r.allocationSite().getStackTrace())
                    .anyMatch(e -> e.getMethodName().equals("compressIntoADroppedStream"))) {
                ours.add(r);
            }
        })) {
            compressIntoADroppedStream();
            assertTrue(pool.bytesAllocated() > before, "counted until it is freed");
            for (int i = 0; i < 100 && pool.bytesAllocated() != before; i++) {
                System.gc();
                Thread.sleep(20);
            }
            assertEquals(before, pool.bytesAllocated(), "the cleaner freed the kept result of the dropped stream");
            System.gc();
            Thread.sleep(50);
            assertEquals(java.util.List.of(), ours, "a result kept by a layer's close is not a leak");
        } finally {
            LeakDetection.setLevel(level);
        }
    }

    @Test
    void aLayerThatFailsToOpenLeavesTheInMemoryOutputUsable() throws IOException {
        BufferOutput raw = new BufferOutput(pool);
        raw.write(new byte[] {1, 2});
        // a bad level is refused before anything reaches raw, and raw stays open
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.compressing(raw, Compression.GZIP, 99));
        assertFalse(raw.isClosed());
        raw.write(new byte[] {3});
        try (ResizableBuffer written = raw.finish()) {
            assertArrayEquals(new byte[] {1, 2, 3}, written.toByteArray());
        }
    }

    @Test
    void compressedOutputIntoAFixedSizeWriterLeavesTheCallersBufferOpenWithTheBytes() throws IOException {
        byte[] compressed = CompressionTest.compress(Compression.GZIP, TEXT);
        try (ResizableBuffer target = pool.allocate(compressed.length)) {
            FixedSizeBufferOutput writer = new FixedSizeBufferOutput(target);
            try (SequentialOutput out = NativeFiles.compressing(writer, Compression.GZIP)) {
                out.write(TEXT);
            }
            assertTrue(writer.isClosed(), "the layer closed the writer");
            assertArrayEquals(compressed, target.toByteArray(), "the caller's buffer is open and holds the stream");
        }
    }

    /** The input side: a decoder or buffer over a reader closes the reader, never the caller's buffer. */
    @ParameterizedTest
    @EnumSource(value = Compression.class, names = "NONE", mode = EnumSource.Mode.EXCLUDE)
    void decompressingOverAReaderLeavesTheCallersBuffersValid(Compression c) throws IOException {
        byte[] compressed = CompressionTest.compress(c, TEXT);
        try (ResizableBuffer source = pool.allocate(compressed.length)) {
            source.put(0, compressed, 0, compressed.length);
            BufferInput reader = new BufferInput(source);
            try (Buffer whole = reader.buffer()) {
                try (SequentialInput in = NativeFiles.decompressing(reader, c)) {
                    assertArrayEquals(TEXT, in.readAll());
                }
                assertTrue(reader.isClosed());
                assertArrayEquals(compressed, whole.toByteArray(), "the slice the reader handed out is still valid");
                assertArrayEquals(compressed, source.toByteArray(), "the caller's buffer is untouched");
            }
        }
    }

    @Test
    void bufferedInputOverAReaderLeavesTheCallersBuffersValid() throws IOException {
        try (ResizableBuffer source = pool.allocate(TEXT.length)) {
            source.put(0, TEXT, 0, TEXT.length);
            BufferInput reader = new BufferInput(source);
            try (Buffer whole = reader.buffer()) {
                try (SequentialInput in = NativeFiles.bufferedInput(reader, 1000)) {
                    assertArrayEquals(TEXT, in.readAll());
                }
                assertArrayEquals(TEXT, whole.toByteArray());
                assertArrayEquals(TEXT, source.toByteArray());
            }
        }
    }
}
