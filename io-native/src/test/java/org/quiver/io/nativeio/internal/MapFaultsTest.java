package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.memory.testing.ChildJvm;

/**
 * Bus errors in memory maps, provoked for real in a child JVM ({@link MapFaultProbe}) so that a crash would show
 * as one: the file truncated under the map (by {@code ftruncate}, as another process would), and holes of a
 * sparse file mapped for writing on a full tmpfs. Quiver's own reads and writes of the map must end in an
 * {@link java.io.IOException} naming the file, cold and in compiled code alike; a zero-copy buffer's accesses are
 * the caller's code and get the JVM's {@link InternalError}; nothing crashes and the rest of the map stays good.
 */
class MapFaultsTest {

    @TempDir
    Path dir;

    /** Runs the probe and returns its lines as case to outcome, after checking that it ended well. */
    private static Map<String, String> probe(String mode, Path where) {
        // -Xbatch: compilations finish before the code runs on, so the hot cases do run compiled code
        ChildJvm.Result result = ChildJvm.run(MapFaultProbe.class, List.of("-Xbatch", "-Xmx256m"),
                List.of(mode, where.toString()), 120);
        System.out.println(result.stdout());
        assertFalse(result.crashed(), result.describe());
        assertEquals(0, result.exitStatus(), result.describe());
        assertTrue(result.stdout().contains("done"), result.describe());
        return result.stdout().lines().filter(l -> l.contains(": ")).collect(Collectors.toMap(
                l -> l.substring(0, l.indexOf(": ")), l -> l.substring(l.indexOf(": ") + 2), (a, b) -> a + " | " + b));
    }

    private static void truncatedMessage(String outcome, Path file, String operation) {
        assertTrue(outcome.startsWith("java.nio.file.FileSystemException: " + file + ": " + operation)
                && outcome.contains("the file is now 4096 bytes, shorter than its memory map (offset=0 size=1048576)")
                && outcome.contains("truncated under the map"), outcome);
    }

    @Test
    void aFileTruncatedUnderItsMapIsAnIOExceptionNamingItNotACrash() {
        Map<String, String> out = probe("truncated", dir);
        Path file = dir.resolve("cut");
        truncatedMessage(out.get("readAt"), file, "readAt position=524288 length=4096");
        truncatedMessage(out.get("read"), file, "readAt position=524288 length=4096");
        truncatedMessage(out.get("read into a buffer"), file, "read position=524288 length=4096");
        assertEquals("ok", out.get("position after the failed reads"), "a failed read does not move the position");
        truncatedMessage(out.get("writeAt"), file, "write position=524288 length=4096");
        assertTrue(out.get("writeAt").endsWith("; 0 bytes of this write are in the map"), out.get("writeAt"));
        // the caller's own accesses to a zero-copy buffer: the JVM's error, not a crash (Quiver's code is not there)
        String jdk = "java.lang.InternalError: a fault occurred in an unsafe memory access operation";
        assertEquals(jdk, out.get("zero-copy getLong"));
        assertEquals(jdk, out.get("zero-copy get"));
        assertEquals("ok", out.get("the page that is left"));
        for (String hot : List.of("hot readAt", "hot read into a buffer", "hot writeAt")) {
            assertEquals("translated=200 escaped=0 other=0", out.get(hot), hot + ": compiled code too");
        }
    }

    @Test
    void aHoleThatAFullFileSystemCannotBackIsDiskFullNotACrash() throws Exception {
        try (SmallTmpfs tmpfs = SmallTmpfs.mount(dir.resolve("small"), 64 << 10)) {
            Map<String, String> out = probe("disk-full", tmpfs.dir);
            assertEquals("0", out.get("free"), "the probe filled the tmpfs");
            Path file = tmpfs.dir.resolve("sparse");
            String hole = " (the file system has no space for a page of the memory map, a hole of a sparse file: a"
                    + " bus error): no space left on device (";
            assertEquals("org.quiver.io.DiskFullException: " + file + ": write position=3996 length=200" + hole
                    + "100 bytes of this write written)", out.get("writeAt across into a hole"),
                    "what fit in the backed page is counted");
            assertEquals("org.quiver.io.DiskFullException: " + file + ": write position=3996 length=200" + hole
                    + "100 bytes of this write written)", out.get("write across into a hole"));
            assertEquals("4096", out.get("position after the failed write"), "left after the bytes written");
            assertEquals("org.quiver.io.DiskFullException: " + file + ": write position=20480 length=200" + hole
                    + "0 bytes of this write written)", out.get("writeAt a buffer into a hole"));
            // tmpfs allocates a page for a hole even to read it through a map
            assertEquals("java.nio.file.FileSystemException: " + file + ": readAt position=28672 length=8: no space"
                    + " left on device (the file system has no space for a page of the memory map, a hole of a sparse"
                    + " file: a bus error)", out.get("readAt a hole"));
            assertEquals("java.lang.InternalError: a fault occurred in an unsafe memory access operation",
                    out.get("zero-copy setLong into a hole"));
            assertEquals("ok", out.get("the backed page"), "the bytes written before are still there");
            assertEquals("translated=200 escaped=0 other=0", out.get("hot writeAt into holes"));
            assertEquals("translated=200 escaped=0 other=0", out.get("hot readAt of holes"));
            assertEquals("ok", out.get("writeAt into a hole once there is space"));
        }
    }
}
