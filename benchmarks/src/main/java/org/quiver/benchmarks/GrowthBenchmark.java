package org.quiver.benchmarks;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
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
import org.quiver.internal.kit.Libc;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Benchmark 2: one buffer grown from 1 MiB to {@code growTo} (1 GiB) by doubling, every new page touched, as a
 * single shot per invocation. Quiver's pools ({@code resize}) beside Arrow's system-pool strategy
 * ({@code posix_memalign} + copy + {@code free}) and a hand-written {@code mmap} + {@code mremap}.
 */
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1)
@Measurement(iterations = 4)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow"})
@State(Scope.Benchmark)
public class GrowthBenchmark {

    private static final long START = 1 << 20;
    private static final long PAGE = 4096;

    /** The final size: 1 GiB (the smoke test makes it small). */
    @Param("1073741824")
    public long growTo;

    /** Quiver's pool, for {@link #quiver}. */
    @State(Scope.Benchmark)
    public static class Pool {
        /** A backend, or {@code default}: the default pool, as {@code Buffer.allocate} and a user's code get it. */
        @Param({"system", "jemalloc", "mimalloc", "default"})
        public String backend;
        MemoryPool pool;

        @Setup(Level.Trial)
        public void setUp() {
            pool = backend.equals("default") ? MemoryPool.defaultPool() : MemoryPool.pool(backend);
        }

        @TearDown(Level.Trial)
        public void check() {
            if (pool.bytesAllocated() != 0) {
                throw new IllegalStateException(backend + " left " + pool.bytesAllocated() + " bytes allocated");
            }
            pool.releaseUnused();
        }
    }

    /** Writes one byte in every page of {@code [from, to)}: the growth is paid in full, as a user's data would. */
    private static long touch(MemorySegment all, long from, long to) {
        for (long p = from; p < to; p += PAGE) {
            all.set(ValueLayout.JAVA_BYTE, p, (byte) 1);
        }
        return to;
    }

    private static final MemorySegment EVERYWHERE = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);

    @Benchmark
    public long quiver(Pool p) {
        try (ResizableBuffer b = p.pool.allocate(START)) {
            touch(b.asSegment(), 0, START);
            for (long size = START; size < growTo; size *= 2) {
                b.resize(size * 2);
                touch(b.asSegment(), size, size * 2);
            }
            return b.address();
        }
    }

    @Benchmark
    public long posixMemalignCopy() {
        long address = posixMemalign(START);
        touch(EVERYWHERE, address, address + START);
        for (long size = START; size < growTo; size *= 2) {
            long bigger = posixMemalign(size * 2);
            MemorySegment.copy(EVERYWHERE, address, EVERYWHERE, bigger, size);
            Libc.free(address);
            address = bigger;
            touch(EVERYWHERE, address + size, address + size * 2);
        }
        Libc.free(address);
        return address;
    }

    private static long posixMemalign(long size) {
        long p = Libc.posixMemalign(64, size);
        if (p == 0) {
            throw new OutOfMemoryError("posix_memalign(" + size + ") failed");
        }
        return p;
    }

    @Benchmark
    public long rawMremap() {
        MemorySegment mapped = Libc.mmap(START, Libc.PROT_READ | Libc.PROT_WRITE,
                Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS, -1, 0L);
        if (mapped.address() == Libc.MAP_FAILED) {
            throw new OutOfMemoryError("mmap(" + START + ") failed: errno " + Libc.errno());
        }
        long address = mapped.address();
        touch(EVERYWHERE, address, address + START);
        long size = START;
        for (; size < growTo; size *= 2) {
            MemorySegment moved = Libc.mremap(MemorySegment.ofAddress(address), size, size * 2);
            if (moved.address() == Libc.MAP_FAILED) {
                throw new OutOfMemoryError("mremap(" + size + " -> " + size * 2 + ") failed: errno " + Libc.errno());
            }
            address = moved.address();
            touch(EVERYWHERE, address + size, address + size * 2);
        }
        int ignored = Libc.munmap(MemorySegment.ofAddress(address), size);
        return address;
    }
}
