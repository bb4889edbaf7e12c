package org.quiver.benchmarks.report;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.FontMetrics;
import java.awt.Graphics2D;
import java.awt.geom.Line2D;
import java.awt.geom.Rectangle2D;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.text.FieldPosition;
import java.text.NumberFormat;
import java.text.ParsePosition;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.DoubleFunction;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.LegendItem;
import org.jfree.chart.LegendItemCollection;
import org.jfree.chart.axis.AxisLocation;
import org.jfree.chart.axis.CategoryAxis;
import org.jfree.chart.axis.LogAxis;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.axis.NumberTickUnit;
import org.jfree.chart.axis.ValueAxis;
import org.jfree.chart.block.BlockBorder;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.ValueMarker;
import org.jfree.chart.renderer.category.CategoryItemRendererState;
import org.jfree.chart.renderer.category.StatisticalBarRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.HorizontalAlignment;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.data.category.CategoryDataset;
import org.jfree.data.statistics.DefaultStatisticalCategoryDataset;

/**
 * A horizontal bar chart drawn by JFreeChart (headless) into a PNG: a title, a legend, one row per bar (optionally
 * under bold group headings), error bars, the value at the end of each bar, dashed reference lines and an axis
 * label. The axis is logarithmic when the values span more than {@value #LOG_THRESHOLD} times, and the axis label
 * says so. A bar whose value is {@code NaN} is labelled "not measured".
 *
 * <p>JFreeChart draws the axes, grid, bars and error bars; this class adds only what it lacks: one colour per bar
 * (rather than per series, which would leave an empty slot beside every bar), the value labels placed past the
 * error bar, and the "not measured" rows.
 *
 * @param title the title at the top
 * @param axisLabel the label under the value axis, with its unit
 * @param series the colours of the bars and their names in the legend; a bar refers to one by index
 * @param bars the bars, top to bottom
 * @param lines the reference lines (may be empty)
 * @param format formats a value for the bar labels and the axis ticks
 */
