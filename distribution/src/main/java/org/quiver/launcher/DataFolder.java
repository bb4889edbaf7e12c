package org.quiver.launcher;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.stream.Stream;

/**
 * The platform's persistent state: the framework cache (installed bundles, their data, Configuration Admin's
 * configurations) under {@code data/} in the distribution, or the folder {@code QUIVER_DATA} names; the log under
 * {@code log/} beside it (or {@code $QUIVER_DATA/log}). One platform at a time per data folder: a second one is
 * refused while the first holds the lock ({@code data/.lock}), with the first one's process id.
 */
final class DataFolder {

    static final String ENVIRONMENT = "QUIVER_DATA";
    static final String LOCK = ".lock";

    private final Path folder;
    private final Path log;

    private DataFolder(Path folder, Path log) {
        this.folder = folder;
        this.log = log;
    }

    /** The data folder of a distribution: {@code QUIVER_DATA}, else {@code -Dquiver.data}, else {@code data/}. */
    static DataFolder of(Path home) {
        String env = System.getenv(ENVIRONMENT);
        String property = System.getProperty("quiver.data");
        if (env != null && !env.isBlank()) {
            Path data = Path.of(env).toAbsolutePath();
            return new DataFolder(data, data.resolve("log"));
        }
        if (property != null && !property.isBlank()) {
            Path data = Path.of(property).toAbsolutePath();
            return new DataFolder(data, data.resolve("log"));
        }
        return new DataFolder(home.resolve("data"), home.resolve("log"));
    }

    /**
     * Takes the data folder for this process (for as long as it runs).
     *
     * @throws Main.LaunchException if another platform runs on it, naming its process
     */
    static DataFolder lock(Path home) throws IOException {
        DataFolder data = of(home);
        Files.createDirectories(data.folder);
        Path file = data.folder.resolve(LOCK);
        FileChannel channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                StandardOpenOption.READ);
        FileLock lock = channel.tryLock();
        if (lock == null) {
            String holder = new String(Files.readAllBytes(file), StandardCharsets.US_ASCII).strip();
            channel.close();
            throw new Main.LaunchException("another Quiver platform runs on " + data.folder
                    + (holder.isEmpty() ? "" : " (process " + holder + ")") + ": stop it first, or give this one a"
                    + " data folder of its own with " + ENVIRONMENT + "=<folder>. One command (quiver pools ...)"
                    + " never needs the data folder.");
        }
        channel.truncate(0);
        channel.write(java.nio.ByteBuffer.wrap(Long.toString(ProcessHandle.current().pid())
                .getBytes(StandardCharsets.US_ASCII)));
        channel.force(false);
        // The channel stays open, and the lock held, until the process ends.
        KEPT.add(channel);
        return data;
    }

    private static final java.util.List<FileChannel> KEPT = new java.util.ArrayList<>();

    /** {@code quiver clean}: removes what the platform remembers (installed bundles, configurations made at run time). */
    static int clean(Path home) throws IOException {
        DataFolder data = lock(home);
        try (Stream<Path> entries = Files.list(data.folder)) {
            for (Path p : entries.toList()) {
                if (!p.getFileName().toString().equals(LOCK)) {
                    Main.deleteTree(p);
                }
            }
        }
        System.out.println("removed the platform's state in " + data.folder
                + " (bundles installed and configurations made while it ran, the web console's generated password;"
                + " etc/ and deploy/ stay)");
        return 0;
    }

    Path folder() {
        return folder;
    }

    /** The framework's cache. */
    Path cache() {
        return folder.resolve("cache");
    }

    /** The log folder. */
    Path log() {
        return log;
    }
}
