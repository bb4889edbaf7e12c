package org.quiver.benchmarks;

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
import org.quiver.internal.memory.Backends;
import org.quiver.internal.memory.ConsumerPool;
import org.quiver.memory.MemoryPool;

/**
 * What attributing the static entry points to the calling bundle costs: allocate and close 64 bytes through a
 * pool kept in a field ({@code field}) against through {@code MemoryPool.defaultPool()} on every call
 * ({@code lookup}), outside a framework ({@code framework=false}: one volatile read) and with the caller
 * attribution the OSGi glue installs ({@code framework=true}: a stack walk for the caller's class, then the view;
 * the glue's own step from class to bundle is a class-loader test and a map read, not measured here).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED"})
@State(Scope.Benchmark)
public class AttributionBenchmark {

    @Param({"false", "true"})
    public boolean framework;

    private MemoryPool field;
    private ConsumerPool view;

    @Setup(Level.Trial)
    public void setUp() {
        if (framework) {
            view = ConsumerPool.open(Backends.defaultPool(), "bundle bench [1]", Long.MAX_VALUE);
            Backends.attributeCallers(caller -> view);
        }
        field = MemoryPool.defaultPool();
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Backends.attributeCallers(null);
        if (view != null) {
            view.close();
        }
    }

    @Benchmark
    public void field() {
        field.allocate(64).close();
    }

    @Benchmark
    public void lookup() {
        MemoryPool.defaultPool().allocate(64).close();
    }
}
