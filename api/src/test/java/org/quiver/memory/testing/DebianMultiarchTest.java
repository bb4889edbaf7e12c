package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Test;

/** The operating-system library folder by architecture: arm64 cannot be run here, so its mapping is checked. */
class DebianMultiarchTest {

    @Test
    void theJvmsArchitectureNamesGiveDebiansTriplets() {
        assertEquals("x86_64-linux-gnu", DebianMultiarch.triplet("amd64"));
        assertEquals("aarch64-linux-gnu", DebianMultiarch.triplet("aarch64"));
        // What uname -m and dpkg say, for anyone passing those.
        assertEquals("x86_64-linux-gnu", DebianMultiarch.triplet("x86_64"));
        assertEquals("aarch64-linux-gnu", DebianMultiarch.triplet("ARM64"));
    }

    @Test
    void anotherArchitectureIsNamedInTheError() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> DebianMultiarch.triplet("riscv64"));
        assertTrue(e.getMessage().contains("os.arch=riscv64"), e.getMessage());
    }

    @Test
    void thisMachinesLibcIsWhereTheTripletSays() {
        // Checks the mapping against the real folder of this JVM's architecture (CI runs on Debian).
        assumeTrue(Files.isRegularFile(Path.of("/etc/debian_version")), "not Debian or Ubuntu");
        Path libc = DebianMultiarch.library("libc.so.6");
        assertTrue(Files.isRegularFile(libc), libc + " for os.arch=" + System.getProperty("os.arch"));
    }
}
