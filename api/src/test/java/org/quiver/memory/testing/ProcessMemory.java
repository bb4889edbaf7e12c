package org.quiver.memory.testing;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** What the operating system says about this process's memory (Linux). */
public final class ProcessMemory {

    private ProcessMemory() {
    }

    /** Resident memory in bytes, from {@code /proc/self/statm}. */
    public static long residentBytes() {
        try {
            String[] statm = Files.readString(Path.of("/proc/self/statm")).trim().split("\\s+");
            return Long.parseLong(statm[1]) * 4096;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Whether {@code fileName} is mapped into this process, from {@code /proc/self/maps}. */
    public static boolean mapped(String fileName) {
        try {
            return Files.readAllLines(Path.of("/proc/self/maps")).stream().anyMatch(l -> l.endsWith(fileName));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
