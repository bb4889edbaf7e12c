package org.quiver.benchmarks;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.apache.arrow.memory.ArrowBuf;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
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

import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.UnpooledByteBufAllocator;

/**
 * Benchmark 1: allocate and close one buffer of 64 B, 4 KiB or 1 MiB, as a throughput (operations per
 * microsecond), by one thread ({@code -t 1}) or two ({@code -t 2}). Quiver's pools beside the raw FFM pair of
 * the same allocator, Arrow Java's {@code RootAllocator}, Netty's pooled and unpooled direct buffers,
 * {@code ByteBuffer.allocateDirect} and a confined {@code Arena}. Arrow runs in {@link Arrow}, a fork of its own
 * with the {@code --add-opens} it needs.
 */
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 1, time = 700, timeUnit = TimeUnit.MILLISECONDS)
@Measurement(iterations = 3, time = 500, timeUnit = TimeUnit.MILLISECONDS)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
public class AllocateBenchmark {

    /** The sizes of the issue. */
    @State(Scope.Benchmark)
    public static class Size {
        @Param({"64", "4096", "1048576"})
        public int size;
    }

    /** The pool and the raw pair of one allocator. */
    @State(Scope.Benchmark)
    public static class Backend {
        @Param({"system", "jemalloc", "mimalloc"})
        public String backend;
        MemoryPool pool;
        RawAllocator raw;

        @Setup(Level.Trial)
        public void setUp() {
            pool = MemoryPool.pool(backend);
            raw = RawAllocator.of(backend);
        }

        @TearDown(Level.Trial)
        public void check() {
            if (pool.bytesAllocated() != 0) {
                throw new IllegalStateException(backend + " left " + pool.bytesAllocated() + " bytes allocated");
            }
        }
    }

    @Benchmark
    public long quiver(Backend b, Size s) {
        try (ResizableBuffer buffer = b.pool.allocate(s.size)) {
            return buffer.address();
        }
    }

    @Benchmark
    public long rawFfm(Backend b, Size s) {
        long address = b.raw.allocate(s.size);
        b.raw.free(address, s.size);
        return address;
    }

    /** Netty's allocators, created once as an application would. */
    @State(Scope.Benchmark)
    public static class Netty {
        final PooledByteBufAllocator pooled = new PooledByteBufAllocator(true);
        final UnpooledByteBufAllocator unpooled = new UnpooledByteBufAllocator(true);
    }

    @Benchmark
    public int nettyPooled(Netty n, Size s) {
        ByteBuf b = n.pooled.directBuffer(s.size, s.size);
        int capacity = b.capacity();
        b.release();
        return capacity;
    }

    @Benchmark
    public int nettyUnpooled(Netty n, Size s) {
        ByteBuf b = n.unpooled.directBuffer(s.size, s.size);
        int capacity = b.capacity();
        b.release();
        return capacity;
    }

    @Benchmark
    public ByteBuffer allocateDirect(Size s) {
        return ByteBuffer.allocateDirect(s.size); // freed by the GC, as applications do
    }

    @Benchmark
    public long arenaConfined(Size s) {
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment m = arena.allocate(s.size, 64);
            return m.address();
        }
    }

    /** Arrow Java's allocator, in its own fork with the {@code --add-opens} Arrow needs on JDK 25. */
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.MICROSECONDS)
    @Fork(value = 1, jvmArgsAppend = {"--add-opens=java.base/java.nio=ALL-UNNAMED",
            "--sun-misc-unsafe-memory-access=allow"})
    public static class Arrow {

        /** One root allocator, as an application has. */
        @State(Scope.Benchmark)
        public static class Root {
            BufferAllocator allocator;

            @Setup(Level.Trial)
            public void setUp() {
                allocator = new RootAllocator(Long.MAX_VALUE);
            }

            @TearDown(Level.Trial)
            public void tearDown() {
                allocator.close();
            }
        }

        @Benchmark
        public long rootAllocator(Root r, Size s) {
            try (ArrowBuf b = r.allocator.buffer(s.size)) {
                return b.memoryAddress();
            }
        }
    }
}
