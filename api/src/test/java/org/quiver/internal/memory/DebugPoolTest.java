package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quiver.memory.DebugPoolProbe;
import org.quiver.memory.testing.ChildJvm;

/**
 * pyarrow's {@code ARROW_DEBUG_MEMORY_POOL} as {@code QUIVER_DEBUG_MEMORY_POOL}: a write past the end of a buffer,
 * through its raw address, found at the free or the resize and reported as each mode says, in a JVM of its own
 * (the setting is read once per JVM).
 */
class DebugPoolTest {

    private static ChildJvm.Result probe(Map<String, String> environment, List<String> jvmOptions, String scenario) {
        ChildJvm.Result r = ChildJvm.run(DebugPoolProbe.class, jvmOptions, environment, List.of(scenario), 60);
        assertFalse(r.timedOut(), r::describe);
        return r;
    }

    private static ChildJvm.Result probe(String mode, String scenario) {
        return probe(Map.of(DebugPool.ENVIRONMENT, mode), List.of(), scenario);
    }

    private static final String FOUND = "memory corruption found when a buffer was freed: a write past the end of a"
            + " buffer of 100 bytes (capacity 128) from pool 'libc' at 0x";
    private static final String BYTE = ": byte 3 past the end (offset 103) is 0x41, not the guard's 0xdb; allocated"
            + " at org.quiver.memory.DebugPoolProbe.main(DebugPoolProbe.java:";

    @Test
    void warnLogsAndGoesOn() {
        ChildJvm.Result r = probe("warn", "free");
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stderr().contains(FOUND) && r.stderr().contains(BYTE), r::describe);
        assertTrue(r.stdout().contains("closed without an exception\nafter close: bytes=0"), r::describe);
    }

    @Test
    void trapThrowsAtTheFreeAfterFreeing() {
        ChildJvm.Result r = probe("trap", "free");
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stdout().contains("trapped: " + FOUND) && r.stdout().contains(BYTE), r::describe);
        assertTrue(r.stdout().contains("cause: java.lang.Throwable: allocated here"), r::describe);
        assertTrue(r.stdout().contains("after close: bytes=0"), "the accounting stays exact: " + r.describe());
    }

    @Test
    void trapAtAResizeChangesNothingAndReportsOnce() {
        ChildJvm.Result r = probe("trap", "resize");
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stdout().contains("trapped: memory corruption found when a buffer was resized: a write past the"
                + " end of a buffer of 100 bytes") && r.stdout().contains("byte 0 past the end (offset 100)"),
                r::describe);
        assertTrue(r.stdout().contains("unchanged: size=100 last=7"), r::describe);
        assertTrue(r.stdout().contains("closed again: bytes=0"), "reported once, then freed: " + r.describe());
    }

    @Test
    void abortExitsWithAClearMessage() {
        ChildJvm.Result r = probe("abort", "free");
        assertEquals(134, r.exitStatus(), r::describe);
        assertTrue(r.hsErr() == null, "an exit, not a crash: " + r.describe());
        assertTrue(r.stderr().contains("quiver: " + FOUND) && r.stderr().contains("(QUIVER_DEBUG_MEMORY_POOL=abort:"
                + " exiting)"), r::describe);
        assertTrue(r.stderr().contains("\tat org.quiver.memory.DebugPoolProbe.main"), "the site's stack: "
                + r.describe());
        assertFalse(r.stdout().contains("after close"), r::describe);
    }

    @Test
    void theNormalSemanticsHoldWithTheGuards() {
        ChildJvm.Result r = probe("trap", "clean");
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stdout().contains("kept=true zeroed=true capacity=64"), r::describe);
        assertTrue(r.stdout().contains("clean: bytes=0"), r::describe);
        assertFalse(r.stderr().contains("corruption"), r::describe);
    }

    @Test
    void offOrUnknownChecksNothing() {
        ChildJvm.Result off = probe(Map.of(), List.of(), "free");
        assertTrue(off.stdout().contains("mode=NONE\nclosed without an exception"), off::describe);
        assertFalse(off.stderr().contains("corruption"), off::describe);
        ChildJvm.Result unknown = probe("bogus", "free");
        assertTrue(unknown.stderr().contains("unknown value for environment variable QUIVER_DEBUG_MEMORY_POOL:"
                + " 'bogus'; valid values are abort, trap, warn and none; the debug memory pool is off"),
                unknown::describe);
        assertTrue(unknown.stdout().contains("mode=NONE"), unknown::describe);
    }

    @Test
    void thePropertyWinsOverTheEnvironment() {
        ChildJvm.Result r = probe(Map.of(DebugPool.ENVIRONMENT, "warn"), List.of("-D" + DebugPool.PROPERTY + "=trap"),
                "free");
        assertTrue(r.stdout().contains("mode=TRAP") && r.stdout().contains("trapped: "), r::describe);
    }
}
