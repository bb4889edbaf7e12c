package org.quiver.benchmarks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.openjdk.jmh.infra.Blackhole;
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.OSFile;
import org.quiver.memory.Buffer;

/**
 * Benchmark 3: a page-cached file of {@code fileSize} (1 GiB) read three ways, each beside its plain-JDK
 * counterpart: sequentially in 1 MiB chunks ({@code OSFile.readBuffer} against {@code FileChannel.read} into a
 * direct {@code ByteBuffer}), at random 4 KiB-aligned positions 4 KiB at a time ({@code readBufferAt} against
 * {@code FileChannel.read(dst, position)}), and as a memory map summed as longs ({@code MemoryMappedFile} against
 * a segment from {@code FileChannel.map}). Quiver's reads allocate their buffers from the default pool each time,
 * as a user's code does; the JDK reuses one {@code ByteBuffer}.
 */
@BenchmarkMode(Mode.AverageTime)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class FileBenchmark {

    private static final int CHUNK = 1 << 20;
    private static final int PAGE = 4096;
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    @Param("1073741824")
    public long fileSize;

    private Path path;
    private OSFile osFile;
    private FileChannel channel;
    private ByteBuffer direct;
    private ByteBuffer page;
    private MemoryMappedFile map;
    private Arena mapArena;
    private MemorySegment jdkMap;
    private long[] positions;
    private int next;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        path = BenchData.file(fileSize);
        osFile = OSFile.open(path, FileMode.READ);
        channel = FileChannel.open(path);
        direct = ByteBuffer.allocateDirect(CHUNK);
        page = ByteBuffer.allocateDirect(PAGE);
        map = MemoryMappedFile.open(path, FileMode.READ);
        mapArena = Arena.ofShared();
        jdkMap = channel.map(FileChannel.MapMode.READ_ONLY, 0, fileSize, mapArena);
        SplittableRandom r = new SplittableRandom(1);
        positions = new long[1 << 16];
        for (int i = 0; i < positions.length; i++) {
            positions[i] = r.nextLong(fileSize / PAGE) * PAGE;
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        osFile.close();
        channel.close();
        map.close();
        mapArena.close();
        BenchData.requireNothingOutstanding();
    }

    private long nextPosition() {
        return positions[next++ & (positions.length - 1)];
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long readBufferSequential(Blackhole bh) throws IOException {
        osFile.seek(0);
        long total = 0;
        while (true) {
            try (Buffer b = osFile.readBuffer(CHUNK)) {
                if (b.size() == 0) {
                    return total;
                }
                total += b.size();
                bh.consume(b.getByte(0));
            }
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fileChannelSequential(Blackhole bh) throws IOException {
        channel.position(0);
        long total = 0;
        int n;
        while ((n = channel.read(direct.clear())) > 0) {
            total += n;
            bh.consume(direct.get(0));
        }
        return total;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte readAtRandom() throws IOException {
        try (Buffer b = osFile.readBufferAt(nextPosition(), PAGE)) {
            return b.getByte(PAGE - 1);
        }
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.NANOSECONDS)
    public byte fileChannelReadAtRandom() throws IOException {
        page.clear();
        long position = nextPosition();
        while (page.hasRemaining()) {
            if (channel.read(page, position + page.position()) < 0) {
                throw new IOException("EOF at " + position);
            }
        }
        return page.get(PAGE - 1);
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long memoryMapScan() {
        Buffer b = map.buffer();
        long sum = 0;
        long n = b.size() & ~7L;
        for (long i = 0; i < n; i += 8) {
            sum += b.getLong(i);
        }
        return sum;
    }

    @Benchmark
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public long fileChannelMapScan() {
        MemorySegment s = jdkMap;
        long sum = 0;
        long n = s.byteSize() & ~7L;
        for (long i = 0; i < n; i += 8) {
            sum += s.get(LONG, i);
        }
        return sum;
    }
}
