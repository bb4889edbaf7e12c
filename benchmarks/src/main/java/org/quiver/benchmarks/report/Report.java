package org.quiver.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.openjdk.jmh.annotations.Benchmark;
import org.quiver.benchmarks.report.Comparisons.Bar;
import org.quiver.benchmarks.report.Comparisons.ChartSpec;
import org.quiver.benchmarks.report.Comparisons.Kind;
import org.quiver.benchmarks.report.Comparisons.Ref;
import org.quiver.benchmarks.report.Comparisons.Section;
import org.quiver.benchmarks.report.Comparisons.Target;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the benchmark report: PNG bar charts in
 * {@code <docs>/benchmarks/} and Markdown between the {@value #BEGIN} and {@value #END} lines of
 * {@code <docs>/benchmarks.md}, the targets table also on standard output. What is compared and which targets are
 * checked is data ({@link Comparisons}, {@code comparisons.json}); this class only renders it. Every score is
 * normalised to time per operation; results missing from the file are reported as "not measured", and results no
 * comparison names are listed under "Other results". The host file beside the JSON ({@link Host}) heads the report.
 *
 * <p>It reports, it does not judge: the exit code is 0 even when targets are missed, 2 when the result file or the
 * comparisons are missing or unreadable, 1 when the docs cannot be written.
 *
 * <p>Usage: {@code java -Djava.awt.headless=true -cp <classes> org.quiver.benchmarks.report.Report
 * [--targets-only] <results.json | runs-dir> <docs-dir>}; given a directory, the newest run in it (by name:
 * published runs are named {@code <date>-<mode>.json}, or {@code <date>T<hhmm>-<mode>.json} for a second run of a
 * day). With {@code --targets-only} only the targets table is
 * printed and nothing is written.
 */
public final class Report {

    /** The line that opens the generated part of {@code benchmarks.md}. */
    public static final String BEGIN = "<!-- results:begin -->";
    /** The line that closes the generated part of {@code benchmarks.md}. */
    public static final String END = "<!-- results:end -->";
    /** What a table or chart says for a result that is not in the run. */
    public static final String NOT_MEASURED = "not measured";
    /** Where published runs are committed, relative to the docs directory. */
    public static final String RUNS = "benchmarks/runs";

    private static final String BENCHMARK_PACKAGE = "org.quiver.benchmarks.";

    /**
     * A row of a table: a bar with one of its results, or with none.
     *
     * @param bar the contender
     * @param result the result, null when not measured
     */
    private record Row(Bar bar, Result result) {

        String label() {
            int expected = bar.ref().threads();
            int threads = result == null ? expected : result.threads();
            return bar.label() + (threads == expected ? "" : threads == 1 ? " (1 thread)"
                    : " (" + threads + " threads)");
        }

        String params() {
            return formatParams(result == null ? bar.ref().params() : result.params());
        }

        double nanos() {
            return result == null ? Double.NaN : result.nanos();
        }

        double errorNanos() {
            return result == null ? Double.NaN : result.errorNanos();
        }
    }

    /**
     * A target with the number the run gave it.
     *
     * @param target the target, as the comparisons say
     * @param measured the ratio or count, NaN when not measured
     */
    public record Outcome(Target target, double measured) {

        /**
         * The target's name in the table: its label, and for a ratio its kind.
         *
         * @return e.g. {@code Allocate: Quiver jemalloc 64 B vs raw FFM pair (time ratio)}
         */
        public String name() {
            return target.label() + (target.kind() == Kind.COUNT ? "" : " (" + target.kind() + ")");
        }

        /**
         * Whether the run has the results the number needs.
         *
         * @return false when "not measured"
         */
        public boolean measuredAtAll() {
            return Double.isFinite(measured);
        }

        /**
         * Whether the number meets the bound; an informational row always does.
         *
         * @return true if met (false when not measured)
         */
        public boolean met() {
            if (!measuredAtAll()) {
                return false;
            }
            if (target.atLeast() != null) {
                return measured >= target.atLeast();
            }
            if (target.atMost() != null) {
                return measured <= target.atMost();
            }
            return target.exactly() == null || measured == target.exactly();
        }

        /**
         * The number as the table shows it.
         *
         * @return e.g. {@code 1.43x}, {@code 0}, or {@value Report#NOT_MEASURED}
         */
        public String measuredText() {
            return !measuredAtAll() ? NOT_MEASURED : format(measured);
        }

        /**
         * The bound as the table shows it.
         *
         * @return e.g. {@code ≥ 1.50x}; {@code -} for an informational row
         */
        public String requiredText() {
            if (target.atLeast() != null) {
                return "≥ " + format(target.atLeast());
            }
            if (target.atMost() != null) {
                return "≤ " + format(target.atMost());
            }
            return target.exactly() != null ? "= " + format(target.exactly()) : "-";
        }

        /**
         * Whether met, as the table shows it.
         *
         * @return ✅, ❌, {@code info}, or {@value Report#NOT_MEASURED}
         */
        public String metText() {
            return !measuredAtAll() ? NOT_MEASURED : target.informational() ? "info" : met() ? "✅" : "❌";
        }

        private String format(double value) {
            return target.kind() == Kind.COUNT ? formatCount(value) : ratio(value);
        }
    }

    /**
     * A chart to write, and the file it goes to.
     *
     * @param name the file name without {@code .png}
     * @param chart the chart
     */
    public record Figure(String name, BarChart chart) {
    }

    private final List<Result> results;
    private final Set<Result> used = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Outcome> outcomes = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();

    private Report(List<Result> results, Comparisons comparisons) {
        this.results = List.copyOf(results);
        for (Target target : comparisons.targets()) {
            outcomes.add(new Outcome(target, measure(target)));
        }
        for (Section section : comparisons.sections()) {
            section(section);
        }
        others();
    }

    /**
     * Builds the report of a run: the targets, the sections' charts and tables, and the results no section names.
     *
     * @param results the run's results
     * @param comparisons what to compare
     * @return the report, ready to write
     */
    public static Report of(List<Result> results, Comparisons comparisons) {
        return new Report(results, comparisons);
    }

    /**
     * Writes the report.
     *
     * @param args {@code [--targets-only]}, the JMH JSON result file (or a directory of runs, for its newest), and
     *     the docs directory
     */
    public static void main(String[] args) {
        List<String> arguments = new ArrayList<>(List.of(args));
        boolean targetsOnly = arguments.remove("--targets-only");
        if (arguments.size() != 2) {
            System.err.println("usage: Report [--targets-only] <results.json | runs-dir> <docs-dir>");
            System.exit(2);
        }
        Path docs = Path.of(arguments.get(1));
        Path resultsFile;
        List<Result> results;
        Comparisons comparisons;
        Host host;
        try {
            resultsFile = resolve(Path.of(arguments.get(0)));
            results = load(resultsFile);
            host = Host.read(Host.besides(resultsFile));
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("Report: cannot read the JMH results " + arguments.get(0) + ": " + describe(e));
            System.exit(2);
            return;
        }
        try {
            comparisons = Comparisons.standard();
        } catch (IllegalArgumentException | IllegalStateException | UncheckedIOException e) {
            System.err.println("Report: cannot read the comparisons: " + describe(e));
            System.exit(2);
            return;
        }
        for (String missing : unknownBenchmarks(comparisons)) {
            System.err.println("Report: " + Comparisons.RESOURCE + " names " + missing
                    + ", which is no @Benchmark method of this build: it shows as not measured");
        }
        Report report = of(results, comparisons);
        System.err.println("Report: " + resultsFile + ", " + results.size() + " results");
        if (!targetsOnly) {
            if (host == null) {
                System.err.println("Report: no " + Host.besides(resultsFile).getFileName()
                        + " beside the results: the report cannot say which machine it measured");
            }
            if (!resultsFile.toAbsolutePath().normalize().startsWith(docs.resolve(RUNS).toAbsolutePath().normalize())) {
                System.err.println("Report: " + resultsFile + " is not a published run (" + docs.resolve(RUNS)
                        + "): nobody can regenerate this page from it; use benchmarks/bench publish");
            }
            try {
                report.write(docs, source(resultsFile, docs), host);
                System.err.println("Report: wrote " + docs.resolve("benchmarks.md") + " and " + report.figures.size()
                        + " charts in " + docs.resolve("benchmarks"));
            } catch (IOException | UncheckedIOException | IllegalStateException e) {
                System.err.println("Report: cannot write the report into " + docs + ": " + describe(e));
                System.exit(1);
            }
        }
        System.out.print(report.consoleTargets());
    }

    /**
     * The result file a path names: the path itself, or for a directory the newest {@code .json} in it by name.
     *
     * @param path a file or a directory of runs
     * @return the result file
     * @throws IOException if the directory holds no {@code .json}, or the path does not exist
     */
    public static Path resolve(Path path) throws IOException {
        if (!Files.isDirectory(path)) {
            return path;
        }
        try (Stream<Path> files = Files.list(path)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".json") && Files.isRegularFile(p))
                    .max(Comparator.comparing(p -> p.getFileName().toString()))
                    .orElseThrow(() -> new IOException("no run (*.json) in " + path
                            + "; publish one with benchmarks/bench publish"));
        }
    }

    /**
     * Reads a JMH JSON result file. Entries that are not benchmark results are skipped with a warning.
     *
     * @param file the file
     * @return the results, in file order
     * @throws IOException if it cannot be read
     * @throws IllegalArgumentException if it is not JSON, or JSON but not an array
     */
    public static List<Result> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        JsonNode root;
        try {
            root = new ObjectMapper().readTree(file.toFile());
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("not JSON: " + e.getOriginalMessage() + " at line "
                    + e.getLocation().getLineNr() + ", column " + e.getLocation().getColumnNr(), e);
        }
        if (root == null || !root.isArray()) {
            throw new IllegalArgumentException("not a JMH result file: expected a JSON array at the top level");
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < root.size(); i++) {
            try {
                results.add(Result.of(root.get(i)));
            } catch (IllegalArgumentException e) {
                System.err.println("Report: skipping entry " + i + " of " + file + ": " + e.getMessage());
            }
        }
        return results;
    }

    /**
     * The benchmarks the comparisons name that this build does not have, so that a renamed or misspelt method is
     * reported rather than shown as "not measured" forever.
     *
     * @param comparisons the comparisons
     * @return {@code Class.method} names with no {@code @Benchmark} method in {@code org.quiver.benchmarks}
     */
    public static Set<String> unknownBenchmarks(Comparisons comparisons) {
        Set<String> unknown = new TreeSet<>();
        for (Ref ref : refs(comparisons)) {
            for (Ref r = ref; r != null; r = r.or()) {
                if (!benchmarkExists(r)) {
                    unknown.add(r.benchmark());
                }
            }
        }
        return unknown;
    }

    private static List<Ref> refs(Comparisons comparisons) {
        List<Ref> refs = new ArrayList<>();
        for (Target t : comparisons.targets()) {
            Stream.of(t.subject(), t.baseline()).filter(r -> r != null).forEach(refs::add);
            refs.addAll(t.of());
        }
        for (Section s : comparisons.sections()) {
            for (ChartSpec c : s.charts()) {
                for (Bar b : c.bars()) {
                    Stream.of(b.subject(), b.baseline()).filter(r -> r != null).forEach(refs::add);
                    if (b.benchmark() != null) {
                        refs.add(b.ref());
                    }
                }
            }
        }
        return refs;
    }

    private static boolean benchmarkExists(Ref ref) {
        try {
            Class<?> type = Class.forName(BENCHMARK_PACKAGE + ref.className().replace('.', '$'), false,
                    Report.class.getClassLoader());
            for (Method m : type.getMethods()) {
                if (m.getName().equals(ref.method()) && m.isAnnotationPresent(Benchmark.class)) {
                    return true;
                }
            }
            return false;
        } catch (ClassNotFoundException e) {
            return false;
        }
    }

    /**
     * Writes {@code benchmarks.md}'s generated part and the charts.
     *
     * @param docs the docs directory: {@code benchmarks.md} in it, the charts in {@code benchmarks/}
     * @param source the result file's name as the report shows it
     * @param host the machine, or null when unknown
     * @throws IOException if a file cannot be written
     * @throws IllegalStateException if {@code benchmarks.md} has unpaired markers
     */
    public void write(Path docs, String source, Host host) throws IOException {
        Path md = docs.resolve("benchmarks.md");
        String existing = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : null;
        String updated = splice(existing, markdown(source, host));
        Path charts = docs.resolve("benchmarks");
        Files.createDirectories(charts);
        for (Figure f : figures) {
            f.chart().write(charts.resolve(f.name() + ".png"));
        }
        Files.writeString(md, updated, StandardCharsets.UTF_8);
    }

    /**
     * The targets with their numbers, in the order of the comparisons.
     *
     * @return the outcomes
     */
    public List<Outcome> outcomes() {
        return List.copyOf(outcomes);
    }

    /**
     * The charts, in the order of the report.
     *
     * @return the figures
     */
    public List<Figure> figures() {
        return List.copyOf(figures);
    }

    /**
     * Replaces the generated part of {@code benchmarks.md}, keeping everything outside the markers.
     *
     * @param existing the file's text, or null if there is no file
     * @param block the new generated part, from the {@value #BEGIN} line to the {@value #END} line
     * @return the new text: with no file, a {@code # Benchmarks} heading and the block; with no markers, the file
     *     with the block appended
     * @throws IllegalStateException if the file has one marker without the other, or in the wrong order
     */
    public static String splice(String existing, String block) {
        if (existing == null) {
            return "# Benchmarks\n\n" + block + "\n";
        }
        if (existing.contains("\r\n")) {
            block = block.replace("\n", "\r\n");
        }
        Matcher begin = marker(BEGIN).matcher(existing);
        Matcher end = marker(END).matcher(existing);
        boolean hasBegin = begin.find();
        boolean hasEnd = end.find(hasBegin ? begin.end() : 0);
        if (!hasBegin && !hasEnd) {
            String newline = existing.contains("\r\n") ? "\r\n" : "\n";
            String separator = existing.isEmpty() ? "" : existing.endsWith("\n") ? newline : newline + newline;
            return existing + separator + block + newline;
        }
        if (!hasBegin || !hasEnd) {
            throw new IllegalStateException("benchmarks.md has " + BEGIN + " and " + END
                    + " unpaired or out of order; fix the markers by hand");
        }
        return existing.substring(0, begin.start()) + block + existing.substring(end.end());
    }

    private static Pattern marker(String marker) {
        return Pattern.compile("(?m)^[ \\t]*" + Pattern.quote(marker) + "[ \\t]*$");
    }

    private static String describe(Exception e) {
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }

    /** The result file's name as the report shows it: relative to the repository when inside it. */
    private static String source(Path resultsFile, Path docs) {
        Path file = resultsFile.toAbsolutePath().normalize();
        Path root = docs.toAbsolutePath().normalize().getParent();
        if (root != null && file.startsWith(root)) {
            return root.relativize(file).toString().replace('\\', '/');
        }
        return String.valueOf(file.getFileName());
    }

    // ---------------------------------------------------------------------------------------------------------
    // Targets
    // ---------------------------------------------------------------------------------------------------------

    private double measure(Target target) {
        return switch (target.kind()) {
            case TIME_RATIO -> time(target.subject()) / time(target.baseline());
            case TIMES_FASTER, RELATIVE_SPEED -> time(target.baseline()) / time(target.subject());
            case COUNT -> count(target.metric(), target.of());
        };
    }

    /** The time per operation of the first result of a reference with its thread count, else of its fallback. */
    private double time(Ref ref) {
        for (Ref r = ref; r != null; r = r.or()) {
            for (Result result : results) {
                if (r.matches(result) && result.threads() == r.threads()) {
                    return result.nanos();
                }
            }
        }
        return Double.NaN;
    }

    /** A secondary metric summed over every result of the references; NaN when none of them has it. */
    private double count(String metric, List<Ref> refs) {
        double sum = Double.NaN;
        for (Ref ref : refs) {
            for (Result result : results) {
                Result.Metric m = ref.matches(result) ? result.secondary().get(metric) : null;
                if (m != null) {
                    sum = (Double.isNaN(sum) ? 0 : sum) + m.score();
                }
            }
        }
        return sum;
    }

    // ---------------------------------------------------------------------------------------------------------
    // Sections
    // ---------------------------------------------------------------------------------------------------------

    private void section(Section section) {
        body.append("### ").append(section.title()).append("\n\n");
        if (section.text() != null && !section.text().isBlank()) {
            body.append(section.text().strip()).append("\n\n");
        }
        for (ChartSpec chart : section.charts()) {
            switch (chart.type()) {
                case TIME -> timeChart(chart);
                case RATIO -> ratioChart(chart);
                case PERCENTILES -> percentileChart(chart);
            }
        }
    }

    private List<BarChart.Series> series(ChartSpec chart) {
        List<BarChart.Series> series = new ArrayList<>();
        for (int i = 0; i < chart.series().size(); i++) {
            series.add(new BarChart.Series(chart.series().get(i), i == 0 ? BarChart.QUIVER : BarChart.PEER));
        }
        return series;
    }

    private List<BarChart.Line> lines(ChartSpec chart) {
        return chart.lines().stream().map(l -> new BarChart.Line(l.value(), l.label(),
                l.kind() == Comparisons.LineKind.TARGET ? BarChart.TARGET : BarChart.IDEAL)).toList();
    }

    private void timeChart(ChartSpec chart) {
        List<Row> rows = chart.bars().stream().flatMap(b -> rows(b).stream()).toList();
        List<BarChart.Bar> bars = rows.stream().map(r -> new BarChart.Bar(r.bar().group(), chartLabel(r), r.nanos(),
                r.errorNanos(), chart.series().indexOf(r.bar().series()))).toList();
        figure(chart, new BarChart(chart.title(), chart.axis(), series(chart), bars, lines(chart),
                Result::formatNanos));
        body.append("| Contender | Params | Time per op | ± error |\n| --- | --- | ---: | ---: |\n");
        for (Row row : rows) {
            Result r = row.result();
            String time;
            String error;
            if (r == null) {
                time = NOT_MEASURED;
                error = "";
            } else if (Double.isNaN(r.nanos())) {
                time = Result.significant(r.score(), 3) + " " + r.unit();
                error = Result.significant(r.error(), 3);
            } else {
                time = Result.formatNanos(r.nanos());
                error = Result.formatNanos(r.errorNanos());
            }
            body.append(tableRow(row.label(), row.params(), time, error));
        }
        body.append('\n');
    }

    private void ratioChart(ChartSpec chart) {
        List<BarChart.Bar> bars = new ArrayList<>();
        var table = new StringBuilder("| Contender | " + chart.groupColumn() + " | " + chart.valueColumn() + " |\n"
                + "| --- | --- | ---: |\n");
        for (Bar bar : chart.bars()) {
            double ratio = time(bar.baseline()) / time(bar.subject());
            bars.add(new BarChart.Bar(bar.group(), bar.label(), ratio, Double.NaN,
                    chart.series().indexOf(bar.series())));
            table.append(tableRow(bar.label(), bar.group(), Double.isFinite(ratio) ? ratio(ratio) : NOT_MEASURED));
        }
        figure(chart, new BarChart(chart.title(), chart.axis(), series(chart), bars, lines(chart), Report::ratio));
        body.append(table).append('\n');
    }

    private void percentileChart(ChartSpec chart) {
        List<Row> rows = chart.bars().stream().flatMap(b -> rows(b).stream()).toList();
        List<BarChart.Bar> bars = new ArrayList<>();
        for (String p : chart.percentiles()) {
            for (Row row : rows) {
                double value = row.result() == null ? Double.NaN : row.result().percentileNanos(p);
                bars.add(new BarChart.Bar(percentileName(p), chartLabel(row), value, Double.NaN,
                        chart.series().indexOf(row.bar().series())));
            }
        }
        figure(chart, new BarChart(chart.title(), chart.axis(), series(chart), bars, lines(chart),
                Result::formatNanos));

        Set<String> columns = new LinkedHashSet<>(chart.percentiles());
        columns.add("100.0");
        body.append("| Contender | Params | Mean |");
        columns.forEach(p -> body.append(' ').append(p.equals("100.0") ? "p100 (max)" : percentileName(p))
                .append(" |"));
        body.append("\n| --- | --- | ---: |").append(" ---: |".repeat(columns.size())).append('\n');
        for (Row row : rows) {
            Result r = row.result();
            List<String> cells = new ArrayList<>(List.of(row.label(), row.params()));
            if (r == null) {
                cells.add(NOT_MEASURED);
                columns.forEach(p -> cells.add(""));
            } else {
                cells.add(Result.formatNanos(r.nanos()));
                columns.forEach(p -> cells.add(Result.formatNanos(r.percentileNanos(p))));
            }
            body.append(tableRow(cells.toArray(String[]::new)));
        }
        body.append('\n');

        if (rows.stream().anyMatch(r -> r.result() != null && !r.result().secondary().isEmpty())) {
            body.append("| Contender | Metric | Score | Unit |\n| --- | --- | ---: | --- |\n");
            for (Row row : rows) {
                if (row.result() != null) {
                    for (var metric : row.result().secondary().entrySet()) {
                        body.append(tableRow(row.label(), metric.getKey(), formatCount(metric.getValue().score()),
                                metric.getValue().unit()));
                    }
                }
            }
            body.append('\n');
        }
    }

    /** JMH's percentile key as people write it: {@code 50.0} is p50, {@code 99.9} is p99.9. */
    private static String percentileName(String key) {
        return "p" + (key.endsWith(".0") ? key.substring(0, key.length() - 2) : key);
    }

    /** Results of the file that no section claimed, so that none goes unreported. */
    private void others() {
        List<Result> others = results.stream().filter(r -> !used.contains(r)).toList();
        if (others.isEmpty()) {
            return;
        }
        body.append("### Other results\n\n");
        body.append("| Benchmark | Mode | Threads | Params | Time per op | ± error |\n");
        body.append("| --- | --- | ---: | --- | ---: | ---: |\n");
        for (Result r : others) {
            String time = Double.isNaN(r.nanos()) ? Result.significant(r.score(), 3) + " " + r.unit()
                    : Result.formatNanos(r.nanos());
            String error = Double.isNaN(r.nanos()) ? Result.significant(r.error(), 3)
                    : Result.formatNanos(r.errorNanos());
            body.append(tableRow(r.className() + "." + r.method(), r.mode(), Integer.toString(r.threads()),
                    formatParams(r.params()), time, error));
        }
        body.append('\n');
    }

    /** Every result of a bar (all thread counts and extra parameters), or one "not measured" row. */
    private List<Row> rows(Bar bar) {
        Ref ref = bar.ref();
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            if (ref.matches(r)) {
                used.add(r);
                rows.add(new Row(bar, r));
            }
        }
        rows.sort(Comparator.comparingInt(r -> r.result().threads()));
        return rows.isEmpty() ? List.of(new Row(bar, null)) : rows;
    }

    /**
     * A row's label in a chart: the label, plus the parameters the bar did not ask for that take more than one value
     * in the file (so that two bars never look the same, while a constant such as a file size stays in the tables).
     */
    private String chartLabel(Row row) {
        List<String> extra = new ArrayList<>();
        if (row.result() != null) {
            Map<String, String> asked = row.bar().ref().params();
            row.result().params().forEach((k, v) -> {
                boolean varies = results.stream().anyMatch(r -> r.className().equals(row.result().className())
                        && r.params().containsKey(k) && !r.params().get(k).equals(v));
                if (!asked.containsKey(k) && varies) {
                    extra.add(k + "=" + v);
                }
            });
        }
        return row.label() + (extra.isEmpty() ? "" : " [" + String.join(", ", extra) + "]");
    }

    private void figure(ChartSpec spec, BarChart chart) {
        figures.add(new Figure(spec.file(), chart));
        body.append("![").append(spec.title()).append("](benchmarks/").append(spec.file()).append(".png)\n\n");
    }

    // ---------------------------------------------------------------------------------------------------------
    // Output
    // ---------------------------------------------------------------------------------------------------------

    /**
     * The generated part of {@code benchmarks.md}, markers included.
     *
     * @param source the result file's name as the report shows it
     * @param host the machine, or null when unknown
     * @return the Markdown
     */
    public String markdown(String source, Host host) {
        Set<String> environments = new TreeSet<>();
        Set<Integer> threads = new TreeSet<>();
        for (Result r : results) {
            if (!r.environment().isEmpty()) {
                environments.add(r.environment());
            }
            threads.add(r.threads());
        }
        var md = new StringBuilder();
        md.append(BEGIN).append('\n');
        md.append("<!-- Generated by org.quiver.benchmarks.report.Report from the JMH JSON and ")
                .append(Comparisons.RESOURCE).append("; edits between these markers are lost. -->\n\n");
        md.append("Results from `").append(source).append("`: ").append(results.size()).append(" results");
        if (!environments.isEmpty()) {
            md.append(", ").append(String.join("; ", environments));
        }
        if (!threads.isEmpty()) {
            md.append(", threads: ").append(String.join(", ", threads.stream().map(String::valueOf).toList()));
        }
        md.append(".\n\n");
        md.append(host == null ? "Host: not recorded (no host file beside the results).\n\n" : host.markdown());
        md.append("### Targets\n\n");
        md.append("| Target | Measured | Required | Met |\n| --- | ---: | ---: | :---: |\n");
        for (Outcome o : outcomes) {
            md.append(tableRow(o.name(), o.measuredText(), o.requiredText(), o.metText()));
        }
        md.append('\n').append(body);
        md.append(END);
        return md.toString();
    }

    /**
     * The targets as an aligned table for the terminal, and a count of those met.
     *
     * @return the table and the count
     */
    public String consoleTargets() {
        String[] header = {"Target", "Measured", "Required", "Met"};
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        int met = 0;
        int missing = 0;
        int info = 0;
        for (Outcome o : outcomes) {
            lines.add(new String[] {o.name(), o.measuredText(), o.requiredText(), o.metText()});
            if (o.target().informational()) {
                info++;
            } else if (!o.measuredAtAll()) {
                missing++;
            } else if (o.met()) {
                met++;
            }
        }
        int[] widths = new int[header.length];
        for (String[] line : lines) {
            for (int i = 0; i < line.length; i++) {
                widths[i] = Math.max(widths[i], line[i].codePointCount(0, line[i].length()));
            }
        }
        var out = new StringBuilder();
        for (int n = 0; n < lines.size(); n++) {
            String[] line = lines.get(n);
            var sb = new StringBuilder("|");
            for (int i = 0; i < line.length; i++) {
                int pad = widths[i] - line[i].codePointCount(0, line[i].length());
                boolean right = i == 1 || i == 2;
                sb.append(' ').append(right ? " ".repeat(pad) : "").append(line[i]).append(right ? "" : " ".repeat(pad))
                        .append(" |");
            }
            out.append(sb).append('\n');
            if (n == 0) {
                var rule = new StringBuilder("|");
                for (int w : widths) {
                    rule.append('-').append("-".repeat(w)).append("-|");
                }
                out.append(rule).append('\n');
            }
        }
        int judged = outcomes.size() - info;
        out.append(String.format(Locale.ROOT, "%d of %d targets met, %d missed, %d not measured%s.%n", met, judged,
                judged - met - missing, missing, info == 0 ? "" : "; " + info + " informational"));
        return out.toString();
    }

    private static String tableRow(String... cells) {
        var sb = new StringBuilder("|");
        for (String cell : cells) {
            sb.append(' ').append(cell.replace("|", "\\|")).append(" |");
        }
        return sb.append('\n').toString();
    }

    private static String formatParams(Map<String, String> params) {
        if (params.isEmpty()) {
            return "-";
        }
        List<String> parts = new ArrayList<>();
        params.forEach((k, v) -> parts.add(k + "=" + v));
        return String.join(", ", parts);
    }

    private static String ratio(double value) {
        return String.format(Locale.ROOT, "%.2fx", value);
    }

    private static String formatCount(double value) {
        if (value == Math.rint(value) && Math.abs(value) < 1e15) {
            return Long.toString((long) value);
        }
        return Result.significant(value, 3);
    }
}
