package org.quiver.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

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
import org.quiver.io.FileMode;
import org.quiver.io.OSFile;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.ReadRangeCache;
import org.quiver.memory.Buffer;

/**
 * Benchmark 9: reading {@code ranges} small ranges of a file (1 to 3 KiB, with holes of up to 2 KiB between
 * them, about 12 MiB in all for 4096: the column chunks of a Parquet file), each as its own positional read against
 * {@link ReadRangeCache} (holes of up to 8 KiB joined, reads of up to {@code rangeSizeLimit}, all started at once
 * on virtual threads). On a local file (page cache: the cost is the system calls) and on HDFS
 * through a real MiniDFSCluster in this JVM (the cost is a DataNode request per read).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 2, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--enable-native-access=ALL-UNNAMED", "--sun-misc-unsafe-memory-access=allow",
        "-Djava.util.logging.config.file=/dev/null", "-Dorg.slf4j.simpleLogger.defaultLogLevel=error"})
@State(Scope.Benchmark)
public class RangeReadBenchmark {

    private static final String HDFS_FILE = "/bench/ranges.bin";

    @Param({"local", "hdfs"})
    public String medium;

    @Param("4096")
    public int ranges;

    /** The largest merged read: {@code Options.LOCAL_FILES}' 1 MiB, Arrow's default 32 MiB. */
    @Param({"1048576", "33554432"})
    public long rangeSizeLimit;

    private final List<ReadRangeCache.Range> wanted = new ArrayList<>();
    private MiniHdfs cluster;
    private QuiverFileSystem hdfs;
    private Path local;
    private RandomAccessInput file;
    private ReadRangeCache.Options options;

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        options = new ReadRangeCache.Options(ReadRangeCache.Options.DEFAULT.holeSizeLimit(), rangeSizeLimit, false);
        SplittableRandom random = new SplittableRandom(9);
        long at = 0;
        for (int i = 0; i < ranges; i++) {
            long length = 1024 + random.nextInt(2048);
            wanted.add(new ReadRangeCache.Range(at, length));
            at += length + random.nextInt(2048);
        }
        byte[] data = new byte[(int) at];
        random.nextBytes(data);
        if (medium.equals("hdfs")) {
            cluster = MiniHdfs.start();
            try (org.apache.hadoop.fs.FileSystem hadoop = cluster.hadoopClient();
                    FSDataOutputStream out = hadoop.create(new org.apache.hadoop.fs.Path(HDFS_FILE))) {
                out.write(data);
            }
            hdfs = QuiverFileSystem.fromUri(cluster.uri);
            file = hdfs.openRandomAccess(HDFS_FILE);
        } else {
            local = Files.write(Files.createTempFile(BenchData.directory(), "ranges", ".bin"), data);
            file = OSFile.open(local, FileMode.READ);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        file.close();
        if (hdfs != null) {
            hdfs.close();
            cluster.close();
        }
        if (local != null) {
            Files.deleteIfExists(local);
        }
        BenchData.requireNothingOutstanding();
    }

    /** Each range its own positional read into pool memory. */
    @Benchmark
    public long oneByOne() throws IOException {
        long sum = 0;
        for (ReadRangeCache.Range r : wanted) {
            try (Buffer b = file.readBufferAt(r.offset(), r.length())) {
                sum += b.getByte(b.size() - 1) + b.size();
            }
        }
        return check(sum);
    }

    /** The ranges cached (merged, read at once), then each served as a slice. */
    @Benchmark
    public long coalesced() throws IOException {
        long sum = 0;
        try (ReadRangeCache cache = ReadRangeCache.of(file, options)) {
            cache.cache(wanted);
            for (ReadRangeCache.Range r : wanted) {
                try (Buffer b = cache.read(r.offset(), r.length())) {
                    sum += b.getByte(b.size() - 1) + b.size();
                }
            }
        }
        return check(sum);
    }

    private long check(long sum) {
        if (sum == 0) {
            throw new IllegalStateException("nothing read");
        }
        return sum;
    }
}
