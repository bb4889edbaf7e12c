package org.quiver.io.nativeio.internal;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.IdentityHashMap;
import java.util.Map;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.internal.kit.Libc;
import org.quiver.io.BufferOutput;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.testing.NativeFileContract;
import org.quiver.memory.Buffer;

/**
 * Every file type of io-native under the {@link NativeFileContract}: OS files in each mode, memory maps,
 * buffered files (with a one-byte buffer as the hostile variant), every codec (also fed one byte at a time),
 * and the Java stream and channel wrappers. The contract itself reads and writes in chunks from one byte up and
 * checks the pool is back to where it started.
 */
class NativeFileContractsTest {

    @TempDir
    static Path dir;

    /** What {@code metadata()} of a local file gives at least. */
    static final java.util.Set<String> LOCAL_KEYS = java.util.Set.of("size", "mtime", "atime", "owner", "group",
            "permissions");

    private static int counter;

    static synchronized Path newFile(String suffix) {
        return dir.resolve("f" + (counter++) + suffix);
    }

    static Path fileWith(byte[] content) throws IOException {
        return Files.write(newFile(".bin"), content);
    }

    /** Outputs whose bytes are in a file: the path of each. */
    abstract static class FileOutputContract extends NativeFileContract {
        final Map<SequentialOutput, Path> paths = new IdentityHashMap<>();

        abstract SequentialOutput open(Path path, int expectedSize) throws IOException;

        @Override
        protected SequentialOutput openOutput(int expectedSize) throws IOException {
            Path p = newFile(".out");
            SequentialOutput f = open(p, expectedSize);
            paths.put(f, p);
            return f;
        }

        @Override
        protected byte[] written(SequentialOutput file) throws IOException {
            file.close();
            return Files.readAllBytes(paths.get(file));
        }
    }

    @Nested
    class OsFileRead extends NativeFileContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected boolean acceptsPositionsPastTheEnd() {
            return true;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "OSFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return OSFile.open(fileWith(content), FileMode.READ);
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class OsFileReadWrite extends FileOutputContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected boolean acceptsPositionsPastTheEnd() {
            return true;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "OSFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return OSFile.open(fileWith(content), FileMode.READ_WRITE);
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            Files.write(path, new byte[0]);
            return OSFile.open(path, FileMode.READ_WRITE);
        }
    }

    @Nested
    class OsFileWrite extends FileOutputContract {
        @Override
        protected String expectedKind(NativeFile file) {
            return "OSFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return OSFile.open(path, FileMode.WRITE);
        }
    }

    @Nested
    class OsFileAppend extends FileOutputContract {
        @Override
        protected String expectedKind(NativeFile file) {
            return "OSFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return OSFile.open(path, FileMode.APPEND);
        }
    }

