package org.quiver.launcher;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.logging.ConsoleHandler;
import java.util.logging.FileHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.Logger;
import java.util.logging.SimpleFormatter;

/**
 * Where the platform logs: {@code log/quiver.0.log} (rotated at 10 MiB, five files kept: the older ones are
 * {@code quiver.1.log} ...), and warnings and errors also on standard error; nothing on standard output. The JDK's
 * {@code System.Logger} (Quiver's own messages), the framework's log and, through the platform bundle, the OSGi Log
 * Service's entries all end here.
 */
final class Logs {

    /** The current log file; the older ones are quiver.1.log, quiver.2.log ... */
    static final String FILE = "quiver.0.log";
    private static final int LIMIT = 10 << 20;
    private static final int FILES = 5;
    private static volatile boolean toFolder;

    private Logs() {
    }

    /** Sends every record of {@code INFO} and above to the log folder, warnings and errors also to standard error. */
    static void toFolder(Path folder) throws IOException {
        Files.createDirectories(folder);
        System.setProperty("java.util.logging.SimpleFormatter.format",
                "%1$tF %1$tT.%1$tL %4$s [%3$s] %5$s%6$s%n");
        LogManager.getLogManager().reset();
        Logger root = Logger.getLogger("");
        FileHandler file = new FileHandler(folder.resolve("quiver.%g.log").toString(), LIMIT, FILES, true);
        file.setFormatter(new SimpleFormatter());
        file.setLevel(Level.INFO);
        root.addHandler(file);
        Handler errors = new ConsoleHandler(); // standard error
        errors.setFormatter(new SimpleFormatter());
        errors.setLevel(Level.WARNING);
        root.addHandler(errors);
        root.setLevel(Level.INFO);
        toFolder = true;
    }

    /** Libraries whose start-up chatter is no news: only their warnings and errors are logged. */
    private static final java.util.List<Logger> QUIETED = new java.util.ArrayList<>(); // held: JUL keeps loggers weakly

    /**
     * Logs only the warnings and errors of SPI Fly, which otherwise says at every start which ServiceLoader provider
     * it registered (on standard error in a one-command run, whose output must be the command's own). Called after
     * {@link #toFolder}, whose reset would undo it.
     */
    static synchronized void quietLibraries() {
        for (String name : java.util.List.of("org.apache.aries.spifly")) {
            Logger l = Logger.getLogger(name);
            l.setLevel(Level.WARNING);
            QUIETED.add(l);
        }
    }

    /** Whether records go to the log folder (the shell and the server), not only to standard error. */
    static boolean toFolder() {
        return toFolder;
    }
}
