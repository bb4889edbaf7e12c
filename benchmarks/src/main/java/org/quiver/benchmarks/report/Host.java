package org.quiver.benchmarks.report;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The machine a run measured, as {@code org.quiver.benchmarks.HostInfo} wrote it beside the JSON
 * ({@code <run>.host.txt}: one {@code key: value} a line), shown at the top of the report: a figure means nothing
 * without its CPU, cores, JDK and downcall choice.
 *
 * @param file the host file's name
 * @param fields its fields in file order; the key is what precedes the first {@code ": "}
 */
public record Host(String file, Map<String, String> fields) {

    /**
     * The host file beside a result file: {@code 2026-12-01-quick.json} has {@code 2026-12-01-quick.host.txt}.
     *
     * @param results the JMH JSON file
     * @return the path of its host file (which may not exist)
     */
    public static Path besides(Path results) {
        String name = results.getFileName().toString();
        String stem = name.endsWith(".json") ? name.substring(0, name.length() - 5) : name;
        return results.resolveSibling(stem + ".host.txt");
    }

    /**
     * Reads a host file.
     *
     * @param file the file
     * @return the host, or null when there is no such file
     * @throws IOException if it exists but cannot be read
     */
    public static Host read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            return null;
        }
        Map<String, String> fields = new LinkedHashMap<>();
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            // ": " and not ':', since a key may hold "-XX:UseAVX".
            int colon = line.indexOf(": ");
            if (colon > 0) {
                fields.put(line.substring(0, colon).strip(), line.substring(colon + 2).strip());
            } else if (!line.isBlank()) {
                fields.put(line.strip(), "");
            }
        }
        return new Host(file.getFileName().toString(), Collections.unmodifiableMap(fields));
    }

    /**
     * The host as a Markdown table: CPU (with vendor), cores, vector extensions (AVX-512's many flags summed up), JDK,
     * OS, the downcall choice, then any other field as written.
     *
     * @return the table, ending in a blank line
     */
    public String markdown() {
        var rows = new ArrayList<String[]>();
        Map<String, String> rest = new LinkedHashMap<>(fields);
        String cpu = rest.remove("cpu");
        String vendor = rest.remove("vendor");
        if (cpu != null || vendor != null) {
            rows.add(new String[] {"CPU",
                (cpu == null ? "unknown" : cpu) + (vendor == null ? "" : " (" + vendor + ")")});
        }
        take(rest, "cores", "Cores", rows);
        String flags = rest.remove("vector flags");
        if (flags != null) {
            rows.add(new String[] {"Vector extensions", flagsSummary(flags)});
        }
        take(rest, "jdk", "JDK", rows);
        take(rest, "os", "OS", rows);
        for (String key : List.copyOf(rest.keySet())) {
            if (key.startsWith("short calls")) {
                // "short calls (this JVM's defaults; ...)": the parenthesis qualifies the value, keep it there.
                String qualifier = key.substring("short calls".length()).strip();
                rows.add(new String[] {"Allocators' short downcalls", rest.remove(key)
                        + (qualifier.isEmpty() ? "" : " " + qualifier)});
            }
        }
        rest.forEach((k, v) -> rows.add(new String[] {k, v}));

        var md = new StringBuilder("| Host (`" + file + "`) | |\n| --- | --- |\n");
        for (String[] row : rows) {
            md.append("| ").append(row[0].replace("|", "\\|")).append(" | ").append(row[1].replace("|", "\\|"))
                    .append(" |\n");
        }
        return md.append('\n').toString();
    }

    private static void take(Map<String, String> fields, String key, String name, List<String[]> rows) {
        String value = fields.remove(key);
        if (value != null) {
            rows.add(new String[] {name, value});
        }
    }

    /**
     * The vector flags, with AVX-512's extensions counted rather than listed: {@code sse4_2 avx avx2, AVX-512
     * (avx512f and 14 more)}.
     *
     * @param flags the flags, separated by blanks
     * @return the summary; {@code none} when there are none
     */
    static String flagsSummary(String flags) {
        List<String> plain = new ArrayList<>();
        List<String> avx512 = new ArrayList<>();
        for (String flag : flags.strip().split("\\s+")) {
            if (flag.startsWith("avx512")) {
                avx512.add(flag);
            } else if (!flag.isEmpty()) {
                plain.add(flag);
            }
        }
        String summary = String.join(" ", plain);
        if (!avx512.isEmpty()) {
            String first = avx512.contains("avx512f") ? "avx512f" : avx512.getFirst();
            summary += (summary.isEmpty() ? "" : ", ") + "AVX-512 (" + first
                    + (avx512.size() > 1 ? " and " + (avx512.size() - 1) + " more" : "") + ")";
        }
        return summary.isEmpty() ? "none" : summary;
    }
}