    @Nested
    class OsFileByDescriptor extends NativeFileContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected boolean acceptsPositionsPastTheEnd() {
            return true;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "OSFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            int fd = Libc.open(fileWith(content).toString(), Libc.O_RDONLY | Libc.O_CLOEXEC, 0);
            return OSFile.ofDescriptor(fd, FileMode.READ);
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    @Nested
    class MemoryMap extends FileOutputContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "MemoryMappedFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return MemoryMappedFile.open(fileWith(content), FileMode.READ);
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return MemoryMappedFile.create(path, expectedSize);
        }
    }

    @Nested
    class MemoryMapAtOffset extends NativeFileContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "MemoryMappedFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            // 5000 bytes of something else first: the mapping starts at page 4096, positions at 5000
            byte[] padded = new byte[5000 + content.length];
            System.arraycopy(content, 0, padded, 5000, content.length);
            return MemoryMappedFile.open(fileWith(padded), FileMode.READ_WRITE, 5000, content.length);
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    /** Buffered files over OS files, with a buffer of {@code size} bytes. */
    abstract static class Buffered extends FileOutputContract {
        @Override
        protected java.util.Set<String> metadataKeys() {
            return LOCAL_KEYS;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof SequentialInput ? "BufferedSequentialInput" : "BufferedSequentialOutput";
        }

        abstract int bufferSize();

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return NativeFiles.bufferedInput(OSFile.open(fileWith(content), FileMode.READ), bufferSize());
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return NativeFiles.bufferedOutput(OSFile.open(path, FileMode.WRITE), bufferSize());
        }
    }

    @Nested
    class BufferedOneByte extends Buffered {
        @Override
        int bufferSize() {
            return 1;
        }
    }

    @Nested
    class BufferedDefault extends Buffered {
        @Override
        int bufferSize() {
            return NativeFiles.DEFAULT_BUFFER_SIZE;
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return NativeFiles.bufferedInput(OSFile.open(fileWith(content), FileMode.READ));
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return NativeFiles.bufferedOutput(OSFile.open(path, FileMode.WRITE));
        }
    }

    /** Buffered output into an in-memory stream, which keeps its bytes when the buffered file closes it. */
    @Nested
    class BufferedIntoMemory extends NativeFileContract {
        final Map<SequentialOutput, BufferOutput> sinks = new IdentityHashMap<>();

        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof SequentialInput ? "BufferedSequentialInput" : "BufferedSequentialOutput";
        }

        @Override
        protected SequentialInput openInput(byte[] content) {
            return NativeFiles.bufferedInput(NativeFiles.openInput(content), 7);
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            BufferOutput sink = new BufferOutput(pool(), 1);
            SequentialOutput f = NativeFiles.bufferedOutput(sink, 7);
            sinks.put(f, sink);
            return f;
        }

        @AfterEach
        void freeSinks() {
            sinks.values().forEach(BufferOutput::close);
            sinks.clear();
        }

        @Override
        protected byte[] written(SequentialOutput file) throws IOException {
            file.close();
            try (Buffer b = sinks.remove(file).finish()) {
                return b.toByteArray();
            }
        }
    }

    /** A codec: input decompresses what the codec wrote; output is decompressed to check it. */
    abstract static class Compressed extends NativeFileContract {
        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof SequentialInput ? "CompressedSequentialInput" : "CompressedSequentialOutput";
        }

        abstract Compression compression();

        /** Whether the compressed input reaches the decoder one byte per read. */
        boolean oneByteAtATime() {
            return false;
        }

        final Map<SequentialOutput, BufferOutput> sinks = new IdentityHashMap<>();

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            byte[] compressed = ReferenceCodecs.compress(compression(), content);
            SequentialInput raw = NativeFiles.openInput(compressed);
            if (oneByteAtATime()) {
                raw = new OneByteInput(raw);
            }
            return NativeFiles.decompressing(raw, compression());
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) throws IOException {
            BufferOutput sink = new BufferOutput(pool(), 1);
            SequentialOutput f = NativeFiles.compressing(sink, compression());
            sinks.put(f, sink);
            return f;
        }

        @AfterEach
        void freeSinks() {
            sinks.values().forEach(BufferOutput::close); // those whose bytes no test asked for
            sinks.clear();
        }

        @Override
        protected byte[] written(SequentialOutput file) throws IOException {
            file.close(); // closes the sink as a layer does: it keeps what was written
            BufferOutput sink = sinks.remove(file);
            try (Buffer b = sink.finish()) {
                return ReferenceCodecs.decompress(compression(), b.toByteArray());
            }
        }
    }

    @Nested
    class Gzip extends Compressed {
        @Override
        Compression compression() {
            return Compression.GZIP;
        }
    }

    @Nested
    class GzipOneByteAtATime extends Gzip {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class Zstd extends Compressed {
        @Override
        Compression compression() {
            return Compression.ZSTD;
        }
    }

    @Nested
    class ZstdOneByteAtATime extends Zstd {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class Lz4 extends Compressed {
        @Override
        Compression compression() {
            return Compression.LZ4_FRAME;
        }
    }

    @Nested
    class Lz4OneByteAtATime extends Lz4 {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class Bz2 extends Compressed {
        @Override
        Compression compression() {
            return Compression.BZ2;
        }
    }

    @Nested
    class Bz2OneByteAtATime extends Bz2 {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class Brotli extends Compressed {
        @Override
        Compression compression() {
            return Compression.BROTLI;
        }
    }

    @Nested
    class BrotliOneByteAtATime extends Brotli {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class Snappy extends Compressed {
        @Override
        Compression compression() {
            return Compression.SNAPPY;
        }
    }

    @Nested
    class SnappyOneByteAtATime extends Snappy {
        @Override
        boolean oneByteAtATime() {
            return true;
        }
    }

    @Nested
    class JavaStreams extends NativeFileContract {
        @Override
        protected String expectedKind(NativeFile file) {
            return file instanceof SequentialInput ? "InputStreamInput" : "OutputStreamOutput";
        }

        final Map<SequentialOutput, ByteArrayOutputStream> sinks = new IdentityHashMap<>();

        @Override
        protected SequentialInput openInput(byte[] content) {
            return NativeFiles.wrap(new ByteArrayInputStream(content));
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            ByteArrayOutputStream sink = new ByteArrayOutputStream();
            SequentialOutput f = NativeFiles.wrap(sink);
            sinks.put(f, sink);
            return f;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            return sinks.get(file).toByteArray();
        }
    }

    @Nested
    class FileChannels extends FileOutputContract {
        @Override
        protected boolean acceptsPositionsPastTheEnd() {
            return true;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "ChannelFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return NativeFiles.wrap(FileChannel.open(fileWith(content), StandardOpenOption.READ));
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return NativeFiles.wrap(FileChannel.open(path, StandardOpenOption.CREATE, StandardOpenOption.WRITE));
        }
    }

    /** An OS file seen through its own NIO channel, wrapped back as a file: both adapters at once. */
    @Nested
    class ChannelOfOsFile extends FileOutputContract {
        @Override
        protected boolean acceptsPositionsPastTheEnd() {
            return true;
        }

        @Override
        protected String expectedKind(NativeFile file) {
            return "ChannelFile";
        }

        @Override
        protected SequentialInput openInput(byte[] content) throws IOException {
            return NativeFiles.wrap(OSFile.open(fileWith(content), FileMode.READ).asChannel());
        }

        @Override
        SequentialOutput open(Path path, int expectedSize) throws IOException {
            return NativeFiles.wrap(OSFile.open(path, FileMode.WRITE).asChannel());
        }
    }
}
