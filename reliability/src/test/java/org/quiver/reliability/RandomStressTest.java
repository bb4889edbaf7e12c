package org.quiver.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.util.List;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.quiver.memory.testing.ChildJvm;
import org.quiver.memory.testing.RequiredBackend;

/**
 * Random-operation stress over every pool and the default pool (see {@link StressChild}), in a child JVM so that
 * the pools hold nothing but the stress's buffers and a crash fails the test. The operations come from {@code
 * quiver.reliability.operations} (one million in CI; {@code bin/reliability} runs ten million and more).
 */
class RandomStressTest {

    static final long OPERATIONS = Long.getLong("quiver.reliability.operations", 1_000_000);
    static final long SEED = Long.getLong("quiver.reliability.seed", System.nanoTime());

    @BeforeAll
    static void everyBackendIsHere() {
        StressChild.BACKENDS.forEach(RequiredBackend::require);
    }

    @Test
    void twoWorkersAndADefaultSwitcherKeepEveryByteAndEveryCount() {
        run("large", OPERATIONS, 2);
    }

    /** Every close a guarded one: fewer operations, as each close costs a JVM handshake. */
    @Test
    void theSameWithEveryBlockGuarded() {
        run("all", Math.max(20_000, OPERATIONS / 10), 2);
    }

    private static void run(String level, long operations, int workers) {
        ChildJvm.Result r = ChildJvm.run(StressChild.class, List.of("-Xmx1g"),
                List.of(level, Long.toString(operations), Integer.toString(workers), Long.toString(SEED)), 1800);
        assertFalse(r.crashed(), r::describe);
        assertFalse(r.timedOut(), r::describe);
        assertEquals(0, r.exitStatus(), r::describe);
        System.out.println("random stress, seed " + SEED + ": "
                + r.stdout().lines().filter(l -> l.startsWith("OPS")).findFirst().orElseThrow());
    }
}
