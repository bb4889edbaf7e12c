package org.quiver.benchmarks;

import java.util.concurrent.TimeUnit;

import jdk.jfr.Configuration;
import jdk.jfr.Recording;

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
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * What Quiver's Flight Recorder events cost on the allocation path: allocate and close 64 B from the system pool
 * in a JVM where Flight Recorder never started ({@code recording=none}), under a recording with JFR's
 * {@code default} settings (every {@code org.quiver.*} event on except the allocation sample), and with the
 * allocation sample on as well ({@code sampling}: one allocation in 64 offered to a limit of 100 samples a second).
 * Each value runs in a fork of its own, as a started recorder stays started. The raw FFM pair of the same
 * allocator is the peer in each fork. The recordings are kept in memory: nothing is written to the temporary
 * folder.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class FlightRecorderBenchmark {

    @Param({"none", "default", "sampling"})
    public String recording;

    private MemoryPool pool;
    private RawAllocator raw;
    private Recording jfr;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        pool = MemoryPool.pool("system");
        raw = RawAllocator.of("system");
        if (!recording.equals("none")) {
            jfr = new Recording(Configuration.getConfiguration("default"));
            jfr.setToDisk(false);
            if (recording.equals("sampling")) {
                jfr.enable("org.quiver.AllocationSample");
            }
            jfr.start();
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        if (jfr != null) {
            jfr.close();
        }
        if (pool.bytesAllocated() != 0) {
            throw new IllegalStateException("left " + pool.bytesAllocated() + " bytes allocated");
        }
    }

    @Benchmark
    public long quiver() {
        try (ResizableBuffer buffer = pool.allocate(64)) {
            return buffer.address();
        }
    }

    @Benchmark
    public long rawFfm() {
        long address = raw.allocate(64);
        raw.free(address, 64);
        return address;
    }
}
