package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.NonReadableChannelException;
import java.nio.channels.SeekableByteChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.BufferInput;
import org.quiver.io.BufferedSequentialInput;
import org.quiver.io.BufferedSequentialOutput;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.FileModeException;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.ReadOnlyFileException;
import org.quiver.io.ReadWriteFile;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/** pyarrow's {@code input_stream}/{@code output_stream}, buffering, and the Java interop both ways. */
class NativeFilesTest {

    @TempDir
    Path dir;

    private static final byte[] TEXT = CompressionTest.sample(200_000);

    @Test
    void compressionFollowsTheExtensionForEverySourceKind() throws IOException {
        for (Compression c : Compression.values()) {
            String name = "data" + (c == Compression.NONE ? ".csv" : c.extensions().get(0));
            Path path = dir.resolve(name);
            try (SequentialOutput out = NativeFiles.openOutput(path)) {
                out.write(TEXT);
            }
            if (c != Compression.NONE) {
                assertArrayEquals(TEXT, CompressionTest.decompress(c, Files.readAllBytes(path)), "written as " + c);
            }
            try (SequentialInput in = NativeFiles.openInput(path)) {
                assertArrayEquals(TEXT, in.readAll(), "Path " + name);
            }
            try (SequentialInput in = NativeFiles.openInput(path.toString())) {
                assertArrayEquals(TEXT, in.readAll(), "String " + name);
            }
            try (SequentialInput in = NativeFiles.openInput(path.toUri())) {
                assertArrayEquals(TEXT, in.readAll(), "URI " + name);
            }
            try (SequentialInput in = NativeFiles.openInput(path.toUri().toString())) {
                assertArrayEquals(TEXT, in.readAll(), "URI string " + name);
            }
            byte[] raw = Files.readAllBytes(path);
            try (SequentialInput in = NativeFiles.openInput(raw, c)) {
                assertArrayEquals(TEXT, in.readAll(), "byte[] " + name);
            }
            try (Buffer b = Buffer.wrap(raw); SequentialInput in = NativeFiles.openInput(b, c)) {
                assertArrayEquals(TEXT, in.readAll(), "Buffer " + name);
            }
            try (SequentialInput in = NativeFiles.openInput(new ByteArrayInputStream(raw), c)) {
                assertArrayEquals(TEXT, in.readAll(), "java.io.InputStream " + name);
            }
            try (SequentialInput in = NativeFiles.openInput(path, Compression.NONE)) {
                assertArrayEquals(raw, in.readAll(), "NONE turns detection off");
            }
        }
    }

