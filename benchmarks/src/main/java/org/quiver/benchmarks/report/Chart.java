package org.quiver.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;

import javax.imageio.ImageIO;

/**
 * A horizontal bar chart, drawn with Java2D (headless) into a PNG: a title, a legend, one row per bar (optionally
 * under group headings), the value at the end of each bar, light grid lines, dashed reference lines and an axis
 * label. The axis is logarithmic when the values span more than {@value #LOG_THRESHOLD} times, and the axis label
 * says so. A bar whose value is {@code NaN} is drawn as "not measured".
 *
 * @param title the title at the top
 * @param axisLabel the label under the value axis, with its unit
 * @param series the colours of the bars and their names in the legend; a bar refers to one by index
 * @param bars the bars, top to bottom
 * @param lines the reference lines (may be empty)
 * @param format formats a value for the bar labels and the axis ticks
 */
public record Chart(String title, String axisLabel, List<Series> series, List<Bar> bars, List<Line> lines,
        DoubleFunction<String> format) {

    /** Quiver's colour: a blue. */
    public static final Color QUIVER = new Color(0x1F, 0x6F, 0xB4);
    /** The peers' colour: an orange. */
    public static final Color PEER = new Color(0xE3, 0x8B, 0x3A);
    /** A target line: a red. */
    public static final Color TARGET = new Color(0xC0, 0x39, 0x2B);
    /** An ideal line: a green. */
    public static final Color IDEAL = new Color(0x2E, 0x8B, 0x57);
    /** Values spanning more than this ratio are drawn on a logarithmic axis. */
    public static final double LOG_THRESHOLD = 50;

    private static final int WIDTH = 900;
    private static final int BAR_ROW = 28;
    private static final int BAR_HEIGHT = 18;
    private static final int GROUP_ROW = 24;
    private static final int LINE_ROW = 15;
    private static final int MARGIN = 16;
    private static final int INDENT = 14;
    private static final int MAX_LABEL_WIDTH = 330;
    private static final String MISSING = "not measured";
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x77, 0x77, 0x77);
    private static final Color GRID = new Color(0xE2, 0xE2, 0xE2);
    private static final Color MINOR_GRID = new Color(0xF1, 0xF1, 0xF1);
    private static final Font TITLE_FONT = new Font("DejaVu Sans", Font.BOLD, 16);
    private static final Font LABEL_FONT = new Font("DejaVu Sans", Font.PLAIN, 12);
    private static final Font GROUP_FONT = new Font("DejaVu Sans", Font.BOLD, 12);
    private static final Font SMALL_FONT = new Font("DejaVu Sans", Font.PLAIN, 11);
    private static final Font MISSING_FONT = new Font("DejaVu Sans", Font.ITALIC, 11);

    /**
     * A colour of bars and its name in the legend.
     *
     * @param name the legend's text
     * @param color the colour
     */
    public record Series(String name, Color color) {
    }

    /**
     * One bar.
     *
     * @param group the heading it is drawn under ({@code ""} for none); consecutive bars of one group share it
     * @param label the label left of the bar
     * @param value the value, {@code NaN} when not measured
     * @param series the index of its {@link Series}
     */
    public record Bar(String group, String label, double value, int series) {
    }

    /**
     * A vertical reference line.
     *
     * @param value where it is drawn
     * @param label its label, above the bars
     * @param color its colour
     */
    public record Line(double value, String label, Color color) {
    }

    /** Copies the lists and checks that every bar names a series. */
    public Chart {
        series = List.copyOf(series);
        bars = List.copyOf(bars);
        lines = List.copyOf(lines);
        Objects.requireNonNull(format);
        for (Bar bar : bars) {
            Objects.checkIndex(bar.series(), series.size());
        }
    }

    /**
     * Whether the value axis is logarithmic: when the positive values (and reference lines) span more than
     * {@link #LOG_THRESHOLD} times.
     *
     * @return true for a logarithmic axis
     */
    public boolean logScale() {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : values()) {
            if (v > 0) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return max > 0 && max / min > LOG_THRESHOLD;
    }

    /**
     * Whether any bar has a value.
     *
     * @return false if every bar is "not measured"
     */
    public boolean hasData() {
        return bars.stream().anyMatch(b -> Double.isFinite(b.value()));
    }

    /**
     * Renders the chart and writes it as a PNG.
     *
     * @param file the PNG file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        BufferedImage image = render();
        try (OutputStream out = Files.newOutputStream(file)) {
            if (!ImageIO.write(image, "png", out)) {
                throw new IOException("no PNG writer in this JDK");
            }
        }
    }

    /**
     * Renders the chart.
     *
     * @return the image, 900 pixels wide and as tall as the bars need
     */
    public BufferedImage render() {
        boolean grouped = bars.stream().anyMatch(b -> !b.group().isEmpty());
        boolean log = logScale();

        // Measure with a scratch context: the height depends on the rows, the plot's edges on the labels.
        BufferedImage scratch = new BufferedImage(1, 1, BufferedImage.TYPE_INT_RGB);
        Graphics2D m = scratch.createGraphics();
        hints(m);
        FontMetrics labelMetrics = m.getFontMetrics(LABEL_FONT);
        FontMetrics groupMetrics = m.getFontMetrics(GROUP_FONT);
        int labelWidth = 0;
        int valueWidth = m.getFontMetrics(MISSING_FONT).stringWidth(MISSING) / 2;
        for (Bar bar : bars) {
            labelWidth = Math.max(labelWidth, labelMetrics.stringWidth(bar.label()));
            if (grouped) {
                labelWidth = Math.max(labelWidth, groupMetrics.stringWidth(bar.group()) - INDENT);
            }
            if (Double.isFinite(bar.value())) {
                valueWidth = Math.max(valueWidth, labelMetrics.stringWidth(format.apply(bar.value())));
            }
        }
        m.dispose();
        labelWidth = Math.min(labelWidth, MAX_LABEL_WIDTH);

        int legendBottom = series.isEmpty() ? 40 : 66;
        int plotTop = legendBottom + LINE_ROW * lines.size() + 8;
        int plotX0 = MARGIN + (grouped ? INDENT : 0) + labelWidth + 10;
        int plotX1 = WIDTH - MARGIN - valueWidth - 8;
        List<Integer> rowTops = new ArrayList<>();
        List<Integer> groupTops = new ArrayList<>();
        int y = plotTop + 4;
        String group = null;
        for (Bar bar : bars) {
            if (grouped && !bar.group().equals(group)) {
                groupTops.add(y);
                y += GROUP_ROW;
                group = bar.group();
            }
            rowTops.add(y);
            y += BAR_ROW;
        }
        int plotBottom = y + 4;
        int height = plotBottom + 58;

        Axis axis = log ? Axis.log(values()) : Axis.linear(values());

        BufferedImage image = new BufferedImage(WIDTH, height, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        try {
            hints(g);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, WIDTH, height);

            g.setFont(TITLE_FONT);
            g.setColor(TEXT);
            g.drawString(title, MARGIN, 28);

            drawLegend(g);
            if (hasData()) {
                drawGrid(g, axis, plotX0, plotX1, plotTop, plotBottom);
            }
            drawGroups(g, groupTops, plotX1 + valueWidth);
            drawLines(g, axis, legendBottom, plotX0, plotX1, plotBottom);
            drawBars(g, axis, rowTops, plotX0, plotX1, labelWidth);

            g.setColor(MUTED);
            g.drawLine(plotX0, plotTop, plotX0, plotBottom);
            g.drawLine(plotX0, plotBottom, plotX1, plotBottom);

            g.setFont(LABEL_FONT);
            g.setColor(TEXT);
            String label = axisLabel + (log ? " — log scale" : "");
            int labelX = (plotX0 + plotX1 - g.getFontMetrics().stringWidth(label)) / 2;
            g.drawString(label, Math.max(MARGIN, labelX), plotBottom + 44);
        } finally {
            g.dispose();
        }
        return image;
    }

    private List<Double> values() {
        List<Double> values = new ArrayList<>();
        for (Bar bar : bars) {
            if (Double.isFinite(bar.value())) {
                values.add(bar.value());
            }
        }
        for (Line line : lines) {
            values.add(line.value());
        }
        return values;
    }

    private void drawLegend(Graphics2D g) {
        g.setFont(LABEL_FONT);
        FontMetrics fm = g.getFontMetrics();
        int x = MARGIN;
        for (Series s : series) {
            g.setColor(s.color());
            g.fillRect(x, 44, 12, 12);
            g.setColor(TEXT);
            g.drawString(s.name(), x + 18, 55);
            x += 18 + fm.stringWidth(s.name()) + 24;
        }
    }

    private void drawGrid(Graphics2D g, Axis axis, int x0, int x1, int top, int bottom) {
        g.setFont(SMALL_FONT);
        FontMetrics fm = g.getFontMetrics();
        g.setColor(MINOR_GRID);
        for (double tick : axis.minorTicks()) {
            int x = axis.x(tick, x0, x1);
            g.drawLine(x, top, x, bottom);
        }
        for (double tick : axis.ticks()) {
            int x = axis.x(tick, x0, x1);
            g.setColor(GRID);
            g.drawLine(x, top, x, bottom);
            g.setColor(MUTED);
            g.drawLine(x, bottom, x, bottom + 4);
            String text = tidy(format.apply(tick));
            int w = fm.stringWidth(text);
            int tx = Math.min(Math.max(x - w / 2, MARGIN), WIDTH - MARGIN - w);
            g.drawString(text, tx, bottom + 18);
        }
    }

    private void drawGroups(Graphics2D g, List<Integer> groupTops, int right) {
        g.setFont(GROUP_FONT);
        FontMetrics fm = g.getFontMetrics();
        String previous = null;
        int i = 0;
        for (Bar bar : bars) {
            if (!bar.group().equals(previous) && i < groupTops.size()) {
                int top = groupTops.get(i++);
                if (previous != null) {
                    g.setColor(GRID);
                    g.drawLine(MARGIN, top + 2, right, top + 2);
                }
                g.setColor(TEXT);
                g.drawString(bar.group(), MARGIN, top + GROUP_ROW - 6 - (GROUP_ROW - fm.getAscent()) / 4);
                previous = bar.group();
            }
        }
    }

    private void drawBars(Graphics2D g, Axis axis, List<Integer> rowTops, int x0, int x1, int labelWidth) {
        for (int i = 0; i < bars.size(); i++) {
            Bar bar = bars.get(i);
            int top = rowTops.get(i) + (BAR_ROW - BAR_HEIGHT) / 2;
            g.setFont(LABEL_FONT);
            FontMetrics fm = g.getFontMetrics();
            int baseline = top + (BAR_HEIGHT + fm.getAscent() - fm.getDescent()) / 2;
            String label = ellipsize(bar.label(), fm, labelWidth);
            g.setColor(TEXT);
            g.drawString(label, x0 - 10 - fm.stringWidth(label), baseline);

            double value = bar.value();
            if (!Double.isFinite(value) || (axis.log() && value <= 0)) {
                g.setFont(MISSING_FONT);
                g.setColor(MUTED);
                g.drawString(Double.isFinite(value) ? format.apply(value) : MISSING, x0 + 6, baseline);
                continue;
            }
            int end = Math.max(axis.x(value, x0, x1), x0 + 1);
            g.setColor(series.get(bar.series()).color());
            g.fillRect(x0 + 1, top, end - x0, BAR_HEIGHT);
            // On white, so that a reference line behind it does not cross it out.
            String text = format.apply(value);
            g.setColor(Color.WHITE);
            g.fillRect(end + 3, top, fm.stringWidth(text) + 6, BAR_HEIGHT);
            g.setColor(TEXT);
            g.drawString(text, end + 6, baseline);
        }
    }

    private void drawLines(Graphics2D g, Axis axis, int labelTop, int x0, int x1, int bottom) {
        g.setFont(SMALL_FONT);
        FontMetrics fm = g.getFontMetrics();
        var dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                0f);
        var previous = g.getStroke();
        for (int i = 0; i < lines.size(); i++) {
            Line line = lines.get(i);
            int x = axis.x(line.value(), x0, x1);
            int labelBaseline = labelTop + LINE_ROW * i + 11;
            g.setColor(line.color());
            g.setStroke(dashed);
            g.drawLine(x, labelBaseline - 10, x, bottom);
            g.setStroke(previous);
            int w = fm.stringWidth(line.label());
            int tx = x + w + 5 <= WIDTH - MARGIN ? x + 5 : x - 5 - w;
            g.drawString(line.label(), tx, labelBaseline);
        }
    }

    private static void hints(Graphics2D g) {
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_FRACTIONALMETRICS, RenderingHints.VALUE_FRACTIONALMETRICS_ON);
        g.setRenderingHint(RenderingHints.KEY_STROKE_CONTROL, RenderingHints.VALUE_STROKE_PURE);
    }

    private static String ellipsize(String text, FontMetrics fm, int width) {
        if (fm.stringWidth(text) <= width) {
            return text;
        }
        String cut = text;
        while (!cut.isEmpty() && fm.stringWidth(cut + "…") > width) {
            cut = cut.substring(0, cut.length() - 1);
        }
        return cut + "…";
    }

    /** Drops the trailing zeros of a tick's label: "1.50 µs" becomes "1.5 µs", "2.00x" becomes "2x". */
    private static String tidy(String text) {
        return text.replaceAll("(\\.\\d*?)0+(?!\\d)", "$1").replaceAll("\\.(?!\\d)", "");
    }

    /**
     * The value axis: its range, ticks, and the mapping of a value to a pixel column.
     *
     * @param log whether logarithmic
     * @param lo the value at the plot's left edge
     * @param hi the value at the plot's right edge
     * @param ticks the labelled ticks
     * @param minorTicks the unlabelled grid lines
     */
    private record Axis(boolean log, double lo, double hi, List<Double> ticks, List<Double> minorTicks) {

        static Axis linear(List<Double> values) {
            double max = 0;
            for (double v : values) {
                max = Math.max(max, v);
            }
            if (max <= 0) {
                max = 1;
            }
            double raw = max / 5;
            double magnitude = Math.pow(10, Math.floor(Math.log10(raw)));
            double norm = raw / magnitude;
            double step = (norm < 1.5 ? 1 : norm < 3 ? 2 : norm < 7 ? 5 : 10) * magnitude;
            int count = (int) Math.ceil(max * 1.04 / step);
            List<Double> ticks = new ArrayList<>();
            for (int i = 0; i <= count; i++) {
                ticks.add(i * step);
            }
            return new Axis(false, 0, count * step, ticks, List.of());
        }

        static Axis log(List<Double> values) {
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : values) {
                if (v > 0) {
                    min = Math.min(min, v);
                    max = Math.max(max, v);
                }
            }
            int first = (int) Math.floor(Math.log10(min));
            int last = (int) Math.ceil(Math.log10(max));
            if (last <= first) {
                last = first + 1;
            }
            List<Double> ticks = new ArrayList<>();
            List<Double> minor = new ArrayList<>();
            for (int k = first; k <= last; k++) {
                double decade = Math.pow(10, k);
                ticks.add(decade);
                if (k < last) {
                    for (int j = 2; j <= 9; j++) {
                        minor.add(j * decade);
                    }
                }
            }
            return new Axis(true, Math.pow(10, first), Math.pow(10, last), ticks, minor);
        }

        int x(double value, int x0, int x1) {
            double f = log ? (Math.log10(Math.max(value, lo)) - Math.log10(lo)) / (Math.log10(hi) - Math.log10(lo))
                    : (value - lo) / (hi - lo);
            return x0 + (int) Math.round(Math.clamp(f, 0, 1) * (x1 - x0));
        }
    }
}
