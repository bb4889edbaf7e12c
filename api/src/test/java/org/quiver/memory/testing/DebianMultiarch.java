package org.quiver.memory.testing;

import java.nio.file.Path;
import java.util.Locale;

/**
 * Where Debian and Ubuntu put an operating-system library: {@code /usr/lib/<multiarch triplet>/}, the triplet
 * being that of the JVM's architecture ({@code x86_64-linux-gnu} on x86-64, {@code aarch64-linux-gnu} on arm64).
 * Tests look for mimalloc and Debian's jemalloc here, so they find them on both; {@code .ci/run} installs them
 * by the same folder.
 */
public final class DebianMultiarch {

    private DebianMultiarch() {
    }

    /**
     * The multiarch triplet of a JVM's {@code os.arch}: {@code amd64} gives {@code x86_64-linux-gnu},
     * {@code aarch64} gives {@code aarch64-linux-gnu} (the spellings {@code x86_64} and {@code arm64} too).
     *
     * @throws IllegalArgumentException for an architecture Quiver is not built for, naming it
     */
    public static String triplet(String osArch) {
        return switch (osArch.toLowerCase(Locale.ROOT)) {
            case "amd64", "x86_64" -> "x86_64-linux-gnu";
            case "aarch64", "arm64" -> "aarch64-linux-gnu";
            default -> throw new IllegalArgumentException("no Debian multiarch triplet for os.arch=" + osArch
                    + ": Quiver runs on Linux on x86-64 (amd64) and arm64 (aarch64)");
        };
    }

    /** {@code /usr/lib/<triplet>/<fileName>} for this JVM's architecture, e.g. {@code libmimalloc.so.2}. */
    public static Path library(String fileName) {
        return Path.of("/usr/lib", triplet(System.getProperty("os.arch")), fileName);
    }
}