    @Test
    void explicitCompressionWinsOverTheExtension() throws IOException {
        Path path = dir.resolve("misnamed.txt");
        try (SequentialOutput out = NativeFiles.openOutput(path.toString(), Compression.ZSTD)) {
            out.write(TEXT);
        }
        try (SequentialInput in = NativeFiles.openInput(path, Compression.ZSTD)) {
            assertArrayEquals(TEXT, in.readAll());
        }
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.openOutput(sink, Compression.BZ2)) {
            out.write(TEXT);
        }
        assertArrayEquals(TEXT, CompressionTest.decompress(Compression.BZ2, sink.toByteArray()));
        assertThrows(java.nio.file.NoSuchFileException.class, () -> NativeFiles.openInput(dir.resolve("x.gz")));
    }

    @Test
    void bufferedInputPeeksResizesAndDetaches() throws IOException {
        Path path = Files.write(dir.resolve("buffered"), TEXT);
        OSFile raw = OSFile.open(path, FileMode.READ);
        BufferedSequentialInput in = NativeFiles.bufferedInput(raw, 16);
        assertEquals(16, in.bufferSize());
        assertArrayEquals(java.util.Arrays.copyOf(TEXT, 10), in.peek(10));
        assertEquals(0, in.tell(), "peek consumes nothing");
        assertEquals(TEXT[0], in.read(1)[0]);
        assertEquals(15, in.bytesBuffered());
        assertThrows(IllegalArgumentException.class, () -> in.setBufferSize(4));
        in.setBufferSize(1 << 16);
        assertArrayEquals(java.util.Arrays.copyOfRange(TEXT, 1, 1001), in.read(1000));
        assertThrows(IllegalArgumentException.class, () -> in.peek(1 << 17));
        SequentialInput detached = in.detach();
        assertTrue(in.isClosed());
        assertFalse(raw.isClosed(), "detach leaves the raw file open");
        assertEquals(raw.tell(), detached.tell());
        raw.close();
        assertThrows(IllegalArgumentException.class, () -> NativeFiles.bufferedInput(raw, 0));
    }

    @Test
    void bufferedOutputBatchesWrites() throws IOException {
        Path path = dir.resolve("out");
        OSFile raw = OSFile.open(path, FileMode.WRITE);
        BufferedSequentialOutput out = NativeFiles.bufferedOutput(raw, 1024);
        out.write(new byte[100]);
        assertEquals(100, out.bytesBuffered());
        assertEquals(0, Files.size(path), "still buffered");
        assertEquals(100, out.tell());
        out.write(new byte[5000]); // larger than the buffer: flushes and goes straight through
        assertEquals(0, out.bytesBuffered());
        assertEquals(5100, Files.size(path));
        out.write(new byte[10]);
        SequentialOutput detached = out.detach();
        assertEquals(5110, Files.size(path), "detach flushes");
        assertFalse(detached.isClosed());
        detached.close();
    }

    @Test
    void everyFileIsAChannelAndEveryChannelAFile() throws IOException {
        Path path = dir.resolve("chan");
        try (SeekableByteChannel ch = OSFile.open(path, FileMode.WRITE).asChannel()) {
            ch.write(ByteBuffer.wrap("heap ".getBytes(StandardCharsets.US_ASCII)));
            ByteBuffer direct = ByteBuffer.allocateDirect(6).put("direct".getBytes(StandardCharsets.US_ASCII)).flip();
            ch.write(direct);
            assertEquals(11, ch.position());
            assertThrows(NonReadableChannelException.class, () -> ch.read(ByteBuffer.allocate(1)));
        }
        try (SeekableByteChannel ch = OSFile.open(path, FileMode.READ).asChannel()) {
            assertEquals(11, ch.size());
            ch.position(5);
            ByteBuffer direct = ByteBuffer.allocateDirect(6);
            assertEquals(6, ch.read(direct));
            assertEquals("direct", StandardCharsets.US_ASCII.decode(direct.flip()).toString());
            assertEquals(-1, ch.read(ByteBuffer.allocate(1)));
        }
        try (SeekableByteChannel ch = BufferInput.of(TEXT).asChannel()) {
            ByteBuffer all = ByteBuffer.allocate(TEXT.length);
            while (all.hasRemaining() && ch.read(all) > 0) {
                // read to the end
            }
            assertArrayEquals(TEXT, all.array());
        }
        try (ReadWriteFile f = NativeFiles.wrap(FileChannel.open(path, StandardOpenOption.READ))) {
            assertEquals(11, f.size());
            try (Buffer b = f.readBufferAt(0, 4, MemoryPool.defaultPool())) {
                assertEquals("heap", new String(b.toByteArray(), StandardCharsets.US_ASCII));
            }
            ReadOnlyFileException e = assertThrows(ReadOnlyFileException.class, () -> f.write(new byte[1]));
            assertTrue(e.getMessage().contains("write"), e.getMessage());
        }
        try (ReadWriteFile f = NativeFiles.wrap(FileChannel.open(path, StandardOpenOption.WRITE))) {
            assertThrows(FileModeException.class, () -> f.read(new byte[1], 0, 1));
        }
    }

    /**
     * Bytes this thread allocated on the heap so far (HotSpot's per-thread counter), by reflection: the tests
     * compile inside the io-native module, which does not read {@code java.management}.
     */
    static long allocatedByThisThread() {
        try {
            Object threads = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean")
                    .invoke(null);
            return (long) Class.forName("com.sun.management.ThreadMXBean").getMethod("getCurrentThreadAllocatedBytes")
                    .invoke(threads);
        } catch (ReflectiveOperationException e) {
            throw new AssertionError("HotSpot's per-thread allocation counter is needed", e);
        }
    }

    @Test
    void readAllWithALimitStopsAtTheLimit() throws IOException {
        byte[] bomb; // 64 MiB of zeros in about 64 KiB of gzip
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.openOutput(sink, Compression.GZIP)) {
            byte[] zeros = new byte[1 << 20];
            for (int i = 0; i < 64; i++) {
                out.write(zeros);
            }
        }
        bomb = sink.toByteArray();
        int limit = 1 << 20;
        try (SequentialInput in = NativeFiles.openInput(bomb, Compression.GZIP)) {
            long before = allocatedByThisThread();
            IOException e = assertThrows(IOException.class, () -> in.readAll(limit));
            long allocated = allocatedByThisThread() - before;
            assertTrue(e.getMessage().contains("maxBytes=" + limit) && e.getMessage().contains("readBuffer"),
                    e.getMessage());
            assertTrue(allocated < 8L << 20, "the bounded read allocated " + allocated + " bytes");
        }
        byte[] small = CompressionTest.sample(5000);
        try (SequentialInput in = NativeFiles.openInput(small)) {
            assertArrayEquals(small, in.readAll(5000), "exactly the limit is fine");
        }
        try (SequentialInput in = NativeFiles.openInput(small)) {
            IOException e = assertThrows(IOException.class, () -> in.readAll(4999));
            assertTrue(e.getMessage().contains("maxBytes=4999"), e.getMessage());
        }
        try (SequentialInput in = NativeFiles.openInput(new byte[0])) {
            assertEquals(0, in.readAll(0).length);
            assertThrows(IllegalArgumentException.class, () -> in.readAll(-1));
        }
    }

    @Test
    void readAllOfMoreThanAnArrayHoldsFailsBeforeReading() throws IOException {
        Path sparse = dir.resolve("sparse");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(sparse.toFile(), "rw")) {
            f.setLength(3L << 30); // 3 GiB of holes: nothing on disk
        }
        try (OSFile in = OSFile.open(sparse, FileMode.READ)) {
            long before = allocatedByThisThread();
            IOException e = assertThrows(IOException.class, in::readAll);
            long allocated = allocatedByThisThread() - before;
            assertTrue(e.getMessage().contains(sparse.toString()) && e.getMessage().contains(String.valueOf(3L << 30)),
                    e.getMessage());
            assertTrue(allocated < 1 << 20, "readAll allocated " + allocated + " bytes before failing");
            assertEquals(0, in.tell(), "nothing was read");
        }
    }

    @Test
    void aReadOfHugeLengthAllocatesWhatArrives() throws IOException {
        try (SequentialInput in = NativeFiles.openInput(new byte[10])) {
            long before = allocatedByThisThread();
            assertEquals(10, in.read(Integer.MAX_VALUE - 8).length);
            long allocated = allocatedByThisThread() - before;
            assertTrue(allocated < 1 << 20, "read(2^31 - 9) of 10 bytes allocated " + allocated + " bytes");
        }
    }

    @Test
    void everyFileSaysWhatItIsInMessages() throws IOException {
        Path p = Files.write(dir.resolve("named.bin"), new byte[10]);
        OSFile f = OSFile.open(p, FileMode.READ);
        f.read(3);
        assertEquals("OSFile[path=" + p + ", mode=READ, position=3]", f.toString());
        f.close();
        assertEquals("OSFile[path=" + p + ", mode=READ, position=3, closed]", f.toString());
        try (org.quiver.io.MemoryMappedFile m = org.quiver.io.MemoryMappedFile.open(p, FileMode.READ)) {
            m.seek(4);
            assertEquals("MemoryMappedFile[path=" + p + ", mode=READ, offset=0, size=10, position=4]", m.toString());
        }
        BufferInput reader = BufferInput.of(new byte[100]);
        reader.seek(3);
        assertEquals("BufferInput[size=100, position=3]", reader.toString());
        reader.close();
        assertEquals("BufferInput[size=100, position=3, closed]", reader.toString());
        try (org.quiver.io.BufferOutput out = new org.quiver.io.BufferOutput(MemoryPool.defaultPool(), 64)) {
            out.write(new byte[10], 0, 10);
            assertEquals("BufferOutput[position=10, capacity=64]", out.toString());
        }
        try (SequentialInput in = NativeFiles.wrap(new ByteArrayInputStream(TEXT))) {
            in.read(7);
            assertEquals("InputStreamInput[stream=java.io.ByteArrayInputStream, position=7]", in.toString());
        }
        try (BufferedSequentialInput in = NativeFiles.bufferedInput(BufferInput.of(TEXT), 16)) {
            in.read(5);
            assertEquals("BufferedSequentialInput[position=5, raw=BufferInput[size=" + TEXT.length + ", position=16]]",
                    in.toString());
        }
        byte[] gzip = CompressionTest.compress(Compression.GZIP, TEXT);
        try (SequentialInput in = NativeFiles.openInput(gzip, Compression.GZIP)) {
            in.read(5);
            assertTrue(in.toString().startsWith("CompressedSequentialInput[codec=gzip, position=5, raw=BufferInput[size="
                    + gzip.length + ", position="), in.toString());
        }
        // the message of the issue: a corrupt in-memory stream named its source BufferInput@1d94f22d
        try (SequentialInput in = NativeFiles.openInput(new byte[] {0x1f, (byte) 0x8b, 9, 9, 9, 9, 9, 9, 9, 9},
                Compression.GZIP)) {
            IOException e = assertThrows(IOException.class, in::readAll);
            assertTrue(e.getMessage().contains("BufferInput[size=10") && !e.getMessage().contains("@"),
                    e.getMessage());
        }
    }

    /**
     * A location with "://" but no scheme is neither a URI nor a path: it is refused as typed, not opened as the
     * relative path ":/bad", whose errors would name a file the user never typed.
     */
    @Test
    void aLocationThatIsNeitherPathNorUriIsRefusedAsTyped() {
        for (Executable call : List.<Executable>of(
                () -> NativeFiles.openInput("://bad"), () -> NativeFiles.openOutput("://bad.gz"),
                () -> NativeFiles.openInput("://bad", Compression.NONE), () -> QuiverFileSystem.fromUri("://bad"))) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, call);
            assertTrue(e.getMessage().startsWith("'://bad") && e.getMessage().contains("neither a path nor a URI"),
                    e.getMessage());
        }
        assertFalse(java.nio.file.Files.exists(java.nio.file.Path.of(":/bad.gz")), "nothing was created");
    }

    @Test
    void javaStreamsBothWays() throws IOException {
        ByteArrayOutputStream sink = new ByteArrayOutputStream();
        try (SequentialOutput out = NativeFiles.wrap(sink); java.io.OutputStream os = out.asOutputStream()) {
            os.write(TEXT);
        }
        assertArrayEquals(TEXT, sink.toByteArray());
        try (SequentialInput in = NativeFiles.wrap(new ByteArrayInputStream(TEXT)); Buffer b = in.readBuffer(1 << 30)) {
            assertEquals(TEXT.length, b.size(), "a huge request on a stream allocates only what arrives");
        }
    }

    /**
     * A wrapped Java stream or channel is described by its class, made when a message is: wrapping called the
     * stream's own {@code toString()} at once, which for a {@code ByteArrayOutputStream} is everything written to
     * it (a secret in every error message; an {@link OutOfMemoryError} at wrap for a stream of 300 MB).
     */
    @Test
    void wrappedStreamsAreDescribedByTheirClassNeverByTheirContent() throws IOException {
        int[] foreignCalls = new int[1];
        ByteArrayOutputStream secretOut = new ByteArrayOutputStream() {
            @Override
            public synchronized String toString() {
                foreignCalls[0]++;
                return super.toString();
            }
        };
        secretOut.writeBytes("hunter2".getBytes(StandardCharsets.US_ASCII));
        ByteArrayInputStream secretIn = new ByteArrayInputStream("hunter2".getBytes(StandardCharsets.US_ASCII)) {
            @Override
            public String toString() {
                foreignCalls[0]++;
                return "hunter2";
            }
        };
        Path file = Files.write(dir.resolve("channel.bin"), new byte[8]);
        FileChannel fileChannel = FileChannel.open(file, StandardOpenOption.READ);
        SeekableByteChannel channel = new SeekableByteChannel() {
            @Override
            public int read(ByteBuffer dst) throws IOException {
                return fileChannel.read(dst);
            }

            @Override
            public int write(ByteBuffer src) throws IOException {
                return fileChannel.write(src);
            }

            @Override
            public long position() {
                foreignCalls[0]++; // a file channel's waits for a read in progress
                throw new AssertionError("position() called for a description");
            }

            @Override
            public SeekableByteChannel position(long p) throws IOException {
                return fileChannel.position(p);
            }

            @Override
            public long size() throws IOException {
                return fileChannel.size();
            }

            @Override
            public SeekableByteChannel truncate(long size) throws IOException {
                return fileChannel.truncate(size);
            }

            @Override
            public boolean isOpen() {
                return fileChannel.isOpen();
            }

            @Override
            public void close() throws IOException {
                fileChannel.close();
            }

            @Override
            public String toString() {
                foreignCalls[0]++;
                return "hunter2";
            }
        };
        try (SequentialOutput out = NativeFiles.wrap(secretOut); SequentialInput in = NativeFiles.wrap(secretIn);
             ReadWriteFile ch = NativeFiles.wrap(channel); SequentialOutput gz = NativeFiles.compressing(
                     NativeFiles.wrap(new ByteArrayOutputStream()), Compression.GZIP);
             SequentialInput buffered = NativeFiles.bufferedInput(NativeFiles.wrap(new ByteArrayInputStream(new byte[1])))) {
            assertEquals(0, foreignCalls[0], "wrapping calls no method of the stream");
            for (Object f : new Object[] {out, in, ch, gz, buffered}) {
                String description = f.toString();
                assertFalse(description.contains("hunter2"), description);
            }
            assertTrue(out.toString().contains("stream=" + secretOut.getClass().getName()), out.toString());
            assertTrue(in.toString().contains("stream=" + secretIn.getClass().getName()), in.toString());
            assertTrue(ch.toString().contains("channel=" + channel.getClass().getName()), ch.toString());
            assertEquals(0, foreignCalls[0], "describing calls no method of the stream");
        }
    }

    /**
     * A closed file is refused as the file under a layer at the call, naming it: the layer was made and failed
     * only at its first read or write.
     */
    @Test
    void layersRefuseAClosedRawFileAtTheCall() throws IOException {
        Path file = Files.write(dir.resolve("closed.gz"), new byte[1]);
        SequentialInput in = OSFile.open(file, FileMode.READ);
        in.close();
        SequentialOutput out = NativeFiles.wrap(new ByteArrayOutputStream());
        out.close();
        List<Executable> calls = List.of(() -> NativeFiles.decompressing(in, Compression.GZIP),
                () -> NativeFiles.decompressing(in, Compression.NONE), () -> NativeFiles.bufferedInput(in),
                () -> NativeFiles.compressing(out, Compression.GZIP), () -> NativeFiles.compressing(out,
                        Compression.ZSTD, 3), () -> NativeFiles.bufferedOutput(out));
        for (Executable call : calls) {
            IllegalStateException e = assertThrows(IllegalStateException.class, call);
            assertTrue(e.getMessage().startsWith("closed: ") && e.getMessage().endsWith(", closed]"), e.getMessage());
        }
    }
}
