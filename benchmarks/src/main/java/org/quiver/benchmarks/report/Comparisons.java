package org.quiver.benchmarks.report;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import com.fasterxml.jackson.annotation.JsonProperty;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonMappingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.exc.InvalidFormatException;
import com.fasterxml.jackson.databind.exc.UnrecognizedPropertyException;
import com.fasterxml.jackson.databind.exc.ValueInstantiationException;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import com.fasterxml.jackson.databind.node.TextNode;

/**
 * What the report compares and which targets it checks, as data: by default the resource {@value #RESOURCE} beside
 * this class. Adding a contender, a chart or a target is an edit of that file; {@link Report} only renders what it
 * says.
 *
 * <p>The file is JSON with two lists, {@code targets} (the table at the top of the report) and {@code sections} (a
 * heading, a paragraph and charts with their tables each). To keep it short, any element of a list may carry a
 * {@code forEach} object of variables and their values, e.g. {@code {"backend": ["system", "jemalloc"], "size":
 * ["64", "4096"]}}: the element is repeated for every combination (the first variable outermost), with
 * {@code ${backend}} in its strings replaced by the value, and {@code ${size:bytes}} by the value as a size
 * ({@code 4 KiB}). A value may also be an object, whose fields are then {@code ${name.field}}: that pairs a label
 * with a method name. An unknown key, kind or variable fails the whole file with a message naming it, so that a
 * typo never turns a target into a silent "not measured".
 *
 * @param targets the targets, in the order of the table
 * @param sections the sections, in the order of the report
 */
public record Comparisons(List<Target> targets, List<Section> sections) {

    /** The resource, beside this class, that {@link #standard()} reads. */
    public static final String RESOURCE = "comparisons.json";

    private static final Pattern NAME = Pattern.compile("[A-Za-z][A-Za-z0-9]*");
    private static final Pattern VARIABLE =
            Pattern.compile("\\$\\{([A-Za-z][A-Za-z0-9]*(?:\\.[A-Za-z][A-Za-z0-9]*)?)(?::([a-z]+))?}");

    /** Checks that both lists are there. */
    public Comparisons {
        targets = List.copyOf(require(targets, "targets", "the file"));
        sections = List.copyOf(require(sections, "sections", "the file"));
    }

    /**
     * One benchmark result to look for: a benchmark method with parameters and a thread count.
     *
     * @param benchmark the simple class name and method, e.g. {@code AllocateBenchmark.quiver} or
     *     {@code AllocateBenchmark.Arrow.rootAllocator}
     * @param params parameters the result must have (it may have more); none when absent
     * @param threads the thread count the result must have; 1 when absent
     * @param or another result to use when this one is not in the run, or null
     */
    public record Ref(String benchmark, Map<String, String> params, Integer threads, Ref or) {

        /** Checks the name and fills in the defaults. */
        public Ref {
            require(benchmark, "benchmark", "a result reference");
            if (benchmark.lastIndexOf('.') <= 0 || benchmark.endsWith(".")) {
                throw new IllegalArgumentException("\"benchmark\": \"" + benchmark
                        + "\" is not Class.method (for example AllocateBenchmark.quiver)");
            }
            params = params == null ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(params));
            threads = threads == null ? 1 : threads;
            if (threads < 1) {
                throw new IllegalArgumentException("\"threads\": " + threads + " in " + benchmark + " is below 1");
            }
        }

        /**
         * The simple class name, nested classes included.
         *
         * @return e.g. {@code AllocateBenchmark.Arrow}
         */
        public String className() {
            return benchmark.substring(0, benchmark.lastIndexOf('.'));
        }

        /**
         * The benchmark method.
         *
         * @return e.g. {@code rootAllocator}
         */
        public String method() {
            return benchmark.substring(benchmark.lastIndexOf('.') + 1);
        }

