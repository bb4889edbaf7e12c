package org.quiver.benchmarks;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPInputStream;
import java.util.zip.GZIPOutputStream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.quiver.io.Compression;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

import com.github.luben.zstd.ZstdInputStreamNoFinalizer;
import com.github.luben.zstd.ZstdOutputStreamNoFinalizer;

import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4FrameInputStream;
import net.jpountz.lz4.LZ4FrameOutputStream;
import net.jpountz.xxhash.XXHashFactory;

/**
 * Benchmark 5: {@code dataSize} (16 MiB) of CSV-like text compressed and decompressed through Quiver's streams
 * ({@code NativeFiles.openOutput(out, codec)} from a pool buffer, {@code NativeFiles.openInput(buffer, codec)}
 * into a pool buffer, 1 MiB at a time) and through the same library used directly with the same settings (JDK
 * zlib level 6 for gzip, zstd-jni level 3 with checksum, lz4-java frames of 4 MiB blocks with content checksum),
 * from and into a byte array. Compressed bytes go to a discarding stream on both sides. For gzip, "the library
 * used directly" is the JDK's zlib, which is also Quiver's fallback ({@code gzip-jdk}); Quiver's {@code gzip} decodes
 * with Intel's ISA-L where it is installed.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class CodecBenchmark {

    private static final int CHUNK = 1 << 20;

    /**
     * The codec: {@code gzip} is Quiver's gzip as it runs here (decoded by ISA-L where {@code libisal2} is
     * installed), {@code gzip-jdk} the same with {@code quiver.gzip.engine=jdk} (the JDK's zlib, the fallback).
     */
    @Param({"gzip", "gzip-jdk", "zstd", "lz4"})
    public String codec;

    @Param("16777216")
    public int dataSize;

    private Compression compression;
    private byte[] data;
    private Buffer dataBuffer;
    private byte[] compressed;
    private Buffer compressedBuffer;
    private final byte[] chunk = new byte[CHUNK];
    private ResizableBuffer chunkBuffer;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        if (codec.equals("gzip-jdk")) {
            // read when Quiver's gzip codec first loads, which is below: JMH runs each codec in a fork of its own
            System.setProperty("quiver.gzip.engine", "jdk");
        }
        compression = Compression.byName(codec.equals("gzip-jdk") ? "gzip" : codec);
        data = BenchData.text(dataSize);
        dataBuffer = Buffer.wrap(data).copy();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (OutputStream encoder = encoder(out)) {
            encoder.write(data);
        }
        compressed = out.toByteArray();
        compressedBuffer = Buffer.wrap(compressed).copy();
        chunkBuffer = MemoryPool.defaultPool().allocate(CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        dataBuffer.close();
        compressedBuffer.close();
        chunkBuffer.close();
    }

    private OutputStream encoder(OutputStream out) throws IOException {
        return switch (codec) {
            case "gzip", "gzip-jdk" -> new GZIPOutputStream(out, 64 << 10) {
                {
                    def.setLevel(6);
                }
            };
            case "zstd" -> new ZstdOutputStreamNoFinalizer(out, 3).setChecksum(true);
            case "lz4" -> new LZ4FrameOutputStream(out, LZ4FrameOutputStream.BLOCKSIZE.SIZE_4MB, -1L,
                    LZ4Factory.fastestInstance().fastCompressor(), XXHashFactory.fastestInstance().hash32(),
                    LZ4FrameOutputStream.FLG.Bits.BLOCK_INDEPENDENCE, LZ4FrameOutputStream.FLG.Bits.CONTENT_CHECKSUM);
            default -> throw new IllegalArgumentException(codec);
        };
    }

    private InputStream decoder(InputStream in) throws IOException {
        return switch (codec) {
            case "gzip", "gzip-jdk" -> new GZIPInputStream(in, 64 << 10);
            case "zstd" -> new ZstdInputStreamNoFinalizer(in);
            case "lz4" -> new LZ4FrameInputStream(in);
            default -> throw new IllegalArgumentException(codec);
        };
    }

    @Benchmark
    public long quiverCompress() throws IOException {
        try (SequentialOutput out = NativeFiles.openOutput(OutputStream.nullOutputStream(), compression)) {
            for (long off = 0; off < dataSize; off += CHUNK) {
                out.write(dataBuffer, off, Math.min(CHUNK, dataSize - off));
            }
            return out.tell();
        }
    }

    @Benchmark
    public long libraryCompress() throws IOException {
        try (OutputStream out = encoder(OutputStream.nullOutputStream())) {
            for (int off = 0; off < dataSize; off += CHUNK) {
                out.write(data, off, Math.min(CHUNK, dataSize - off));
            }
            return dataSize;
        }
    }

    @Benchmark
    public long quiverDecompress() throws IOException {
        long total = 0;
        try (SequentialInput in = NativeFiles.openInput(compressedBuffer, compression)) {
            long n;
            while ((n = in.read(chunkBuffer, 0, CHUNK)) > 0) {
                total += n;
            }
        }
        check(total);
        return total;
    }

    @Benchmark
    public long libraryDecompress() throws IOException {
        long total = 0;
        try (InputStream in = decoder(new ByteArrayInputStream(compressed))) {
            int n;
            while ((n = in.read(chunk, 0, CHUNK)) > 0) {
                total += n;
            }
        }
        check(total);
        return total;
    }

    private void check(long total) {
        if (total != dataSize) {
            throw new IllegalStateException(codec + " decompressed " + total + " bytes, expected " + dataSize);
        }
    }
}
