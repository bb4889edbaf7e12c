package org.quiver.benchmarks.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The report from a real run: {@code smoke.json} (and its {@code smoke.host.txt}) in the test resources are
 * {@code benchmarks/bench smoke}'s output, every benchmark once with 64 B and small files, so 4 KiB, 1 MiB and the
 * JDK-zlib comparison are absent and must show as "not measured". Expected ratios are computed here from the
 * fixture's scores, not copied from the report.
 */
class ReportTest {

    private static final String FIXTURE = "smoke.json";

    @TempDir
    static Path dir;
    private static List<Result> results;
    private static Report report;
    private static String markdown;
    private static Path docs;

    @BeforeAll
    static void render() throws IOException {
        Path run = dir.resolve("runs").resolve(FIXTURE);
        Files.createDirectories(run.getParent());
        copy(FIXTURE, run);
        copy("smoke.host.txt", Host.besides(run));
        docs = dir.resolve("docs");
        Files.createDirectories(docs);
        Files.writeString(docs.resolve("benchmarks.md"), "# Benchmarks\n\nBy hand.\n\n" + Report.BEGIN + "\nold\n"
                + Report.END + "\n\nAfter.\n");

        results = Report.load(run);
        report = Report.of(results, Comparisons.standard());
        report.write(docs, "runs/" + FIXTURE, Host.read(Host.besides(run)));
        markdown = Files.readString(docs.resolve("benchmarks.md"), StandardCharsets.UTF_8);
    }

    private static void copy(String resource, Path to) throws IOException {
        try (InputStream in = ReportTest.class.getResourceAsStream(resource)) {
            assertNotNull(in, resource);
            Files.copy(in, to);
        }
    }

    /** The time per operation of the one fixture result with these coordinates. */
    private static double nanos(String className, String method, Map<String, String> params) {
        List<Result> found = results.stream().filter(r -> r.className().equals(className) && r.method().equals(method)
                && r.hasParams(params) && r.threads() == 1).toList();
        assertEquals(1, found.size(), className + "." + method + " " + params);
        return found.getFirst().nanos();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |\n";
    }

    @Test
    void keepsTheHandWrittenPartsAndReplacesTheGeneratedOne() {
        assertTrue(markdown.startsWith("# Benchmarks\n\nBy hand.\n\n" + Report.BEGIN + "\n"), markdown);
        assertTrue(markdown.endsWith(Report.END + "\n\nAfter.\n"), markdown);
        assertFalse(markdown.contains("\nold\n"), markdown);
        assertTrue(markdown.contains("Results from `runs/smoke.json`: " + results.size() + " results"), markdown);
    }

    @Test
    void targetRowsCarryTheRatiosOfTheFixtureScores() {
        for (String backend : List.of("system", "jemalloc", "mimalloc")) {
            double ratio = nanos("AllocateBenchmark", "quiver", Map.of("backend", backend, "size", "64"))
                    / nanos("AllocateBenchmark", "rawFfm", Map.of("backend", backend, "size", "64"));
            assertTrue(markdown.contains(row("Allocate: Quiver " + backend + " 64 B vs raw FFM pair (time ratio)",
                    String.format(Locale.ROOT, "%.2fx", ratio), "≤ 1.50x", ratio <= 1.5 ? "✅" : "❌")),
                    backend + ":\n" + markdown);
        }
        double faster = nanos("AllocateBenchmark", "arenaConfined", Map.of("size", "64"))
                / nanos("AllocateBenchmark", "quiver", Map.of("backend", "mimalloc", "size", "64"));
        assertTrue(markdown.contains(row("Allocate: Quiver mimalloc 64 B vs Arena.ofConfined (times faster)",
                String.format(Locale.ROOT, "%.2fx", faster), "≥ 1.00x", faster >= 1 ? "✅" : "❌")), markdown);
        double growth = nanos("GrowthBenchmark", "posixMemalignCopy", Map.of())
                / nanos("GrowthBenchmark", "quiver", Map.of("backend", "default"));
        assertTrue(markdown.contains(row("Growth: default pool vs posix_memalign + copy (times faster)",
                String.format(Locale.ROOT, "%.2fx", growth), "≥ 2.50x", growth >= 2.5 ? "✅" : "❌")), markdown);

        double failures = results.stream().filter(r -> r.className().equals("HotSwapBenchmark"))
                .mapToDouble(r -> r.secondary().get("failures").score()).sum();
        assertTrue(markdown.contains(row("Hot swap: allocation failures", Long.toString((long) failures), "= 0",
                failures == 0 ? "✅" : "❌")), markdown);
    }

    @Test
    void aTargetWithoutItsBenchmarkIsNotMeasuredNotDropped() {
        // the smoke run behind the fixture predates codec=gzip-jdk
        assertTrue(markdown.contains(row("Codecs: gzip-jdk decompress vs the library (relative speed)",
                "not measured", "≥ 1.00x", "not measured")), markdown);
        assertTrue(markdown.contains(row("Allocate: Quiver jemalloc 4 KiB vs Netty pooled (times faster)",
                "not measured", "≥ 3.00x", "not measured")), markdown);
        assertTrue(markdown.contains(row("Arena.ofConfined", "size=4096", "not measured", "")), markdown);
        assertEquals(Comparisons.standard().targets().size(), report.outcomes().size());
        assertTrue(report.consoleTargets().contains("not measured."), report.consoleTargets());
    }

