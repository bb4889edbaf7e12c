package org.quiver.benchmarks;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import org.quiver.internal.kit.Downcalls;

/**
 * Prints the host a run measured: CPU model, vendor, cores, the vector extensions the JIT may use, the JDK, and
 * whether the allocators' short calls are critical downcalls here ({@link Downcalls#shortCall()}), because a
 * figure means nothing without the machine it came from. {@code benchmarks/bench} writes it beside each result.
 */
public final class HostInfo {

    private HostInfo() {
    }

    public static void main(String[] args) throws IOException {
        List<String> cpu = Files.exists(Path.of("/proc/cpuinfo")) ? Files.readAllLines(Path.of("/proc/cpuinfo"))
                : List.of();
        System.out.println("cpu: " + field(cpu, "model name"));
        System.out.println("vendor: " + field(cpu, "vendor_id"));
        System.out.println("cores: " + Runtime.getRuntime().availableProcessors());
        String flags = field(cpu, "flags");
        System.out.println("vector flags: " + String.join(" ", Stream.of(flags.split("\\s+"))
                .filter(f -> f.startsWith("avx") || f.startsWith("sse4") || f.equals("asimd") || f.startsWith("sve"))
                .toList()));
        System.out.println("jdk: " + System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name")
                + " " + System.getProperty("java.vm.version"));
        System.out.println("os: " + System.getProperty("os.name") + " " + System.getProperty("os.version") + " "
                + System.getProperty("os.arch"));
        System.out.println("short calls (this JVM's defaults; a fork's -XX:UseAVX may differ): "
                + Downcalls.criticalDecision().reason());
    }

    private static String field(List<String> cpuinfo, String key) {
        for (String line : cpuinfo) {
            int colon = line.indexOf(':');
            if (colon > 0 && line.substring(0, colon).trim().equals(key)) {
                return line.substring(colon + 1).trim();
            }
        }
        return "unknown";
    }
}
