package org.quiver.benchmarks;

import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.openjdk.jmh.annotations.AuxCounters;
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
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Benchmark 7: the latency distribution (p50, p99, p99.9) of allocate + write + close of a 4 KiB buffer from the
 * default pool by two threads, while a third thread switches the default allocator between jemalloc and
 * mimalloc every 100 microseconds, beside the same two threads with no switching. Every buffer is checked (it
 * holds what was written, at both ends); a failure of any kind is counted, and the
 * count is reported as the {@code failures} metric (it must be zero), with the number of {@code swaps}.
 */
@BenchmarkMode(Mode.SampleTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 2)
@Threads(2)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class HotSwapBenchmark {

    private static final int SIZE = 4096;
    static final AtomicLong FAILURES = new AtomicLong();
    static final AtomicLong SWAPS = new AtomicLong();

    /** The switching thread, running while an iteration of {@link #allocateWhileSwapping} measures. */
    @State(Scope.Benchmark)
    public static class Swapper {
        private volatile boolean running;
        private Thread thread;

        @Setup(Level.Iteration)
        public void start() {
            MemoryPool.pool("jemalloc");
            MemoryPool.pool("mimalloc");
            running = true;
            thread = Thread.ofPlatform().daemon().name("swapper").start(() -> {
                boolean je = true;
                while (running) {
                    MemoryPool.setDefault(je ? "jemalloc" : "mimalloc");
                    je = !je;
                    SWAPS.incrementAndGet();
                    long until = System.nanoTime() + 100_000;
                    while (System.nanoTime() < until && running) {
                        Thread.onSpinWait();
                    }
                }
            });
        }

        @TearDown(Level.Iteration)
        public void stop() throws InterruptedException {
            running = false;
            thread.join();
        }
    }

    /** Failures and swaps, as JMH secondary metrics. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Counts {
        public long failures;
        public long swaps;

        @Setup(Level.Iteration)
        public void reset() {
            failures = 0;
            swaps = 0;
        }

        @TearDown(Level.Iteration)
        public void collect() {
            failures = FAILURES.getAndSet(0);
            swaps = SWAPS.getAndSet(0);
        }
    }

    /** Switched back to the best backend after the trial, and checked for outstanding bytes. */
    @State(Scope.Benchmark)
    public static class Check {
        @TearDown(Level.Trial)
        public void check() {
            for (String b : new String[] {"jemalloc", "mimalloc"}) {
                long left = MemoryPool.pool(b).bytesAllocated();
                if (left != 0) {
                    throw new IllegalStateException(b + " left " + left + " bytes allocated");
                }
            }
        }
    }

    private static long allocateAndCheck(long value) {
        try (ResizableBuffer b = MemoryPool.defaultPool().allocate(SIZE)) {
            b.setLong(0, value);
            b.setLong(SIZE - 8, ~value);
            if (b.getLong(0) != value || b.getLong(SIZE - 8) != ~value) {
                FAILURES.incrementAndGet();
            }
            return b.address();
        } catch (RuntimeException | Error e) {
            FAILURES.incrementAndGet();
            return 0;
        }
    }

    @Benchmark
    public long allocateWhileSwapping(Swapper s, Counts c, Check k) {
        return allocateAndCheck(System.identityHashCode(c));
    }

    @Benchmark
    public long allocateSteady(Counts c, Check k) {
        return allocateAndCheck(System.identityHashCode(c));
    }
}
