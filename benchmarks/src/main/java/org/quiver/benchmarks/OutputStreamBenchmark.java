package org.quiver.benchmarks;

import java.io.ByteArrayOutputStream;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;
import org.quiver.io.BufferOutput;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Benchmark 4: {@code totalBytes} (1 GiB) written in 100-byte writes into {@code BufferOutput} (growing a
 * pool buffer, finished without a copy) and into {@code ByteArrayOutputStream} (growing a heap array; its bytes
 * are left in place, no {@code toByteArray} copy is charged to it). The stream's pool is the default pool (the
 * best-ranked backend: mimalloc where it is installed) or the system pool, whose large blocks grow by {@code mremap}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 4)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Xms4g", "-Xmx4g"})
@State(Scope.Benchmark)
public class OutputStreamBenchmark {

    private static final int WRITE = 100;

    @Param("1073741824")
    public long totalBytes;

    /** The stream's pool: {@code default} or a backend name. */
    @State(Scope.Benchmark)
    public static class Pool {
        @Param({"default", "system"})
        public String pool;
    }

    private final byte[] record = BenchData.text(WRITE);

    @Benchmark
    public long bufferOutput(Pool p) {
        BufferOutput out = new BufferOutput(
                "default".equals(p.pool) ? MemoryPool.defaultPool() : MemoryPool.pool(p.pool));
        for (long n = totalBytes / WRITE; n > 0; n--) {
            out.write(record, 0, WRITE);
        }
        try (ResizableBuffer b = out.finish()) {
            return b.size();
        }
    }

    @Benchmark
    public long byteArrayOutputStream() {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (long n = totalBytes / WRITE; n > 0; n--) {
            out.write(record, 0, WRITE);
        }
        return out.size();
    }
}
