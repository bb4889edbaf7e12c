package org.quiver.benchmarks;

import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.quiver.memory.ResizableBuffer;

/**
 * Benchmark 1 with two threads allocating and closing at once from the same pool: JMH sums the two threads'
 * throughput, so against {@link AllocateBenchmark} (one thread) the ratio is the scaling (2.0 is perfect). The
 * raw FFM pair shows what the allocator itself allows.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Threads(2)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AllocateTwoThreadsBenchmark {

    @Benchmark
    public long quiver(AllocateBenchmark.Backend b, AllocateBenchmark.Size s) {
        try (ResizableBuffer buffer = b.pool.allocate(s.size)) {
            return buffer.address();
        }
    }

    @Benchmark
    public long rawFfm(AllocateBenchmark.Backend b, AllocateBenchmark.Size s) {
        long address = b.raw.allocate(s.size);
        b.raw.free(address, s.size);
        return address;
    }
}