    @Test
    void theHostHeadsTheReport() {
        int host = markdown.indexOf("| Host (`smoke.host.txt`) | |");
        assertTrue(host > 0 && host < markdown.indexOf("### Targets"), markdown);
        assertTrue(markdown.contains("\n| Cores | "), markdown);
        assertTrue(markdown.contains("\n| CPU | "), markdown);
        assertTrue(markdown.contains("\n| JDK | "), markdown);
        assertTrue(markdown.contains("\n| Allocators' short downcalls | "), markdown);
    }

    @Test
    void everyChartIsAPngOfItsSize() throws IOException {
        assertEquals(11, report.figures().size());
        for (Report.Figure figure : report.figures()) {
            Path png = docs.resolve("benchmarks").resolve(figure.name() + ".png");
            BufferedImage image = ImageIO.read(png.toFile());
            assertNotNull(image, png.toString());
            assertEquals(BarChart.WIDTH, image.getWidth(), figure.name());
            assertEquals(BarChart.height(figure.chart().rows()), image.getHeight(), figure.name());
            assertTrue(markdown.contains("](benchmarks/" + figure.name() + ".png)"), figure.name());
        }
        // 64 B: 6 pools and raw pairs, 5 peers, 6 with two threads, and 2 group headings.
        BarChart allocate = report.figures().getFirst().chart();
        assertEquals(19, allocate.rows());
    }

    @Test
    void anUnknownKeyInTheDataFailsNamingItAndItsTarget() {
        String json = """
                {"targets": [{"label": "Growth: system", "kind": "times faster", "treshold": 2.5,
                  "subject": {"benchmark": "GrowthBenchmark.quiver"},
                  "baseline": {"benchmark": "GrowthBenchmark.posixMemalignCopy"}}],
                 "sections": []}
                """;
        var e = assertThrows(IllegalArgumentException.class, () -> read(json));
        assertTrue(e.getMessage().startsWith("test.json: unknown key \"treshold\" in targets[0] (\"Growth: system\")"),
                e.getMessage());
        assertTrue(e.getMessage().contains("atLeast"), e.getMessage());
    }

    @Test
    void anUnknownKindOrVariableFailsNamingIt() {
        var kind = assertThrows(IllegalArgumentException.class, () -> read("""
                {"targets": [{"label": "x", "kind": "faster", "subject": {"benchmark": "A.b"},
                  "baseline": {"benchmark": "A.c"}}], "sections": []}
                """));
        assertTrue(kind.getMessage().contains("faster") && kind.getMessage().contains("targets[0]"),
                kind.getMessage());
        var variable = assertThrows(IllegalArgumentException.class, () -> read("""
                {"targets": [{"forEach": {"size": ["64"]}, "label": "x ${sise}", "kind": "time ratio",
                  "subject": {"benchmark": "A.b"}, "baseline": {"benchmark": "A.c"}}], "sections": []}
                """));
        assertTrue(variable.getMessage().contains("unknown variable ${sise}"), variable.getMessage());
        var missing = assertThrows(IllegalArgumentException.class, () -> read("""
                {"targets": [{"label": "x", "kind": "time ratio", "subject": {"benchmark": "A.b"}}], "sections": []}
                """));
        assertTrue(missing.getMessage().contains("time ratio target \"x\" has no \"baseline\""),
                missing.getMessage());
    }

    @Test
    void forEachRepeatsAnElementForEveryCombination() throws IOException {
        Comparisons c = read("""
                {"targets": [{"forEach": {"backend": ["system", "jemalloc"],
                                          "impl": [{"method": "quiver"}, {"method": "rawFfm"}]},
                  "label": "${backend} ${impl.method} at ${size:bytes}", "kind": "time ratio",
                  "subject": {"benchmark": "AllocateBenchmark.${impl.method}", "params": {"backend": "${backend}"}},
                  "baseline": {"benchmark": "AllocateBenchmark.rawFfm"}}], "sections": []}
                """.replace("${size:bytes}", "4096"));
        assertEquals(List.of("system quiver at 4096", "system rawFfm at 4096", "jemalloc quiver at 4096",
                "jemalloc rawFfm at 4096"), c.targets().stream().map(Comparisons.Target::label).toList());
        assertEquals(Map.of("backend", "jemalloc"), c.targets().get(2).subject().params());
        assertEquals("4 KiB", Comparisons.bytes("4096", "test"));
        assertEquals("1 GiB", Comparisons.bytes("1073741824", "test"));
        assertEquals("100 B", Comparisons.bytes("100", "test"));
    }

    @Test
    void theShippedComparisonsNameOnlyBenchmarksOfThisBuild() {
        // a name that no @Benchmark method of this build has is a typo
        assertEquals(Set.of(), new java.util.TreeSet<>(Report.unknownBenchmarks(Comparisons.standard())));
    }

    @Test
    void aDirectoryOfRunsResolvesToTheNewestByName() throws IOException {
        Path runs = dir.resolve("resolve");
        Files.createDirectories(runs);
        for (String name : List.of("2026-11-30-quick.json", "2026-12-01-quick.json", "2026-12-01-quick.host.txt",
                "2026-11-02-full.json")) {
            Files.writeString(runs.resolve(name), "[]");
        }
        assertEquals(runs.resolve("2026-12-01-quick.json"), Report.resolve(runs));
        Path empty = dir.resolve("empty");
        Files.createDirectories(empty);
        var e = assertThrows(IOException.class, () -> Report.resolve(empty));
        assertTrue(e.getMessage().contains("benchmarks/bench publish"), e.getMessage());
    }

    private static Comparisons read(String json) throws IOException {
        return Comparisons.read(new ByteArrayInputStream(json.getBytes(StandardCharsets.UTF_8)), "test.json");
    }
}
