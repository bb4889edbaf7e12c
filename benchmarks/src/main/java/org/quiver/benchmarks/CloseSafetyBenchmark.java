package org.quiver.benchmarks;

import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.file.Path;
import java.util.Locale;
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
import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * What each close-safety level costs ({@link CloseSafety}): allocate + close of 64 B, 4 KiB, 256 KiB, 1 MiB and
 * 8 MiB in every pool, a memory map's open + close, and reading a 4 KiB buffer, with nothing guarded ({@code none}: the path
 * before guards existed), the default ({@code large}) and everything guarded ({@code all}), side by side in one
 * run, with the raw segment read as the access peer.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 700, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = "--enable-native-access=ALL-UNNAMED")
public class CloseSafetyBenchmark {

    /** The level, set for the whole trial. */
    @State(Scope.Benchmark)
    public static class Safety {
        @Param({"none", "large", "all"})
        public String level;

        @Setup(Level.Trial)
        public void setUp() {
            CloseSafety.setLevel(CloseSafety.valueOf(level.toUpperCase(Locale.ROOT)));
        }
    }

    /** A pool and a block size. */
    @State(Scope.Benchmark)
    public static class Block {
        @Param({"system", "jemalloc", "mimalloc"})
        public String backend;
        @Param({"64", "4096", "262144", "1048576", "8388608"})
        public int size;
        MemoryPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = MemoryPool.pool(backend);
        }

        @TearDown(Level.Trial)
        public void check() throws InterruptedException {
            for (int i = 0; i < 1000 && pool.bytesAllocated() != 0; i++) {
                Thread.sleep(1); // a guarded close that waited for a native call finishes on another thread
            }
            if (pool.bytesAllocated() != 0) {
                throw new IllegalStateException(backend + " left " + pool.bytesAllocated() + " bytes allocated");
            }
        }
    }

    /** A file to map (the suite's shared data file of that size, kept outside the temporary folder). */
    @State(Scope.Benchmark)
    public static class MappedData {
        @Param({"4096", "1048576"})
        public int fileSize;
        Path file;

        @Setup(Level.Trial)
        public void setUp() throws IOException {
            file = BenchData.file(fileSize);
        }
    }

    /** A 4 KiB buffer of the default pool's system backend, allocated under the level. */
    @State(Scope.Benchmark)
    public static class Readable {
        Buffer buffer;
        MemorySegment raw;
        Arena arena;

        @Setup(Level.Trial)
        public void setUp(Safety safety) {
            buffer = MemoryPool.pool("system").allocate(4096);
            arena = Arena.ofConfined();
            raw = arena.allocate(4096, 64);
        }

        @TearDown(Level.Trial)
        public void tearDown() {
            buffer.close();
            arena.close();
        }
    }

    @Benchmark
    public long allocateClose(Safety safety, Block b) {
        try (ResizableBuffer buffer = b.pool.allocate(b.size)) {
            return buffer.capacity();
        }
    }

    @Benchmark
    public long mapOpenClose(Safety safety, MappedData d) throws IOException {
        try (MemoryMappedFile map = MemoryMappedFile.open(d.file, FileMode.READ)) {
            return map.size();
        }
    }

    /** 512 {@code getLong} calls over a 4 KiB buffer (guarded only at level {@code all}). */
    @Benchmark
    public long readBuffer(Readable r) {
        Buffer b = r.buffer;
        long sum = 0;
        for (long i = 0; i < 4096; i += 8) {
            sum += b.getLong(i);
        }
        return sum;
    }

    /** The same over a confined arena's segment: the access peer. */
    @Benchmark
    public long readSegment(Readable r) {
        MemorySegment s = r.raw;
        long sum = 0;
        for (long i = 0; i < 4096; i += 8) {
            sum += s.get(ValueLayout.JAVA_LONG_UNALIGNED, i);
        }
        return sum;
    }
}
