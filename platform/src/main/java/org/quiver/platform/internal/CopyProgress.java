package org.quiver.platform.internal;

import java.io.PrintStream;
import java.util.Locale;

import org.quiver.io.CopyFiles;

/**
 * How {@code quiver:cp -r} shows a copy's progress: a bar redrawn in place on a terminal, plain lines (at most one
 * a second, and the last) where the output goes to a file or a pipe.
 */
final class CopyProgress implements CopyFiles.Listener {

    private static final int BAR_WIDTH = 24;

    private final PrintStream out;
    private final boolean terminal;
    private final long intervalNanos;
    private long lastShown = Long.MIN_VALUE;
    private int lastWidth;

    private CopyProgress(PrintStream out, boolean terminal, long intervalNanos) {
        this.out = out;
        this.terminal = terminal;
        this.intervalNanos = intervalNanos;
    }

    /** A bar redrawn at most every 100 ms, for a terminal. */
    static CopyProgress bar(PrintStream out) {
        return new CopyProgress(out, true, 100_000_000L);
    }

    /** A line at most every second, for a log. */
    static CopyProgress lines(PrintStream out) {
        return new CopyProgress(out, false, 1_000_000_000L);
    }

    /** Whether this JVM's standard output is a terminal. */
    static boolean onTerminal() {
        java.io.Console console = System.console();
        return console != null && console.isTerminal();
    }

    @Override
    public void progress(CopyFiles.Progress p) {
        long now = p.elapsed().toNanos();
        if (!p.isComplete() && lastShown != Long.MIN_VALUE && now - lastShown < intervalNanos) {
            return;
        }
        lastShown = now;
        if (terminal) {
            String line = barLine(p);
            // the carriage return redraws the line; spaces clear what a longer line left
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            lastWidth = line.length();
            if (p.isComplete()) {
                out.println();
            }
        } else {
            out.println(plainLine(p));
        }
        out.flush();
    }

    static String barLine(CopyFiles.Progress p) {
        double fraction = p.bytesTotal() == 0 ? (p.isComplete() ? 1 : 0) : (double) p.bytesCopied() / p.bytesTotal();
        int filled = (int) Math.round(fraction * BAR_WIDTH);
        return "[" + "#".repeat(filled) + " ".repeat(BAR_WIDTH - filled) + "] " + String.format(Locale.ROOT, "%3d%%",
                (int) Math.floor(fraction * 100)) + "  " + bytes(p.bytesCopied()) + " / " + bytes(p.bytesTotal()) + "  "
                + bytes((long) p.bytesPerSecond()) + "/s  " + p.filesCopied() + "/" + p.filesTotal() + " files";
    }

    static String plainLine(CopyFiles.Progress p) {
        int percent = p.bytesTotal() == 0 ? (p.isComplete() ? 100 : 0)
                : (int) Math.floor(100.0 * p.bytesCopied() / p.bytesTotal());
        return "copied " + p.filesCopied() + "/" + p.filesTotal() + " files, " + bytes(p.bytesCopied()) + " of "
                + bytes(p.bytesTotal()) + " (" + percent + "%), " + bytes((long) p.bytesPerSecond()) + "/s";
    }

    /** {@code 512 B}, {@code 1.5 KiB}, {@code 3.2 GiB}. */
    static String bytes(long n) {
        if (n < 1024) {
            return n + " B";
        }
        String[] units = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
        double v = n;
        int u = -1;
        while (v >= 1024 && u < units.length - 1) {
            v /= 1024;
            u++;
        }
        return String.format(Locale.ROOT, "%.1f %s", v, units[u]);
    }
}
