package org.quiver.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.testing.ChildJvm;
import org.quiver.memory.testing.RequiredBackend;

/**
 * Readers and writers racing a close, on every pool and size class and on memory maps, each batch in a child JVM
 * so that a crash fails the test instead of ending the build. The expectation is zero crashes, zero wrong
 * exception types, zero guarded reads of freed memory and zero bytes left in any pool.
 *
 * <p>Races per case come from {@code quiver.reliability.races} (CI's bounded slice by default; {@code
 * bin/reliability} runs thousands).
 */
class RacingCloseTest {

    static final List<String> POOLS = List.of("system", "jemalloc", "mimalloc");
    static final int RACES = Integer.getInteger("quiver.reliability.races", 15);
    static final long SEED = Long.getLong("quiver.reliability.seed", System.nanoTime());

    @BeforeAll
    static void everyBackendIsHere() {
        POOLS.forEach(RequiredBackend::require);
    }

    /**
     * The default level guards the blocks an allocator may unmap once freed (the system pool from glibc's lowest
     * mmap threshold, jemalloc and mimalloc from 8 MiB, where Quiver maps them) and every map: every operation may
     * race the close there.
     */
    @Test
    void largeBlocksAndMapsSurviveEveryRacingClose() {
        List<String> cases = new ArrayList<>();
        for (String pool : POOLS) {
            long[] sizes = pool.equals("system") ? new long[] {256 << 10, 1 << 20, 4 << 20} : new long[] {8 << 20};
            for (long size : sizes) {
                for (String op : List.of("element", "bulk", "slice", "byte_buffer", "segment", "write", "file_read")) {
                    cases.add(pool + ":" + size + ":" + op);
                }
            }
        }
        for (long size : new long[] {4096, 4 << 20}) {
            for (String op : List.of("element", "bulk", "byte_buffer", "segment", "file_close")) {
                cases.add("map:" + size + ":" + op);
            }
        }
        for (long size : new long[] {4096, 1 << 20}) {
            cases.add("os:" + size + ":file_close");
        }
        runClean("large", cases);
    }

    /**
     * jemalloc and mimalloc keep freed blocks below 8 MiB mapped and keep no bookkeeping inside them, so they are
     * not guarded by default (a guard's close is a JVM handshake, 50 to 90 us, against a 0.2 to 0.7 us allocate +
     * free pair): every operation may race the close, writes and file reads included, and must not crash; what a
     * racing reader sees is not checked.
     */
    @Test
    void racingOperationsOnLargeUnguardedBlocksDoNotCrash() {
        List<String> cases = new ArrayList<>();
        for (String pool : List.of("jemalloc", "mimalloc")) {
            for (long size : new long[] {256 << 10, 1 << 20, 4 << 20}) {
                for (String op : List.of("element", "bulk", "slice", "byte_buffer", "segment", "write", "file_read")) {
                    cases.add(pool + ":" + size + ":" + op);
                }
            }
        }
        runClean("large", cases);
    }

    /** {@code CloseSafety.ALL}: small blocks too, writes and native reads included. */
    @Test
    void everyBlockSurvivesEveryRacingCloseWhenAllAreGuarded() {
        List<String> cases = new ArrayList<>();
        for (String pool : POOLS) {
            for (long size : new long[] {64, 4096}) {
                for (String op : List.of("element", "bulk", "slice", "byte_buffer", "segment", "write", "file_read",
                        "view_after_close")) {
                    cases.add(pool + ":" + size + ":" + op);
                }
            }
        }
        runClean("all", cases);
    }

    /**
     * At the default level small blocks are not guarded (a guard's close costs about 50 us, an unguarded pair 30-70
     * ns): a racing reader may read freed memory there, but the allocators keep small blocks mapped, so reads do
     * not crash. (Racing writes into unguarded memory are not run: they may corrupt the allocator.)
     */
    @Test
    void racingReadersOfSmallUnguardedBlocksDoNotCrash() {
        List<String> cases = new ArrayList<>();
        for (String pool : POOLS) {
            for (long size : new long[] {64, 4096, 65536}) {
                for (String op : List.of("element", "bulk", "slice")) {
                    cases.add(pool + ":" + size + ":" + op);
                }
            }
        }
        runClean("large", cases);
    }

    /**
     * The defect, reproduced: with nothing guarded, a 4 MiB system-pool buffer's byte-buffer view read after
     * close faults on unmapped memory and the JVM dies. This proves that the harness sees a crash; at the default
     * level the same call throws.
     */
    @Test
    void theHarnessSeesTheCrashThatGuardsPrevent() {
        ChildJvm.Result unguarded = child("none", List.of("system:4194304:view_after_close"));
        assertTrue(unguarded.crashed(), () -> "expected a crash without guards:\n" + unguarded.describe());
        runClean("large", List.of("system:4194304:view_after_close", "system:1048576:view_after_close"));
    }

    /**
     * A view kept past the close, read after the pool was asked to give unused memory back: unguarded blocks must
     * still be mapped then (mimalloc's forced collection unmapped them, of every size), guarded ones throw.
     */
    @Test
    void viewsKeptPastACloseSurviveReleaseUnused() {
        List<String> cases = new ArrayList<>();
        for (String pool : POOLS) {
            for (long size : new long[] {64, 4096, 65536, 512 << 10, 1 << 20, 4 << 20, 16 << 20}) {
                cases.add(pool + ":" + size + ":view_after_release");
            }
        }
        runClean("large", cases);
    }

    /**
     * glibc maps blocks from its mmap threshold (128 KiB at the lowest, where it starts) and unmaps them on free:
     * the system pool must guard every block glibc may map, not only the ones Quiver maps itself (from 1 MiB).
     * The tunable pins glibc's threshold at its lowest, as in a process that has not freed a large block yet.
     */
    @Test
    void systemPoolBlocksThatGlibcMapsAreGuarded() {
        List<String> cases = new ArrayList<>();
        for (long size : new long[] {200_000, 512 << 10, (1 << 20) - 4096}) {
            for (String op : List.of("view_after_close", "view_after_release", "element", "byte_buffer", "write")) {
                cases.add("system:" + size + ":" + op);
            }
        }
        runClean("large", cases, Map.of("GLIBC_TUNABLES", "glibc.malloc.mmap_threshold=131072"));
    }

    private static void runClean(String level, List<String> cases) {
        runClean(level, cases, Map.of());
    }

    private static void runClean(String level, List<String> cases, Map<String, String> environment) {
        ChildJvm.Result r = child(level, cases, environment);
        assertFalse(r.crashed(), r::describe);
        assertFalse(r.timedOut(), r::describe);
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stdout().contains("TOTAL races="), r::describe);
        System.out.println("racing close, level " + level + ", seed " + SEED + ": "
                + r.stdout().lines().filter(l -> l.startsWith("TOTAL")).findFirst().orElseThrow());
    }

    private static ChildJvm.Result child(String level, List<String> cases) {
        return child(level, cases, Map.of());
    }

    private static ChildJvm.Result child(String level, List<String> cases, Map<String, String> environment) {
        List<String> args = new ArrayList<>();
        args.add(level);
        args.add(Integer.toString(RACES));
        args.add(Long.toString(SEED));
        args.addAll(cases);
        return ChildJvm.run(RacingCloseChild.class, List.of("-Xmx512m"), environment, args, 600);
    }
}
