package org.quiver.platform.internal;

import java.io.IOException;
import java.io.PrintStream;

import org.apache.felix.service.command.Descriptor;
import org.apache.felix.service.command.Parameter;
import org.osgi.service.component.annotations.Component;
import org.quiver.internal.kit.Locations;
import org.quiver.io.Compression;
import org.quiver.io.CopyFiles;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialOutput;

/**
 * The {@code quiver:cat} and {@code quiver:cp} shell commands: any URI a file system is registered for, with
 * compression chosen by the extension on each side.
 */
@Component(service = FileCommands.class, property = {
        "osgi.command.scope=quiver",
        "osgi.command.function=cat",
        "osgi.command.function=cp"})
public final class FileCommands {

    private static final int CHUNK = 1 << 20;

    @Descriptor("print a file (path or URI) to standard output, decompressed by its extension (.gz .zst .lz4 .bz2 .br .sz)")
    public void cat(@Descriptor("path or URI (file:, hdfs:)") String source) throws IOException {
        PrintStream out = System.out;
        try (SequentialInput in = NativeFiles.openInput(location("source", source))) {
            copy(in, out::write);
        }
        out.flush();
    }

    @Descriptor("copy a file between any two paths or URIs, re-compressing by each side's extension; with -r, a"
            + " file or a directory tree, bytes as they are, files in parallel, with progress")
    public String cp(
            @Descriptor("copy a directory tree (or a file) as it is, with progress: a bar on a terminal, lines"
                    + " otherwise") @Parameter(names = {"-r", "--recursive"}, presentValue = "true",
                    absentValue = "false") boolean recursive,
            @Descriptor("source path or URI") String source,
            @Descriptor("target path or URI") String target) throws IOException {
        location("source", source);
        location("target", target);
        if (recursive) {
            PrintStream out = System.out;
            return copyTree(source, target, CopyProgress.onTerminal() ? CopyProgress.bar(out) : CopyProgress.lines(out));
        }
        long bytes;
        try (SequentialInput in = NativeFiles.openInput(source); SequentialOutput out = NativeFiles.openOutput(target)) {
            bytes = copy(in, out::write);
        }
        return "copied " + bytes + " bytes from " + describe(source) + " to " + describe(target);
    }

    /** {@code cp source target}: a file, re-compressed by each side's extension. */
    public String cp(String source, String target) throws IOException {
        return cp(false, source, target);
    }

    /** {@code cp -r}: pyarrow's {@code copy_files} between the file systems of the two locations. */
    static String copyTree(String source, String target, CopyFiles.Listener listener) throws IOException {
        try (QuiverFileSystem from = QuiverFileSystem.fromUri(source); QuiverFileSystem to = QuiverFileSystem.fromUri(target)) {
            CopyFiles.Result r = CopyFiles.between(from, source, to, target).listener(listener).run();
            double seconds = r.elapsed().toNanos() / 1e9;
            return "copied " + r.files() + (r.files() == 1 ? " file" : " files") + " (" + CopyProgress.bytes(r.bytes())
                    + ") and " + r.directories() + (r.directories() == 1 ? " directory" : " directories") + " from "
                    + describe(source) + " to " + describe(target) + String.format(java.util.Locale.ROOT,
                    " in %.1f s (%s/s)", seconds, CopyProgress.bytes(seconds == 0 ? 0 : (long) (r.bytes() / seconds)));
        }
    }

    /**
     * A location as the user typed it, refused when it is neither a path nor a URI. {@code ://bad} has no scheme,
     * so it would be read as the relative path {@code :/bad} (a path's repeated slashes collapse), and the error
     * would name a file the user never typed; an empty one would be the current folder.
     */
    private static String location(String role, String typed) {
        if (typed.isBlank()) {
            throw new IllegalArgumentException("no " + role + " given: an empty path");
        }
        if (!Locations.isUri(typed) && typed.contains("://")) {
            throw new IllegalArgumentException(role + " '" + typed + "' is neither a path nor a URI: a URI needs a"
                    + " scheme before '://' (file:///data/x.gz, hdfs://namenode:8020/x.gz)");
        }
        return typed;
    }

    /** Where {@link #copy} writes a chunk. */
    private interface Sink {
        void write(byte[] chunk, int offset, int length) throws IOException;
    }

    /** Copies everything {@code in} holds to {@code sink} in 1 MiB chunks; returns the byte count. */
    private static long copy(SequentialInput in, Sink sink) throws IOException {
        byte[] chunk = new byte[CHUNK];
        long bytes = 0;
        int n;
        while ((n = in.read(chunk, 0, chunk.length)) > 0) {
            sink.write(chunk, 0, n);
            bytes += n;
        }
        return bytes;
    }

    private static String describe(String location) {
        Compression c = Compression.forPath(location);
        String normalized = Locations.isUri(location) ? location : java.nio.file.Path.of(location).toAbsolutePath().normalize().toString();
        return normalized + (c == Compression.NONE ? "" : " (" + c.pyarrowName() + ")");
    }
}
