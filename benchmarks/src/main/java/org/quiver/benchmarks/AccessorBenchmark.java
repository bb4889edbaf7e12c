package org.quiver.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * What Buffer's value accessors cost: summing 512 ints of a 2 KiB pool buffer little-endian (the default path),
 * big-endian (the {@code ByteOrder} overload) and as 512 longs, against the same reads of the buffer's own
 * memory through a {@link MemorySegment} layout and a little-endian direct {@link ByteBuffer}: the peers a Java
 * programmer would otherwise use.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class AccessorBenchmark {

    private static final int INTS = 512;
    private static final ValueLayout.OfInt INT_LE = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    /** One buffer of 512 ints, with its segment and a direct ByteBuffer over another copy. */
    @State(Scope.Thread)
    public static class Data {
        ResizableBuffer buffer;
        MemorySegment segment;
        ByteBuffer byteBuffer;
        Arena arena;

        @Setup(Level.Trial)
        public void setUp() {
            buffer = MemoryPool.pool("system").allocate(INTS * 4L + 8);
            for (int i = 0; i < INTS; i++) {
                buffer.setInt(i * 4L, i * 31);
            }
            arena = Arena.ofConfined();
            segment = arena.allocate(INTS * 4L + 8);
            MemorySegment.copy(buffer.asSegment(), 0, segment, 0, segment.byteSize());
            byteBuffer = ByteBuffer.allocateDirect(INTS * 4 + 8).order(ByteOrder.LITTLE_ENDIAN);
            byteBuffer.put(buffer.asByteBuffer());
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buffer.close();
            arena.close();
        }
    }

    @Benchmark
    public long getIntLittleEndian(Data d) {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += d.buffer.getInt(i * 4L);
        }
        return sum;
    }

    @Benchmark
    public long getIntBigEndian(Data d) {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += d.buffer.getInt(i * 4L, ByteOrder.BIG_ENDIAN);
        }
        return sum;
    }

    @Benchmark
    public long getLong(Data d) {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += d.buffer.getLong(i * 4L);
        }
        return sum;
    }

    @Benchmark
    public long segmentGetInt(Data d) {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += d.segment.get(INT_LE, i * 4L);
        }
        return sum;
    }

    @Benchmark
    public long byteBufferGetInt(Data d) {
        long sum = 0;
        for (int i = 0; i < INTS; i++) {
            sum += d.byteBuffer.getInt(i * 4);
        }
        return sum;
    }
}
