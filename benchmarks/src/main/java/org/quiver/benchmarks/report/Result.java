package org.quiver.benchmarks.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * One JMH result (one entry of a {@code -rf json} file), with its score normalised to time per operation in
 * nanoseconds. Also holds the formatting of times, so that every table and chart prints them alike.
 *
 * @param className the simple class name, with nested classes: {@code AllocateBenchmark.Arrow}
 * @param method the benchmark method
 * @param mode JMH's mode: {@code thrpt}, {@code avgt}, {@code sample} or {@code ss}
 * @param threads the number of threads
 * @param params the JMH parameters, in file order (empty if none)
 * @param score the primary score, in {@code unit}
 * @param error the primary score's error, in {@code unit} ({@code NaN} when JMH has none)
 * @param unit the primary score's unit, e.g. {@code ops/us} or {@code ns/op}
 * @param percentiles the primary score's percentiles, e.g. {@code "99.9"}, in {@code unit}
 * @param secondary the secondary metrics, in file order
 * @param environment the JMH version, JDK version, VM name and version, for the report's header
 */
public record Result(String className, String method, String mode, int threads, Map<String, String> params,
        double score, double error, String unit, Map<String, Double> percentiles, Map<String, Metric> secondary,
        String environment) {

    /**
     * A secondary metric.
     *
     * @param score the score
     * @param unit the unit
     */
    public record Metric(double score, String unit) {
    }

    /**
     * Reads one entry of a JMH JSON file.
     *
     * @param entry the entry, a JSON object
     * @return the result
     * @throws IllegalArgumentException if the entry is not an object or has no benchmark name or primary metric
     */
    public static Result of(JsonNode entry) {
        if (!entry.isObject()) {
            throw new IllegalArgumentException("not an object");
        }
        String benchmark = entry.path("benchmark").asText("");
        JsonNode primary = entry.path("primaryMetric");
        if (benchmark.isEmpty() || !primary.isObject() || primary.isEmpty()) {
            throw new IllegalArgumentException("an entry without \"benchmark\" or \"primaryMetric\"");
        }
        // The simple class name starts at the first segment in upper case (packages are lower case by convention).
        List<String> segments = List.of(benchmark.split("\\."));
        int first = 0;
        while (first < segments.size() - 2) {
            String segment = segments.get(first);
            if (!segment.isEmpty() && Character.isUpperCase(segment.charAt(0))) {
                break;
            }
            first++;
        }
        String className = String.join(".", segments.subList(first, segments.size() - 1));
        String method = segments.getLast();

        Map<String, String> params = new LinkedHashMap<>();
        entry.path("params").properties().forEach(e -> params.put(e.getKey(), e.getValue().asText()));
        Map<String, Double> percentiles = new LinkedHashMap<>();
        primary.path("scorePercentiles").properties().forEach(e -> percentiles.put(e.getKey(), number(e.getValue())));
        Map<String, Metric> secondary = new LinkedHashMap<>();
        entry.path("secondaryMetrics").properties().forEach(e -> secondary.put(e.getKey(),
                new Metric(number(e.getValue().path("score")), e.getValue().path("scoreUnit").asText(""))));
        double threads = number(entry.path("threads"));
        List<String> environment = new ArrayList<>();
        for (String[] field : new String[][] {{"JMH ", "jmhVersion"}, {"JDK ", "jdkVersion"}, {"", "vmName"}}) {
            String value = entry.path(field[1]).asText("");
            if (!value.isEmpty()) {
                environment.add(field[0] + value + (field[1].equals("vmName")
                        ? " " + entry.path("vmVersion").asText("") : ""));
            }
        }
        return new Result(className, method, entry.path("mode").asText(""), Double.isNaN(threads) ? 1 : (int) threads,
                Collections.unmodifiableMap(params), number(primary.path("score")),
                number(primary.path("scoreError")), primary.path("scoreUnit").asText(""),
                Collections.unmodifiableMap(percentiles), Collections.unmodifiableMap(secondary),
                String.join(", ", environment).strip());
    }

    /**
     * A number of JMH's JSON: a JSON number, or a string such as {@code "NaN"} or {@code "Infinity"}, which is how JMH
     * writes a value it does not have (the error of a single iteration).
     *
     * @param node the value
     * @return the number, or {@link Double#NaN} when missing or not a number
     */
    static double number(JsonNode node) {
        if (node.isNumber()) {
            return node.doubleValue();
        }
        if (node.isTextual()) {
            try {
                return Double.parseDouble(node.textValue().strip());
            } catch (NumberFormatException e) {
                return Double.NaN;
            }
        }
        return Double.NaN;
    }

    /**
     * The time per operation. For a throughput, the time per operation of the aggregate: with two threads JMH sums
     * their throughputs, so this is the wall time of one operation of the pair.
     *
     * @return nanoseconds per operation, or {@code NaN} if the unit is unknown or the score not positive
     */
    public double nanos() {
        return toNanos(score);
    }

    /**
     * The error of {@link #nanos()}: for a throughput through its relative error, otherwise converted as the score.
     *
     * @return nanoseconds, or {@code NaN} when JMH has no error (a single iteration)
     */
    public double errorNanos() {
        if (throughputUnit() != null) {
            return nanos() * error / score;
        }
        return error * perOpUnitNanos();
    }

    /**
     * A percentile of the primary score as a time per operation.
     *
     * @param key the percentile as JMH names it, e.g. {@code "99.9"} or {@code "100.0"}
     * @return nanoseconds, or {@code NaN} if absent
     */
    public double percentileNanos(String key) {
        Double value = percentiles.get(key);
        return value == null ? Double.NaN : toNanos(value);
    }

    /**
     * Whether this result's parameters include all the given ones.
     *
     * @param wanted parameter names and values
     * @return true if every one is present with that value
     */
    public boolean hasParams(Map<String, String> wanted) {
        return wanted.entrySet().stream().allMatch(e -> e.getValue().equals(params.get(e.getKey())));
    }

    private double toNanos(double value) {
        String perTime = throughputUnit();
        double nanos = perTime != null ? unitNanos(perTime) / value : value * perOpUnitNanos();
        return Double.isFinite(nanos) && nanos >= 0 ? nanos : Double.NaN;
    }

    private String throughputUnit() {
        return unit.startsWith("ops/") ? unit.substring(4) : null;
    }

    private double perOpUnitNanos() {
        return unit.endsWith("/op") ? unitNanos(unit.substring(0, unit.length() - 3)) : Double.NaN;
    }

    private static double unitNanos(String unit) {
        return switch (unit) {
            case "ns" -> 1;
            case "us", "µs", "μs" -> 1e3;
            case "ms" -> 1e6;
            case "s" -> 1e9;
            case "min" -> 60e9;
            case "hr", "h" -> 3600e9;
            default -> Double.NaN;
        };
    }

    /**
     * Formats a time with a readable unit (ns, µs, ms or s) and three significant digits.
     *
     * @param nanos nanoseconds
     * @return e.g. {@code "87.3 ns"}, {@code "1.20 µs"} or {@code "3.05 ms"}; {@code "n/a"} for NaN
     */
    public static String formatNanos(double nanos) {
        if (!Double.isFinite(nanos)) {
            return "n/a";
        }
        if (nanos == 0) {
            return "0 ns";
        }
        double rounded = new BigDecimal(nanos).round(new MathContext(3)).doubleValue();
        double abs = Math.abs(rounded);
        record Scale(double nanos, String name) {
        }
        Scale scale = abs < 1e3 ? new Scale(1, "ns")
                : abs < 1e6 ? new Scale(1e3, "µs")
                : abs < 1e9 ? new Scale(1e6, "ms")
                : new Scale(1e9, "s");
        return significant(rounded / scale.nanos(), 3) + " " + scale.name();
    }

    /**
     * Formats a number with the given number of significant digits, without an exponent.
     *
     * @param value the number
     * @param digits significant digits
     * @return e.g. {@code "1.20"} or {@code "123"}
     */
    public static String significant(double value, int digits) {
        if (value == 0 || !Double.isFinite(value)) {
            return value == 0 ? "0" : "n/a";
        }
        double rounded = new BigDecimal(value).round(new MathContext(digits)).doubleValue();
        int magnitude = (int) Math.floor(Math.log10(Math.abs(rounded)));
        int decimals = Math.max(0, digits - 1 - magnitude);
        return String.format(Locale.ROOT, "%." + decimals + "f", rounded);
    }
}
