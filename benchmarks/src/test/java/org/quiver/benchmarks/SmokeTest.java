package org.quiver.benchmarks;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Collection;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;
import org.openjdk.jmh.results.RunResult;
import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

/**
 * The CI's guard against rot: every benchmark runs one very short iteration in its own fork (Arrow with its
 * {@code --add-opens}), each with the smallest parameter set, and must produce a score. Speed is not judged here;
 * that is what {@code benchmarks/bench quick} is for.
 */
class SmokeTest {

    @Test
    void everyBenchmarkRuns() throws Exception {
        Options options = new OptionsBuilder()
                .include("org\\.quiver\\.benchmarks\\..*")
                .param("size", "64")
                .param("growTo", String.valueOf(8 << 20))
                .param("fileSize", String.valueOf(16 << 20))
                .param("totalBytes", String.valueOf(1 << 20))
                .param("dataSize", String.valueOf(2 << 20))
                .param("hdfsFileSize", String.valueOf(4 << 20))
                .param("ranges", "64")
                .param("rangeSizeLimit", String.valueOf(1 << 20))
                .forks(1)
                .warmupIterations(0)
                .measurementIterations(1)
                .measurementTime(TimeValue.milliseconds(20))
                .timeout(TimeValue.seconds(60))
                .shouldFailOnError(true)
                .build();
        Collection<RunResult> results = new Runner(options).run();
        Set<String> ran = new TreeSet<>();
        for (RunResult r : results) {
            assertTrue(r.getPrimaryResult().getScore() > 0, r.getParams().getBenchmark());
            ran.add(r.getParams().getBenchmark().replace("org.quiver.benchmarks.", ""));
        }
        assertEquals(Set.of("AllocateBenchmark.Arrow.rootAllocator", "AllocateBenchmark.allocateDirect",
                "AllocateBenchmark.arenaConfined", "AllocateBenchmark.nettyPooled", "AllocateBenchmark.nettyUnpooled",
                "AllocateBenchmark.quiver", "AllocateBenchmark.rawFfm",
                "AllocateTwoThreadsBenchmark.quiver",
                "AllocateTwoThreadsBenchmark.rawFfm",
                "GrowthBenchmark.posixMemalignCopy", "GrowthBenchmark.quiver", "GrowthBenchmark.rawMremap",
                "FileBenchmark.readBufferSequential", "FileBenchmark.fileChannelSequential",
                "FileBenchmark.readAtRandom", "FileBenchmark.fileChannelReadAtRandom",
                "FileBenchmark.memoryMapScan", "FileBenchmark.fileChannelMapScan",
                "OutputStreamBenchmark.bufferOutput", "OutputStreamBenchmark.byteArrayOutputStream",
                "CodecBenchmark.quiverCompress", "CodecBenchmark.libraryCompress",
                "CodecBenchmark.quiverDecompress", "CodecBenchmark.libraryDecompress",
                "HdfsBenchmark.quiverRead", "HdfsBenchmark.hadoopRead",
                "RangeReadBenchmark.oneByOne", "RangeReadBenchmark.coalesced",
                "HotSwapBenchmark.allocateWhileSwapping", "HotSwapBenchmark.allocateSteady",
                "AttributionBenchmark.field", "AttributionBenchmark.lookup",
                "FlightRecorderBenchmark.quiver", "FlightRecorderBenchmark.rawFfm",
                "CloseSafetyBenchmark.allocateClose", "CloseSafetyBenchmark.mapOpenClose",
                "CloseSafetyBenchmark.readBuffer", "CloseSafetyBenchmark.readSegment",
                "AccessorBenchmark.getIntLittleEndian", "AccessorBenchmark.getIntBigEndian",
                "AccessorBenchmark.getLong", "AccessorBenchmark.segmentGetInt", "AccessorBenchmark.byteBufferGetInt"), ran);
    }
}
