package org.quiver.benchmarks;

import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.util.concurrent.TimeUnit;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FSDataOutputStream;
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
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.memory.Buffer;

/**
 * Benchmark 6: a sequential read of an {@code hdfsFileSize} (256 MiB) file, 1 MiB at a time, on a real
 * MiniDFSCluster in this JVM (one DataNode, everything on 127.0.0.1): Quiver's {@code hdfs://} file system
 * ({@code readBuffer}, pool memory) against the Hadoop client's own {@code read(ByteBuffer)} into a direct
 * buffer it reuses. Both go through the same DataNode over TCP (no short-circuit reads).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Djava.util.logging.config.file=/dev/null", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
@State(Scope.Benchmark)
public class HdfsBenchmark {

    private static final int CHUNK = 1 << 20;
    private static final String FILE = "/bench/data.bin";

    @Param("268435456")
    public long hdfsFileSize;

    private MiniHdfs cluster;
    private org.apache.hadoop.fs.FileSystem hadoop;
    private QuiverFileSystem quiver;
    private ByteBuffer direct;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        cluster = MiniHdfs.start();
        URI uri = cluster.uri;
        hadoop = cluster.hadoopClient();
        byte[] chunk = new byte[CHUNK];
        new java.util.SplittableRandom(3).nextBytes(chunk);
        try (FSDataOutputStream out = hadoop.create(new org.apache.hadoop.fs.Path(FILE))) {
            for (long n = 0; n < hdfsFileSize; n += CHUNK) {
                out.write(chunk, 0, (int) Math.min(CHUNK, hdfsFileSize - n));
            }
        }
        quiver = QuiverFileSystem.fromUri(uri);
        direct = ByteBuffer.allocateDirect(CHUNK);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        quiver.close();
        hadoop.close();
        cluster.close();
        BenchData.requireNothingOutstanding();
    }

    @Benchmark
    public long quiverRead() throws IOException {
        long total = 0;
        try (SequentialInput in = quiver.openInput(FILE)) {
            while (true) {
                try (Buffer b = in.readBuffer(CHUNK)) {
                    if (b.size() == 0) {
                        break;
                    }
                    total += b.size();
                }
            }
        }
        return check(total);
    }

    @Benchmark
    public long hadoopRead() throws IOException {
        long total = 0;
        try (FSDataInputStream in = hadoop.open(new org.apache.hadoop.fs.Path(FILE))) {
            int n;
            while ((n = in.read(direct.clear())) > 0) {
                total += n;
            }
        }
        return check(total);
    }

    private long check(long total) {
        if (total != hdfsFileSize) {
            throw new IllegalStateException("read " + total + " bytes of " + hdfsFileSize);
        }
        return total;
    }
}
