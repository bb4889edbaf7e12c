package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.quiver.io.Compression;

/**
 * A codec library left off the class path, or a platform without its native part, makes only its own codecs
 * unavailable, with a reason naming the library; the other codecs work. Each case runs {@link CodecProbe} in a
 * JVM (this one's JDK) on this test's class path minus the library's jars: six short JVMs, under two seconds in
 * all.
 */
class CodecLibraryLeftOutTest {

    @TempDir
    Path tmp;

    /** The test's class path as entries: surefire hides it behind a manifest-only jar on java.class.path. */
    static List<String> testClassPath() {
        String cp = System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
        return Arrays.asList(cp.split(File.pathSeparator));
    }

    @ParameterizedTest(name = "without {0}")
    @CsvSource(delimiter = '|', value = {
        "zstd-jni-            | ZSTD          | zstd-jni",
        "lz4-java-            | LZ4_FRAME     | lz4-java",
        "commons-compress-    | BZ2 SNAPPY    | commons-compress",
        // a library's own dependency: Commons Compress needs commons-io
        "commons-io-          | BZ2 SNAPPY    | commons-compress",
        "brotli4j-            | BROTLI        | brotli4j",
        // the platform's native part missing: brotli4j's classes are there, its library is not
        "native-linux-        | BROTLI        | brotli4j",
    })
    void onlyTheCodecsOfALibraryLeftOutAreUnavailable(String jarPrefix, String missing, String named)
            throws IOException, InterruptedException {
        List<String> classPath = new ArrayList<>();
        List<String> removed = new ArrayList<>();
        for (String entry : testClassPath()) {
            (Path.of(entry).getFileName().toString().startsWith(jarPrefix) ? removed : classPath).add(entry);
        }
        assertFalse(removed.isEmpty(), "no jar starting with " + jarPrefix + " on " + testClassPath());
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        Process p = new ProcessBuilder(java.toString(), "-XX:-UsePerfData", "-XX:TieredStopAtLevel=1", "-Xmx128m",
                "--enable-native-access=ALL-UNNAMED", "-Djava.io.tmpdir=" + tmp, // the codecs unpack natives there
                "-cp", String.join(File.pathSeparator, classPath), CodecProbe.class.getName())
                .redirectErrorStream(true).start();
        String output;
        try {
            output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the probe did not end: " + output);
        } finally {
            p.destroyForcibly();
        }
        assertEquals(0, p.exitValue(), "without " + removed + ":\n" + output);
        Set<String> gone = Set.of(missing.split(" "));
        for (Compression c : Compression.values()) {
            if (c == Compression.NONE) {
                continue;
            }
            if (gone.contains(c.name())) {
                assertTrue(output.contains(c + " unavailable: " + c.pyarrowName() + " codec is unavailable: ")
                        && output.lines().anyMatch(l -> l.startsWith(c + " unavailable") && l.contains(named)),
                        c + " must be unavailable with a reason naming " + named + ":\n" + output);
                assertTrue(output.contains(c + " refused: " + c.pyarrowName() + " codec is unavailable"),
                        c + " must be refused with the reason:\n" + output);
                assertTrue(output.contains(c + " left open the caller's input stream")
                        && output.contains(c + " left open the caller's output stream"),
                        "a refused " + c + " must leave the caller's streams open:\n" + output);
                assertTrue(output.contains(c + " kept the existing file"), "a refused " + c + " must not truncate"
                        + " the file it was asked to write:\n" + output);
            } else {
                assertTrue(output.contains(c + " ok"), c + " must work without " + removed + ":\n" + output);
            }
        }
    }
}