public record BarChart(String title, String axisLabel, List<Series> series, List<Bar> bars, List<Line> lines,
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
    /** The width of every chart, in pixels. */
    public static final int WIDTH = 900;

    private static final int ROW = 28;
    private static final int FRAME = 150;
    private static final String MISSING = "not measured";
    private static final Color TEXT = new Color(0x22, 0x22, 0x22);
    private static final Color MUTED = new Color(0x77, 0x77, 0x77);
    private static final Color GRID = new Color(0xDD, 0xDD, 0xDD);
    private static final Color ERROR_BAR = new Color(0x44, 0x44, 0x44);
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
     * @param error the half-width of its error bar, {@code NaN} for none
     * @param series the index of its {@link Series}
     */
    public record Bar(String group, String label, double value, double error, int series) {
    }

    /**
     * A vertical dashed reference line, named in the legend.
     *
     * @param value where it is drawn
     * @param label its name in the legend
     * @param color its colour
     */
    public record Line(double value, String label, Color color) {
    }

    /** Copies the lists and checks that every bar names a series. */
    public BarChart {
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
        double[] range = positiveRange();
        return range[1] > 0 && range[1] / range[0] > LOG_THRESHOLD;
    }

    /** The smallest and largest positive value ({@code +inf} and 0 when there is none). */
    private double[] positiveRange() {
        double min = Double.POSITIVE_INFINITY;
        double max = 0;
        for (double v : values()) {
            if (v > 0) {
                min = Math.min(min, v);
                max = Math.max(max, v);
            }
        }
        return new double[] {min, max};
    }

    /**
     * The number of rows the chart draws: one per bar and one per group heading.
     *
     * @return the rows
     */
    public int rows() {
        int rows = bars.size();
        String group = null;
        for (Bar bar : bars) {
            if (!bar.group().isEmpty() && !bar.group().equals(group)) {
                rows++;
            }
            group = bar.group();
        }
        return rows;
    }

    /**
     * The height of a chart of so many rows.
     *
     * @param rows bars and group headings
     * @return pixels
     */
    public static int height(int rows) {
        return FRAME + ROW * Math.max(rows, 1);
    }

    /**
     * Renders the chart and writes it as a PNG.
     *
     * @param file the PNG file, replaced if it exists
     * @throws IOException if it cannot be written
     */
    public void write(Path file) throws IOException {
        try (OutputStream out = Files.newOutputStream(file)) {
            ChartUtils.writeBufferedImageAsPNG(out, render());
        }
    }

    /**
     * Renders the chart.
     *
     * @return the image, {@value #WIDTH} pixels wide and {@link #height(int)} of {@link #rows()} tall
     */
    public BufferedImage render() {
        // One data series; the columns are the rows of the chart, group headings included (with no value), keyed
        // by position so that two bars may carry the same label (one in each group).
        var data = new DefaultStatisticalCategoryDataset();
        List<Bar> slots = new ArrayList<>();
        var domain = new CategoryAxis();
        String group = null;
        for (Bar bar : bars) {
            if (!bar.group().isEmpty() && !bar.group().equals(group)) {
                Slot heading = new Slot(slots.size(), bar.group());
                data.add((Number) null, null, "", heading);
                domain.setTickLabelFont(heading, GROUP_FONT);
                slots.add(null);
            }
            group = bar.group();
            boolean measured = Double.isFinite(bar.value());
            data.add(measured ? bar.value() : null, measured && Double.isFinite(bar.error()) ? bar.error() : null, "",
                    new Slot(slots.size(), bar.label()));
            slots.add(bar);
        }

        boolean log = logScale();
        ValueAxis range = log ? logAxis() : linearAxis();
        range.setLabel(axisLabel + (log ? " — log scale" : ""));
        range.setLabelFont(LABEL_FONT);
        range.setLabelPaint(TEXT);
        range.setTickLabelFont(SMALL_FONT);
        range.setTickLabelPaint(MUTED);

        domain.setTickLabelFont(LABEL_FONT);
        domain.setTickLabelPaint(TEXT);
        domain.setMaximumCategoryLabelWidthRatio(0.45f);
        domain.setCategoryMargin(0.3);
        domain.setLowerMargin(0.01);
        domain.setUpperMargin(0.01);
        domain.setAxisLineVisible(false);
        domain.setTickMarksVisible(false);

        var renderer = new Renderer(slots);
        var plot = new CategoryPlot(data, domain, range, renderer);
        plot.setOrientation(PlotOrientation.HORIZONTAL);
        plot.setRangeAxisLocation(AxisLocation.BOTTOM_OR_RIGHT);
        plot.setBackgroundPaint(Color.WHITE);
        plot.setOutlineVisible(false);
        plot.setRangeGridlinePaint(GRID);
        plot.setRangeGridlineStroke(new BasicStroke(1f));
        plot.setRangeMinorGridlinesVisible(log);
        plot.setRangeMinorGridlinePaint(new Color(0xEE, 0xEE, 0xEE));
        plot.setDomainGridlinesVisible(false);
        plot.setInsets(new RectangleInsets(4, 8, 4, 16));

        var legend = new LegendItemCollection();
        for (Series s : series) {
            legend.add(new LegendItem(s.name(), null, null, null, new Rectangle2D.Double(0, 0, 12, 12), s.color()));
        }
        var dashed = new BasicStroke(1.5f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_MITER, 10f, new float[] {6f, 4f},
                0f);
        for (Line line : lines) {
            var marker = new ValueMarker(line.value(), line.color(), dashed);
            plot.addRangeMarker(marker, Layer.BACKGROUND);
            legend.add(new LegendItem(line.label(), null, null, null, new Line2D.Double(0, 6, 18, 6), dashed,
                    line.color()));
        }
        plot.setFixedLegendItems(legend);

        var chart = new JFreeChart(null, TITLE_FONT, plot, false);
        chart.setBackgroundPaint(Color.WHITE);
        chart.setPadding(new RectangleInsets(8, 8, 8, 8));
        var heading = new TextTitle(title, TITLE_FONT);
        heading.setPaint(TEXT);
        heading.setHorizontalAlignment(HorizontalAlignment.LEFT);
        chart.addSubtitle(heading);
        var legendTitle = new LegendTitle(plot);
        legendTitle.setItemFont(LABEL_FONT);
        legendTitle.setItemPaint(TEXT);
        legendTitle.setFrame(BlockBorder.NONE);
        legendTitle.setPosition(RectangleEdge.TOP);
        legendTitle.setHorizontalAlignment(HorizontalAlignment.LEFT);
        legendTitle.setMargin(new RectangleInsets(6, 0, 8, 0));
        legendTitle.setItemLabelPadding(new RectangleInsets(2, 4, 2, 16));
        chart.addSubtitle(legendTitle);
        return chart.createBufferedImage(WIDTH, height(slots.size()), BufferedImage.TYPE_INT_RGB, null);
    }

    private ValueAxis linearAxis() {
        double max = 0;
        for (double v : values()) {
            max = Math.max(max, v);
        }
        var axis = new NumberAxis();
        // Room right of the longest bar for its value.
        axis.setRange(0, max > 0 ? max * 1.22 : 1);
        axis.setNumberFormatOverride(new Format(format));
        return axis;
    }

    private ValueAxis logAxis() {
        double[] range = positiveRange();
        double min = range[0];
        double max = range[1];
        var axis = new ClampedLogAxis();
        // Whole decades, with room right of the longest bar for its value.
        axis.setRange(Math.pow(10, Math.floor(Math.log10(min))), Math.pow(10, Math.ceil(Math.log10(max * 3))));
        axis.setNumberFormatOverride(new Format(format));
        // A labelled tick at every decade (JFreeChart's own choice skips some), the minor grid between them.
        axis.setTickUnit(new NumberTickUnit(1), false, false);
        axis.setAutoTickUnitSelection(false, false);
        axis.setMinorTickMarksVisible(true);
        return axis;
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

    /** Drops the trailing zeros of a tick's label: "1.50 µs" becomes "1.5 µs", "2.00x" becomes "2x". */
    static String tidy(String text) {
        return text.replaceAll("(\\.\\d*?)0+(?!\\d)", "$1").replaceAll("\\.(?!\\d)", "");
    }

    /**
     * A column of the dataset: its position and the label the axis prints ({@link CategoryAxis} prints
     * {@code toString()}).
     */
    private record Slot(int index, String label) implements Comparable<Slot> {

        @Override
        public int compareTo(Slot other) {
            return Integer.compare(index, other.index);
        }

        @Override
        public String toString() {
            return label;
        }
    }

    /**
     * A log axis that draws values at or below its lower bound at the bound: an error bar reaching below zero ends at
     * the axis instead of at the logarithm of a negative number.
     */
    private static final class ClampedLogAxis extends LogAxis {

        @java.io.Serial
        private static final long serialVersionUID = 1L;

        @Override
        public double valueToJava2D(double value, Rectangle2D area, RectangleEdge edge) {
            return super.valueToJava2D(Math.max(value, getLowerBound()), area, edge);
        }
    }

    /** The axis's numbers in the chart's own format (ns, µs, ms; or 1.5x). */
    private static final class Format extends NumberFormat {

        @java.io.Serial
        private static final long serialVersionUID = 1L;
        private final transient DoubleFunction<String> format;

        Format(DoubleFunction<String> format) {
            this.format = format;
        }

        @Override
        public StringBuffer format(double number, StringBuffer to, FieldPosition pos) {
            return to.append(tidy(format.apply(number)));
        }

        @Override
        public StringBuffer format(long number, StringBuffer to, FieldPosition pos) {
            return format((double) number, to, pos);
        }

        @Override
        public Number parse(String source, ParsePosition pos) {
            return null;
        }
    }

    /**
     * JFreeChart's bars with error bars, coloured per bar, with the value past the end of the bar (or of its error
     * bar) and "not measured" where a bar has no value.
     */
    private final class Renderer extends StatisticalBarRenderer {

        @java.io.Serial
        private static final long serialVersionUID = 1L;
        private final transient List<Bar> slots;

        Renderer(List<Bar> slots) {
            this.slots = slots;
            setDrawBarOutline(false);
            setShadowVisible(false);
            setItemMargin(0);
            setMaximumBarWidth(1);
            setErrorIndicatorPaint(ERROR_BAR);
            setErrorIndicatorStroke(new BasicStroke(1.2f));
        }

        @Override
        public java.awt.Paint getItemPaint(int row, int column) {
            Bar bar = slots.get(column);
            return bar == null ? Color.WHITE : series.get(bar.series()).color();
        }

        @Override
        public void drawItem(Graphics2D g2, CategoryItemRendererState state, Rectangle2D dataArea, CategoryPlot plot,
                CategoryAxis domainAxis, ValueAxis rangeAxis, CategoryDataset dataset, int row, int column,
                int pass) {
            super.drawItem(g2, state, dataArea, plot, domainAxis, rangeAxis, dataset, row, column, pass);
            Bar bar = slots.get(column);
            if (bar == null) {
                return;
            }
            double top = calculateBarW0(plot, plot.getOrientation(), dataArea, domainAxis, state,
                    state.getVisibleSeriesIndex(row), column);
            double middle = top + state.getBarWidth() / 2;
            boolean measured = Double.isFinite(bar.value());
            boolean log = rangeAxis instanceof LogAxis;
            g2.setFont(measured && !(log && bar.value() <= 0) ? LABEL_FONT : MISSING_FONT);
            FontMetrics fm = g2.getFontMetrics();
            float baseline = (float) (middle + (fm.getAscent() - fm.getDescent()) / 2.0);
            if (!measured || (log && bar.value() <= 0)) {
                g2.setPaint(MUTED);
                g2.drawString(measured ? format.apply(bar.value()) : MISSING, (float) dataArea.getMinX() + 6,
                        baseline);
                return;
            }
            double end = bar.value() + (Double.isFinite(bar.error()) ? bar.error() : 0);
            double x = rangeAxis.valueToJava2D(end, dataArea, plot.getRangeAxisEdge()) + 6;
            String text = format.apply(bar.value());
            int width = fm.stringWidth(text);
            // Inside the plot even when the error bar runs off it; on white, so that no line crosses it out.
            x = Math.min(x, dataArea.getMaxX() - width - 4);
            g2.setPaint(Color.WHITE);
            g2.fill(new Rectangle2D.Double(x - 3, top, width + 6, state.getBarWidth()));
            g2.setPaint(TEXT);
            g2.drawString(text, (float) x, baseline);
        }
    }
}
