package org.quiver.benchmarks.report;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.Comparator;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns a JMH JSON result file ({@code -rf json}) into the benchmark report: PNG bar charts in
 * {@code <docs>/benchmarks/} and Markdown tables between the {@value #BEGIN} and {@value #END} lines of
 * {@code <docs>/benchmarks.md}, the targets table also on standard output. Every score is normalised to time per
 * operation; results missing from the file are reported as "not measured". It reports, it does not judge: the exit
 * code is 0 even when targets are missed, 2 when the result file is missing or unparsable, 1 when the docs cannot be
 * written.
 *
 * <p>Usage: {@code java -Djava.awt.headless=true -cp <classes> org.quiver.benchmarks.report.Report
 * <results.json> <docs-dir>}
 */
public final class Report {

    /** The line that opens the generated part of {@code benchmarks.md}. */
    public static final String BEGIN = "<!-- results:begin -->";
    /** The line that closes the generated part of {@code benchmarks.md}. */
    public static final String END = "<!-- results:end -->";

    private static final List<String> BACKENDS = List.of("system", "jemalloc", "mimalloc");
    private static final List<String> SIZES = List.of("64", "4096", "1048576");
    private static final String ALLOCATE = "AllocateBenchmark";
    private static final String ALLOCATE_TWO = "AllocateTwoThreadsBenchmark";
    private static final String TIME_AXIS = "Time per operation (lower is better)";
    private static final String NOT_MEASURED = "not measured";
    private static final List<Chart.Series> QUIVER_AND_PEERS =
            List.of(new Chart.Series("Quiver", Chart.QUIVER), new Chart.Series("Peers", Chart.PEER));

    /**
     * A contender of the suite: which result to look for, and how to show it.
     *
     * @param group the chart heading it goes under ({@code ""} for none)
     * @param label its name in tables and charts
     * @param className the simple class name, e.g. {@code AllocateBenchmark.Arrow}
     * @param method the benchmark method
     * @param params the parameters the result must have (it may have more)
     * @param threads the thread count the targets use
     * @param quiver whether it is Quiver (coloured as such) or a peer
     */
    private record Entry(String group, String label, String className, String method, Map<String, String> params,
            int threads, boolean quiver) {
    }

    /**
     * A row of a table: an entry with one of its results, or with none.
     *
     * @param entry the contender
     * @param result the result, null when not measured
     */
    private record Row(Entry entry, Result result) {

        String label() {
            int threads = result == null ? entry.threads() : result.threads();
            return entry.label() + (threads == entry.threads() ? "" : threads == 1 ? " (1 thread)"
                    : threadsSuffix(threads));
        }


        String params() {
            return formatParams(result == null ? entry.params() : result.params());
        }

        double nanos() {
            return result == null ? Double.NaN : result.nanos();
        }
    }

    /** How a measured ratio is compared with its bound. */
    private enum Comparison {
        AT_LEAST("≥"), AT_MOST("≤"), EQUAL("=");

        final String symbol;

        Comparison(String symbol) {
            this.symbol = symbol;
        }
    }

    /**
     * One target of the issue.
     *
     * @param name what is compared
     * @param measured the ratio (or count), NaN when not measured
     * @param comparison how it must compare with the bound
     * @param bound the bound
     * @param count whether the value is a count rather than a ratio
     */
    private record Target(String name, double measured, Comparison comparison, double bound, boolean count) {

        boolean measuredAtAll() {
            return Double.isFinite(measured);
        }

        boolean met() {
            return switch (comparison) {
                case AT_LEAST -> measured >= bound;
                case AT_MOST -> measured <= bound;
                case EQUAL -> measured == bound;
            };
        }

        String measuredText() {
            return !measuredAtAll() ? NOT_MEASURED : count ? formatCount(measured) : ratio(measured);
        }

        String requiredText() {
            return comparison.symbol + " " + (count ? formatCount(bound) : ratio(bound));
        }

        String metText() {
            return !measuredAtAll() ? NOT_MEASURED : met() ? "✅" : "❌";
        }
    }

    /**
     * A chart to write, and the file it goes to.
     *
     * @param name the file name without {@code .png}
     * @param chart the chart
     */
    private record Figure(String name, Chart chart) {
    }

    private final List<Result> results;
    private final Set<Result> used = Collections.newSetFromMap(new IdentityHashMap<>());
    private final List<Target> targets = new ArrayList<>();
    private final List<Figure> figures = new ArrayList<>();
    private final StringBuilder body = new StringBuilder();

    private Report(List<Result> results) {
        this.results = results;
    }

    /**
     * Writes the report.
     *
     * @param args the JMH JSON result file and the docs directory
     */
    public static void main(String[] args) {
        if (args.length != 2) {
            System.err.println("usage: Report <results.json> <docs-dir>");
            System.exit(2);
        }
        Path resultsFile = Path.of(args[0]);
        Path docs = Path.of(args[1]);
        List<Result> results;
        try {
            results = load(resultsFile);
        } catch (IOException | IllegalArgumentException e) {
            System.err.println("Report: cannot read the JMH results " + resultsFile + ": " + describe(e));
            System.exit(2);
            return;
        }
        try {
            var report = new Report(results);
            report.build();
            String markdown = report.markdown(source(resultsFile, docs));
            Path md = docs.resolve("benchmarks.md");
            String existing = Files.exists(md) ? Files.readString(md, StandardCharsets.UTF_8) : null;
            String updated = splice(existing, markdown);
            report.writeCharts(docs.resolve("benchmarks"));
            Files.writeString(md, updated, StandardCharsets.UTF_8);
            System.out.print(report.consoleTargets());
            System.err.println("Report: wrote " + md + " and " + report.figures.size() + " charts in "
                    + docs.resolve("benchmarks"));
        } catch (IOException | UncheckedIOException | IllegalStateException e) {
            System.err.println("Report: cannot write the report into " + docs + ": " + describe(e));
            System.exit(1);
        }
    }

    /**
     * Reads a JMH JSON result file. Entries that are not benchmark results are skipped with a warning.
     *
     * @param file the file
     * @return the results, in file order
     * @throws IOException if it cannot be read
     * @throws Json.ParseException if it is not JSON
     * @throws IllegalArgumentException if it is JSON but not an array
     */
    public static List<Result> load(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException("no such file");
        }
        Object root = Json.parse(Files.readString(file, StandardCharsets.UTF_8));
        if (!(root instanceof List<?> entries)) {
            throw new IllegalArgumentException("not a JMH result file: expected a JSON array at the top level");
        }
        List<Result> results = new ArrayList<>();
        for (int i = 0; i < entries.size(); i++) {
            try {
                if (!(entries.get(i) instanceof Map<?, ?>)) {
                    throw new IllegalArgumentException("not an object");
                }
                results.add(Result.of(Json.object(entries.get(i))));
            } catch (IllegalArgumentException e) {
                System.err.println("Report: skipping entry " + i + " of " + file + ": " + e.getMessage());
            }
        }
        return results;
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
    // The sections
    // ---------------------------------------------------------------------------------------------------------

    private void build() {
        allocate();
        growth();
        files();
        outputStream();
        codecs();
        hdfs();
        hotSwap();
        others();
    }

    private void allocate() {
        heading("Allocate + close");
        body.append("Throughput of allocating and closing one buffer, shown as time per operation. With two threads "
                + "JMH sums the threads' throughputs, so their time is that of one operation of the pair.\n\n");
        for (String size : SIZES) {
            List<Entry> entries = new ArrayList<>();
            for (String backend : BACKENDS) {
                entries.add(quiver(ALLOCATE, backend, size, 1));
                entries.add(rawFfm(ALLOCATE, backend, size, 1));
            }
            entries.add(entry("Arrow RootAllocator", ALLOCATE + ".Arrow", "rootAllocator", false, "size", size));
            entries.add(entry("Netty pooled", ALLOCATE, "nettyPooled", false, "size", size));
            entries.add(entry("Netty unpooled", ALLOCATE, "nettyUnpooled", false, "size", size));
            entries.add(entry("ByteBuffer.allocateDirect", ALLOCATE, "allocateDirect", false, "size", size));
            entries.add(entry("Arena.ofConfined", ALLOCATE, "arenaConfined", false, "size", size));
            for (String backend : BACKENDS) {
                entries.add(quiver(ALLOCATE_TWO, backend, size, 2));
                entries.add(rawFfm(ALLOCATE_TWO, backend, size, 2));
            }

            List<Row> rows = new ArrayList<>(entries.stream().flatMap(e -> rows(e).stream()).toList());
            rows.sort(Comparator.comparingInt(r -> r.result() == null ? r.entry().threads() : r.result().threads()));
            List<Chart.Bar> bars = rows.stream().map(r -> {
                int threads = r.result() == null ? r.entry().threads() : r.result().threads();
                String group = threads == 1 ? "One thread" : threads + " threads (one operation of the group)";
                return new Chart.Bar(group, chartLabel(r).replace(" (" + threads + " threads)", ""), r.nanos(),
                        r.entry().quiver() ? 0 : 1);
            }).toList();
            String title = "Allocate + close, " + sizeText(size);
            figure("allocate-" + size, title, new Chart(title, TIME_AXIS, QUIVER_AND_PEERS, bars, List.of(),
                    Result::formatNanos));
            timeTable(rows);
        }

        // Scaling: the throughput of two threads over that of one.
        List<Chart.Bar> scaling = new ArrayList<>();
        StringBuilder scalingTable = new StringBuilder("| Contender | Size | 2 threads ÷ 1 thread (throughput) |\n"
                + "| --- | --- | ---: |\n");
        for (String size : List.of("64", "4096")) {
            for (String backend : BACKENDS) {
                for (boolean isQuiver : new boolean[] {true, false}) {
                    String method = isQuiver ? "quiver" : "rawFfm";
                    String label = (isQuiver ? "Quiver " : "raw FFM ") + backend;
                    double ratio = scaling(method, backend, size);
                    scaling.add(new Chart.Bar(sizeText(size), label, ratio, isQuiver ? 0 : 1));
                    scalingTable.append(tableRow(label, sizeText(size),
                            Double.isFinite(ratio) ? ratio(ratio) : NOT_MEASURED));
                }
            }
        }
        String title = "Allocate + close: two threads against one";
        figure("allocate-scaling", title, new Chart(title, "Throughput with two threads ÷ with one (higher is better)",
                List.of(new Chart.Series("Quiver", Chart.QUIVER), new Chart.Series("raw FFM", Chart.PEER)), scaling,
                List.of(new Chart.Line(1.7, "target 1.7x", Chart.TARGET), new Chart.Line(2.0, "ideal 2.0x",
                        Chart.IDEAL)), Report::ratio));
        body.append(scalingTable).append('\n');

        // Targets.
        List<String> pairs = List.of("jemalloc", "mimalloc");
        List<String> small = List.of("64", "4096");
        for (String backend : pairs) {
            for (String size : small) {
                target("Allocate: Quiver " + backend + " " + sizeText(size) + " vs raw FFM pair (time ratio)",
                        time(quiver(ALLOCATE, backend, size, 1)) / time(rawFfm(ALLOCATE, backend, size, 1)),
                        Comparison.AT_MOST, 2.0);
            }
        }
        for (String backend : pairs) {
            for (String size : small) {
                target("Allocate: Quiver " + backend + " " + sizeText(size) + " vs Arrow RootAllocator (times faster)",
                        time(entry("", ALLOCATE + ".Arrow", "rootAllocator", false, "size", size))
                                / time(quiver(ALLOCATE, backend, size, 1)), Comparison.AT_LEAST, 3.0);
            }
        }
        for (String backend : pairs) {
            for (String size : small) {
                target("Allocate: Quiver " + backend + " " + sizeText(size) + " vs Netty pooled (times faster)",
                        time(entry("", ALLOCATE, "nettyPooled", false, "size", size))
                                / time(quiver(ALLOCATE, backend, size, 1)), Comparison.AT_LEAST, 3.0);
            }
        }
        for (String backend : BACKENDS) {
            target("Allocate: Quiver " + backend + " 1 MiB vs ByteBuffer.allocateDirect (times faster)",
                    time(entry("", ALLOCATE, "allocateDirect", false, "size", "1048576"))
                            / time(quiver(ALLOCATE, backend, "1048576", 1)), Comparison.AT_LEAST, 50.0);
        }
        for (String backend : BACKENDS) {
            for (String size : SIZES) {
                target("Allocate: Quiver " + backend + " " + sizeText(size) + ", two threads vs one (throughput)",
                        scaling("quiver", backend, size), Comparison.AT_LEAST, 1.7);
            }
        }
    }

    private void growth() {
        heading("Growth 1 MiB → 1 GiB");
        List<Entry> entries = new ArrayList<>();
        for (String backend : BACKENDS) {
            entries.add(entry("Quiver " + backend + " pool", "GrowthBenchmark", "quiver", true, "backend", backend));
        }
        Entry copy = entry("posix_memalign + copy", "GrowthBenchmark", "posixMemalignCopy", false);
        Entry mremap = entry("raw mremap", "GrowthBenchmark", "rawMremap", false);
        entries.add(copy);
        entries.add(mremap);
        timeSection("growth", "Growth of one buffer from 1 MiB to 1 GiB", entries);
        Entry system = entries.getFirst();
        target("Growth: system pool vs posix_memalign + copy (times faster)", time(copy) / time(system),
                Comparison.AT_LEAST, 2.5);
        target("Growth: system pool vs raw mremap (time ratio)", time(system) / time(mremap), Comparison.AT_MOST, 1.3);
    }

    private void files() {
        heading("Files");
        String[][] pairs = {
            {"Sequential read", "readBufferSequential", "fileChannelSequential", "sequential read"},
            {"Random read", "readAtRandom", "fileChannelReadAtRandom", "random read"},
            {"Memory-mapped scan", "memoryMapScan", "fileChannelMapScan", "memory-mapped scan"},
        };
        List<Entry> entries = new ArrayList<>();
        for (String[] pair : pairs) {
            entries.add(new Entry(pair[0], "Quiver " + pair[1], "FileBenchmark", pair[1], Map.of(), 1, true));
            entries.add(new Entry(pair[0], "JDK " + pair[2], "FileBenchmark", pair[2], Map.of(), 1, false));
        }
        timeSection("files", "Files: Quiver against the JDK's FileChannel", entries);
        for (int i = 0; i < pairs.length; i++) {
            target("Files: " + pairs[i][3] + " vs FileChannel (relative speed)",
                    time(entries.get(2 * i + 1)) / time(entries.get(2 * i)), Comparison.AT_LEAST, 0.9);
        }
    }

    private void outputStream() {
        heading("BufferOutput");
        Entry onDefault = entry("Quiver BufferOutput, default pool", "OutputStreamBenchmark",
                "bufferOutput", true, "pool", "default");
        Entry onSystem = entry("Quiver BufferOutput, system pool", "OutputStreamBenchmark",
                "bufferOutput", true, "pool", "system");
        Entry jdk = entry("ByteArrayOutputStream", "OutputStreamBenchmark", "byteArrayOutputStream", false);
        timeSection("output-stream", "BufferOutput against ByteArrayOutputStream",
                List.of(onDefault, onSystem, jdk));
        target("BufferOutput (default pool) vs ByteArrayOutputStream (relative speed)",
                time(jdk) / time(onDefault), Comparison.AT_LEAST, 1.5);
        target("BufferOutput (system pool) vs ByteArrayOutputStream (relative speed)",
                time(jdk) / time(onSystem), Comparison.AT_LEAST, 1.5);
    }

    private void codecs() {
        heading("Compressed streams");
        List<Entry> entries = new ArrayList<>();
        for (String codec : List.of("gzip", "zstd", "lz4")) {
            for (String direction : List.of("compress", "decompress")) {
                String upper = Character.toUpperCase(direction.charAt(0)) + direction.substring(1);
                String group = codec + " " + direction;
                entries.add(new Entry(group, "Quiver " + direction, "CodecBenchmark", "quiver" + upper,
                        orderedMap("codec", codec), 1, true));
                entries.add(new Entry(group, "library " + direction, "CodecBenchmark", "library" + upper,
                        orderedMap("codec", codec), 1, false));
            }
        }
        timeSection("codecs", "Compressed streams: Quiver against the codec libraries", entries);
        for (int i = 0; i < entries.size(); i += 2) {
            target("Codecs: " + entries.get(i).group() + " vs the library (relative speed)",
                    time(entries.get(i + 1)) / time(entries.get(i)), Comparison.AT_LEAST, 0.9);
        }
    }

    private void hdfs() {
        heading("HDFS");
        Entry quiver = entry("Quiver read", "HdfsBenchmark", "quiverRead", true);
        Entry hadoop = entry("Hadoop client read", "HdfsBenchmark", "hadoopRead", false);
        timeSection("hdfs", "HDFS: Quiver against the Hadoop client", List.of(quiver, hadoop));
        target("HDFS: Quiver read vs the Hadoop client (relative speed)", time(hadoop) / time(quiver),
                Comparison.AT_LEAST, 0.95);
    }

    private void hotSwap() {
        heading("Hot swap");
        Entry swapping = new Entry("", "Allocate while swapping", "HotSwapBenchmark", "allocateWhileSwapping",
                Map.of(), 2, true);
        Entry steady = new Entry("", "Allocate, steady", "HotSwapBenchmark", "allocateSteady", Map.of(), 2, false);
        List<Row> rows = new ArrayList<>(rows(swapping));
        rows.addAll(rows(steady));

        String[][] percentiles = {{"p50", "50.0"}, {"p99", "99.0"}, {"p99.9", "99.9"}};
        List<Chart.Bar> bars = new ArrayList<>();
        for (String[] p : percentiles) {
            for (Row row : rows) {
                double value = row.result() == null ? Double.NaN : row.result().percentileNanos(p[1]);
                bars.add(new Chart.Bar(p[0], chartLabel(row), value, row.entry().quiver() ? 0 : 1));
            }
        }
        String title = "Hot swap: allocation latency percentiles";
        figure("hot-swap", title, new Chart(title, "Time per allocation (lower is better)",
                List.of(new Chart.Series("while swapping", Chart.QUIVER), new Chart.Series("steady", Chart.PEER)),
                bars, List.of(), Result::formatNanos));

        body.append("| Contender | Params | Mean | p50 | p99 | p99.9 | p100 (max) |\n");
        body.append("| --- | --- | ---: | ---: | ---: | ---: | ---: |\n");
        for (Row row : rows) {
            Result r = row.result();
            if (r == null) {
                body.append(tableRow(row.label(), row.params(), NOT_MEASURED, "", "", "", ""));
            } else {
                body.append(tableRow(row.label(), row.params(), Result.formatNanos(r.nanos()),
                        Result.formatNanos(r.percentileNanos("50.0")), Result.formatNanos(r.percentileNanos("99.0")),
                        Result.formatNanos(r.percentileNanos("99.9")),
                        Result.formatNanos(r.percentileNanos("100.0"))));
            }
        }
        body.append('\n');

        boolean anySecondary = rows.stream().anyMatch(r -> r.result() != null && !r.result().secondary().isEmpty());
        double failures = Double.NaN;
        if (anySecondary) {
            body.append("| Contender | Metric | Score | Unit |\n| --- | --- | ---: | --- |\n");
            for (Row row : rows) {
                if (row.result() == null) {
                    continue;
                }
                for (var metric : row.result().secondary().entrySet()) {
                    body.append(tableRow(row.label(), metric.getKey(), formatCount(metric.getValue().score()),
                            metric.getValue().unit()));
                    if (metric.getKey().equals("failures")) {
                        failures = (Double.isNaN(failures) ? 0 : failures) + metric.getValue().score();
                    }
                }
            }
            body.append('\n');
        }
        targets.add(new Target("Hot swap: allocation failures", failures, Comparison.EQUAL, 0, true));
    }

    /** Results of the file that no section claimed, so that none goes unreported. */
    private void others() {
        List<Result> others = results.stream().filter(r -> !used.contains(r)).toList();
        if (others.isEmpty()) {
            return;
        }
        heading("Other results");
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

    // ---------------------------------------------------------------------------------------------------------
    // Helpers of the sections
    // ---------------------------------------------------------------------------------------------------------

    private static Entry quiver(String className, String backend, String size, int threads) {
        return new Entry("", "Quiver " + backend + threadsSuffix(threads), className, "quiver",
                orderedMap("backend", backend, "size", size), threads, true);
    }

    private static Entry rawFfm(String className, String backend, String size, int threads) {
        return new Entry("", "raw FFM " + backend + threadsSuffix(threads), className, "rawFfm",
                orderedMap("backend", backend, "size", size), threads, false);
    }

    private static String threadsSuffix(int threads) {
        return threads == 1 ? "" : " (" + threads + " threads)";
    }

    private static Entry entry(String label, String className, String method, boolean quiver, String... params) {
        return new Entry("", label, className, method, orderedMap(params), 1, quiver);
    }

    private static Map<String, String> orderedMap(String... keysAndValues) {
        Map<String, String> map = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            map.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return Collections.unmodifiableMap(map);
    }

    /** Every result of an entry (all thread counts and extra parameters), or one "not measured" row. */
    private List<Row> rows(Entry entry) {
        List<Row> rows = new ArrayList<>();
        for (Result r : results) {
            if (matches(r, entry)) {
                used.add(r);
                rows.add(new Row(entry, r));
            }
        }
        rows.sort(Comparator.comparingInt(r -> r.result().threads()));
        return rows.isEmpty() ? List.of(new Row(entry, null)) : rows;
    }

    /**
     * A row's label in a chart: the label, plus the parameters the entry did not ask for that take more than one value
     * in the file (so that two bars never look the same, while a constant such as a file size stays in the tables).
     */
    private String chartLabel(Row row) {
        List<String> extra = new ArrayList<>();
        if (row.result() != null) {
            row.result().params().forEach((k, v) -> {
                boolean varies = results.stream().anyMatch(r -> r.className().equals(row.result().className())
                        && r.params().containsKey(k) && !r.params().get(k).equals(v));
                if (!row.entry().params().containsKey(k) && varies) {
                    extra.add(k + "=" + v);
                }
            });
        }
        return row.label() + (extra.isEmpty() ? "" : " [" + String.join(", ", extra) + "]");
    }

    private static boolean matches(Result r, Entry entry) {
        return r.className().equals(entry.className()) && r.method().equals(entry.method())
                && r.hasParams(entry.params());
    }

    /** The first result of an entry with its thread count, as the targets use it. */
    private Result find(Entry entry) {
        return results.stream().filter(r -> matches(r, entry) && r.threads() == entry.threads()).findFirst()
                .orElse(null);
    }

    private double time(Entry entry) {
        Result r = find(entry);
        return r == null ? Double.NaN : r.nanos();
    }

    /**
     * Throughput with two threads over throughput with one: from {@code AllocateTwoThreadsBenchmark}, or else from
     * {@code AllocateBenchmark} run with {@code -t 2}. As times per operation, so the units need not agree.
     */
    private double scaling(String method, String backend, String size) {
        Entry one = "quiver".equals(method) ? quiver(ALLOCATE, backend, size, 1) : rawFfm(ALLOCATE, backend, size, 1);
        Entry two = "quiver".equals(method) ? quiver(ALLOCATE_TWO, backend, size, 2)
                : rawFfm(ALLOCATE_TWO, backend, size, 2);
        Result twoThreads = find(two);
        if (twoThreads == null) {
            twoThreads = find(new Entry("", "", ALLOCATE, method, two.params(), 2, true));
        }
        return twoThreads == null ? Double.NaN : time(one) / twoThreads.nanos();
    }

    private void target(String name, double measured, Comparison comparison, double bound) {
        targets.add(new Target(name, measured, comparison, bound, false));
    }

    private void heading(String title) {
        body.append("### ").append(title).append("\n\n");
    }

    /** A section of times: a chart (grouped by the entries' groups) and the table. */
    private void timeSection(String name, String title, List<Entry> entries) {
        List<Row> rows = entries.stream().flatMap(e -> rows(e).stream()).toList();
        List<Chart.Bar> bars = rows.stream()
                .map(r -> new Chart.Bar(r.entry().group(), chartLabel(r), r.nanos(), r.entry().quiver() ? 0 : 1))
                .toList();
        figure(name, title, new Chart(title, TIME_AXIS, QUIVER_AND_PEERS, bars, List.of(), Result::formatNanos));
        timeTable(rows);
    }

    private void figure(String name, String alt, Chart chart) {
        figures.add(new Figure(name, chart));
        body.append("![").append(alt).append("](benchmarks/").append(name).append(".png)\n\n");
    }

    private void timeTable(List<Row> rows) {
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

    // ---------------------------------------------------------------------------------------------------------
    // Output
    // ---------------------------------------------------------------------------------------------------------

    private String markdown(String source) {
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
        md.append("<!-- Generated by org.quiver.benchmarks.report.Report from the JMH JSON; ")
                .append("edits between these markers are lost. -->\n\n");
        md.append("Results from `").append(source).append("`: ").append(results.size()).append(" results");
        if (!environments.isEmpty()) {
            md.append(", ").append(String.join("; ", environments));
        }
        if (!threads.isEmpty()) {
            md.append(", threads: ")
                    .append(String.join(", ", threads.stream().map(String::valueOf).toList()));
        }
        md.append(".\n\n");
        md.append("### Targets\n\n");
        md.append("| Target | Measured | Required | Met |\n| --- | ---: | ---: | :---: |\n");
        for (Target t : targets) {
            md.append(tableRow(t.name(), t.measuredText(), t.requiredText(), t.metText()));
        }
        md.append('\n').append(body);
        md.append(END);
        return md.toString();
    }

    /** The targets as an aligned table for the terminal, and a count of those met. */
    private String consoleTargets() {
        String[] header = {"Target", "Measured", "Required", "Met"};
        List<String[]> lines = new ArrayList<>();
        lines.add(header);
        int met = 0;
        int missing = 0;
        for (Target t : targets) {
            lines.add(new String[] {t.name(), t.measuredText(), t.requiredText(), t.metText()});
            if (!t.measuredAtAll()) {
                missing++;
            } else if (t.met()) {
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
        out.append(String.format(Locale.ROOT, "%d of %d targets met, %d missed, %d not measured.%n", met,
                targets.size(), targets.size() - met - missing, missing));
        return out.toString();
    }

    private void writeCharts(Path dir) throws IOException {
        Files.createDirectories(dir);
        for (Figure f : figures) {
            f.chart().write(dir.resolve(f.name() + ".png"));
        }
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

    private static String sizeText(String size) {
        return switch (size) {
            case "64" -> "64 B";
            case "4096" -> "4 KiB";
            case "1048576" -> "1 MiB";
            default -> size + " B";
        };
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