        /**
         * Whether a result is this benchmark with these parameters, whatever its thread count.
         *
         * @param r the result
         * @return true if it matches
         */
        public boolean matches(Result r) {
            return r.className().equals(className()) && r.method().equals(method()) && r.hasParams(params);
        }
    }

    /** What a target's number is and which way it reads. */
    public enum Kind {
        /** The subject's time over the baseline's: lower is better ({@code Quiver / raw pair}). */
        @JsonProperty("time ratio") TIME_RATIO("time ratio"),
        /** The baseline's time over the subject's: how many times faster the subject is. */
        @JsonProperty("times faster") TIMES_FASTER("times faster"),
        /** As {@link #TIMES_FASTER}, for a subject that need only keep up (1.0x is level). */
        @JsonProperty("relative speed") RELATIVE_SPEED("relative speed"),
        /** A secondary metric (such as failures) summed over results; not a ratio. */
        @JsonProperty("count") COUNT("count");

        private final String text;

        Kind(String text) {
            this.text = text;
        }

        @Override
        public String toString() {
            return text;
        }
    }

    /**
     * One target: a number computed from the run and the bound it must meet. With no bound the row is informational.
     *
     * @param label what is compared, as the table shows it (the kind is appended for ratios)
     * @param kind how the number is computed
     * @param subject for ratios: the contender judged
     * @param baseline for ratios: what it is judged against
     * @param atLeast the number must be at least this, or null
     * @param atMost the number must be at most this, or null
     * @param exactly the number must be exactly this, or null
     * @param metric for {@link Kind#COUNT}: the secondary metric to sum
     * @param of for {@link Kind#COUNT}: the results whose metric is summed (every thread count)
     */
    public record Target(String label, Kind kind, Ref subject, Ref baseline, Double atLeast, Double atMost,
            Double exactly, String metric, List<Ref> of) {

        /** Checks that the fields fit the kind and that at most one bound is given. */
        public Target {
            require(label, "label", "a target");
            require(kind, "kind", "target \"" + label + "\"");
            if (kind == Kind.COUNT) {
                require(metric, "metric", "count target \"" + label + "\"");
                of = List.copyOf(require(of, "of", "count target \"" + label + "\""));
                if (subject != null || baseline != null) {
                    throw new IllegalArgumentException("count target \"" + label
                            + "\" has \"subject\" or \"baseline\": a count sums \"metric\" over \"of\"");
                }
            } else {
                require(subject, "subject", kind + " target \"" + label + "\"");
                require(baseline, "baseline", kind + " target \"" + label + "\"");
                if (metric != null || of != null) {
                    throw new IllegalArgumentException(kind + " target \"" + label
                            + "\" has \"metric\" or \"of\", which only a count uses");
                }
                of = List.of();
            }
            int bounds = (atLeast == null ? 0 : 1) + (atMost == null ? 0 : 1) + (exactly == null ? 0 : 1);
            if (bounds > 1) {
                throw new IllegalArgumentException("target \"" + label
                        + "\" has more than one of \"atLeast\", \"atMost\" and \"exactly\"");
            }
        }

        /**
         * Whether the row only informs: it has no bound.
         *
         * @return true if there is nothing to meet
         */
        public boolean informational() {
            return atLeast == null && atMost == null && exactly == null;
        }
    }

    /**
     * A section of the report: a heading, a paragraph, and charts, each followed by its table.
     *
     * @param title the heading
     * @param text the paragraph under it, or null
     * @param charts the charts
     */
    public record Section(String title, String text, List<ChartSpec> charts) {

        /** Checks the title and the charts. */
        public Section {
            require(title, "title", "a section");
            charts = List.copyOf(require(charts, "charts", "section \"" + title + "\""));
        }
    }

    /** What a chart's bars are. */
    public enum ChartType {
        /** Each bar is a result's time per operation, with its error. */
        @JsonProperty("time") TIME,
        /** Each bar is a ratio of two results, as {@link Kind#TIMES_FASTER}. */
        @JsonProperty("ratio") RATIO,
        /** The bars are the percentiles of each result, grouped by percentile. */
        @JsonProperty("percentiles") PERCENTILES
    }

    /**
     * One chart, written as {@code <file>.png}, and the table under it.
     *
     * @param file the PNG's name without {@code .png}
     * @param title the chart's title, also the image's alternative text
     * @param type what the bars are
     * @param axis the value axis's label; for {@code time} charts "Time per operation (lower is better)" when absent
     * @param series the legend: the names of the bars' colours, Quiver's first; "Quiver" and "Peers" when absent
     * @param bars the bars, top to bottom
     * @param lines dashed reference lines, or none
     * @param percentiles for {@code percentiles} charts: the JMH percentile keys drawn, e.g. {@code "99.9"}
     * @param groupColumn for {@code ratio} charts: the table's heading for the bars' group
     * @param valueColumn for {@code ratio} charts: the table's heading for the ratio
     */
    public record ChartSpec(String file, String title, ChartType type, String axis, List<String> series,
            List<Bar> bars, List<Line> lines, List<String> percentiles, String groupColumn, String valueColumn) {

        /** Checks the bars against the type and the series, and fills in the defaults. */
        public ChartSpec {
            require(file, "file", "a chart");
            require(title, "title", "chart \"" + file + "\"");
            require(type, "type", "chart \"" + file + "\"");
            bars = List.copyOf(require(bars, "bars", "chart \"" + file + "\""));
            series = series == null ? List.of("Quiver", "Peers") : List.copyOf(series);
            lines = lines == null ? List.of() : List.copyOf(lines);
            percentiles = percentiles == null ? List.of() : List.copyOf(percentiles);
            if (axis == null) {
                axis = type == ChartType.RATIO ? "Ratio (higher is better)" : "Time per operation (lower is better)";
            }
            groupColumn = groupColumn == null ? "Group" : groupColumn;
            valueColumn = valueColumn == null ? "Ratio" : valueColumn;
            if (type == ChartType.PERCENTILES && percentiles.isEmpty()) {
                throw new IllegalArgumentException("percentiles chart \"" + file + "\" lists no \"percentiles\"");
            }
            for (Bar bar : bars) {
                if (!series.contains(bar.series())) {
                    throw new IllegalArgumentException("bar \"" + bar.label() + "\" of chart \"" + file
                            + "\" has series \"" + bar.series() + "\", not one of " + series);
                }
                boolean ratio = bar.subject() != null || bar.baseline() != null;
                if (type == ChartType.RATIO && (bar.subject() == null || bar.baseline() == null
                        || bar.benchmark() != null)) {
                    throw new IllegalArgumentException("bar \"" + bar.label() + "\" of ratio chart \"" + file
                            + "\" needs \"subject\" and \"baseline\" and no \"benchmark\"");
                }
                if (type != ChartType.RATIO && (bar.benchmark() == null || ratio)) {
                    throw new IllegalArgumentException("bar \"" + bar.label() + "\" of " + type.name().toLowerCase()
                            + " chart \"" + file + "\" needs \"benchmark\" and no \"subject\" or \"baseline\"");
                }
            }
        }
    }

    /**
     * One bar (or, in a {@code time} chart, one bar per result found: a run with several thread counts gives one each).
     *
     * @param group the heading it is drawn under, or null; consecutive bars of one group share it
     * @param label its name in the chart and the table
     * @param series which colour, one of the chart's series
     * @param benchmark for {@code time} and {@code percentiles} charts: the result, as in {@link Ref#benchmark()}
     * @param params for {@code time} and {@code percentiles} charts: as in {@link Ref#params()}
     * @param threads for {@code time} and {@code percentiles} charts: the thread count expected (the label says
     *     when a result has another)
     * @param subject for {@code ratio} charts: the contender judged
     * @param baseline for {@code ratio} charts: what it is judged against
     */
    public record Bar(String group, String label, String series, String benchmark, Map<String, String> params,
            Integer threads, Ref subject, Ref baseline) {

        /** Checks the label and the series. */
        public Bar {
            group = group == null ? "" : group;
            require(label, "label", "a bar");
            require(series, "series", "bar \"" + label + "\"");
        }

        /**
         * The result this bar stands for.
         *
         * @return the reference
         * @throws IllegalStateException for a ratio bar
         */
        public Ref ref() {
            if (benchmark == null) {
                throw new IllegalStateException("bar \"" + label + "\" is a ratio");
            }
            return new Ref(benchmark, params, threads, null);
        }
    }

    /**
     * A dashed vertical line across a chart.
     *
     * @param value where it is drawn
     * @param label its name in the legend
     * @param kind {@code target} (red) or {@code ideal} (green)
     */
    public record Line(double value, String label, LineKind kind) {

        /** Checks the label and the kind. */
        public Line {
            require(label, "label", "a line");
            require(kind, "kind", "line \"" + label + "\"");
        }
    }

    /** The colour of a reference line. */
    public enum LineKind {
        /** A target to reach. */
        @JsonProperty("target") TARGET,
        /** The best possible. */
        @JsonProperty("ideal") IDEAL
    }

    /**
     * Reads the comparisons that ship with the report.
     *
     * @return the comparisons of {@value #RESOURCE}
     * @throws IllegalArgumentException if the resource is not valid (a build that ships it broken)
     */
    public static Comparisons standard() {
        try (InputStream in = Comparisons.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing beside " + Comparisons.class.getName());
            }
            return read(in, RESOURCE);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * Reads a comparisons file.
     *
     * @param in the file's bytes (UTF-8 JSON)
     * @param name the file's name, for messages
     * @return the comparisons
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not JSON, has an unknown key, kind or variable, or misses a field;
     *     the message names the file, the key and where it is
     */
    public static Comparisons read(InputStream in, String name) throws IOException {
        ObjectMapper mapper = new ObjectMapper()
                .enable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
                .enable(DeserializationFeature.FAIL_ON_NULL_FOR_PRIMITIVES);
        JsonNode tree;
        try {
            tree = mapper.readTree(in);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException(name + " is not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (tree == null || !tree.isObject()) {
            throw new IllegalArgumentException(name + " must hold a JSON object with \"targets\" and \"sections\"");
        }
        JsonNode expanded;
        try {
            expanded = expand(tree, Map.of());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        try {
            return mapper.treeToValue(expanded, Comparisons.class);
        } catch (UnrecognizedPropertyException e) {
            throw new IllegalArgumentException(name + ": unknown key \"" + e.getPropertyName() + "\" in "
                    + where(expanded, e.getPath().subList(0, e.getPath().size() - 1)) + "; the keys there are "
                    + new TreeSet<>(e.getKnownPropertyIds().stream().map(String::valueOf).toList()), e);
        } catch (InvalidFormatException e) {
            throw new IllegalArgumentException(name + ": " + e.getValue() + " is not a valid "
                    + e.getTargetType().getSimpleName() + " in " + where(expanded, e.getPath()) + ": "
                    + e.getOriginalMessage(), e);
        } catch (ValueInstantiationException e) {
            Throwable cause = e.getCause() == null ? e : e.getCause();
            throw new IllegalArgumentException(name + ": " + cause.getMessage() + " (in "
                    + where(expanded, e.getPath()) + ")", e);
        } catch (JsonMappingException e) {
            throw new IllegalArgumentException(name + ": " + e.getOriginalMessage() + " in "
                    + where(expanded, e.getPath()), e);
        }
    }

    /**
     * Where a mapping error is: its path, e.g. {@code targets[3]}, and the label of the innermost labelled element
     * (indexes count after {@code forEach} expansion, so the label is what finds it in the file).
     */
    private static String where(JsonNode root, List<JsonMappingException.Reference> refs) {
        StringBuilder path = new StringBuilder();
        JsonNode node = root;
        String label = null;
        for (JsonMappingException.Reference ref : refs) {
            if (ref.getFieldName() != null) {
                path.append(path.isEmpty() ? "" : ".").append(ref.getFieldName());
                node = node == null ? null : node.get(ref.getFieldName());
            } else if (ref.getIndex() >= 0) {
                path.append('[').append(ref.getIndex()).append(']');
                node = node == null ? null : node.get(ref.getIndex());
            }
            if (node != null && node.isObject()) {
                for (String key : List.of("label", "title", "file", "benchmark")) {
                    if (node.path(key).isTextual()) {
                        label = node.path(key).asText();
                        break;
                    }
                }
            }
        }
        String at = path.isEmpty() ? "the top level" : path.toString();
        return label == null ? at : at + " (\"" + label + "\")";
    }

    /** Repeats every list element that has a {@code forEach}, and replaces the variables in every string. */
    private static JsonNode expand(JsonNode node, Map<String, String> variables) {
        if (node.isObject()) {
            ObjectNode copy = JsonNodeFactory.instance.objectNode();
            for (var field : node.properties()) {
                if (field.getKey().equals("forEach")) {
                    throw new IllegalArgumentException("\"forEach\" outside a list, in " + node);
                }
                copy.set(field.getKey(), expand(field.getValue(), variables));
            }
            return copy;
        }
        if (node.isArray()) {
            ArrayNode copy = JsonNodeFactory.instance.arrayNode();
            for (JsonNode element : node) {
                if (element.isObject() && element.has("forEach")) {
                    ObjectNode template = ((ObjectNode) element).deepCopy();
                    JsonNode forEach = template.remove("forEach");
                    for (Map<String, String> combination : combinations(forEach, variables)) {
                        copy.add(expand(template, combination));
                    }
                } else {
                    copy.add(expand(element, variables));
                }
            }
            return copy;
        }
        if (node.isTextual()) {
            return TextNode.valueOf(substitute(node.textValue(), variables));
        }
        return node;
    }

    /** Every combination of a {@code forEach}'s values, the first variable outermost, on top of the outer ones. */
    private static List<Map<String, String>> combinations(JsonNode forEach, Map<String, String> outer) {
        if (!forEach.isObject() || forEach.isEmpty()) {
            throw new IllegalArgumentException("\"forEach\" must be an object of variables and their values, not "
                    + forEach);
        }
        List<Map<String, String>> result = new ArrayList<>();
        result.add(new LinkedHashMap<>(outer));
        Set<String> seen = new HashSet<>();
        for (var variable : forEach.properties()) {
            String name = variable.getKey();
            if (!NAME.matcher(name).matches() || !seen.add(name) || outer.containsKey(name)) {
                throw new IllegalArgumentException("\"forEach\" variable \"" + name
                        + "\" is not a name, or already defined by an outer forEach");
            }
            if (!variable.getValue().isArray() || variable.getValue().isEmpty()) {
                throw new IllegalArgumentException("\"forEach\" variable \"" + name + "\" needs a non-empty list");
            }
            List<Map<String, String>> next = new ArrayList<>();
            for (Map<String, String> partial : result) {
                for (JsonNode value : variable.getValue()) {
                    Map<String, String> combination = new LinkedHashMap<>(partial);
                    if (value.isValueNode()) {
                        combination.put(name, value.asText());
                    } else if (value.isObject()) {
                        // An object gives several variables at once: {"method": "quiver"} is ${name.method}.
                        for (var field : value.properties()) {
                            if (!NAME.matcher(field.getKey()).matches() || !field.getValue().isValueNode()) {
                                throw new IllegalArgumentException("\"forEach\" variable \"" + name
                                        + "\" has a field that is not a name with a string or number: " + field);
                            }
                            combination.put(name + "." + field.getKey(), field.getValue().asText());
                        }
                    } else {
                        throw new IllegalArgumentException("\"forEach\" variable \"" + name
                                + "\" has a value that is neither a string, a number nor an object: " + value);
                    }
                    next.add(combination);
                }
            }
            result = next;
        }
        return result;
    }

    private static String substitute(String text, Map<String, String> variables) {
        Matcher m = VARIABLE.matcher(text);
        StringBuilder out = new StringBuilder();
        while (m.find()) {
            String value = variables.get(m.group(1));
            if (value == null) {
                throw new IllegalArgumentException("unknown variable ${" + m.group(1) + "} in \"" + text
                        + "\" (defined here: " + variables.keySet() + ")");
            }
            String format = m.group(2);
            if (format != null && !format.equals("bytes")) {
                throw new IllegalArgumentException("unknown format :" + format + " in \"" + text
                        + "\" (the one format is :bytes)");
            }
            m.appendReplacement(out, Matcher.quoteReplacement(format == null ? value : bytes(value, text)));
        }
        m.appendTail(out);
        if (out.indexOf("${") >= 0) {
            throw new IllegalArgumentException("malformed variable in \"" + text + "\"");
        }
        return out.toString();
    }

    /** A size as people write it: 64 B, 4 KiB, 1 MiB, 1 GiB (binary units, exact multiples only). */
    static String bytes(String value, String context) {
        long n;
        try {
            n = Long.parseLong(value);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("${...:bytes} of \"" + value + "\" in \"" + context
                    + "\": not a whole number of bytes", e);
        }
        String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
        int unit = 0;
        while (unit < units.length - 1 && n != 0 && n % 1024 == 0) {
            n /= 1024;
            unit++;
        }
        return n + " " + units[unit];
    }

    private static <T> T require(T value, String key, String where) {
        if (value == null) {
            throw new IllegalArgumentException(where + " has no \"" + key + "\"");
        }
        return value;
    }
}
