package org.quiver.io;

import java.util.List;
import java.util.Locale;
import java.util.Objects;

import org.quiver.internal.io.IoProviders;

/**
 * A stream compression format: pyarrow's {@code Codec} names, as used by {@code input_stream(...,
 * compression=...)}. Every format here is the standard streaming container that the command-line tool of the
 * same name reads and writes ({@code gzip}, {@code zstd}, {@code lz4}, {@code bzip2}, {@code brotli}), so
 * files move both ways.
 *
 * {@snippet :
 * Compression c = Compression.forPath("events.json.zst");   // ZSTD
 * try (SequentialInput in = NativeFiles.openInput(Path.of("events.json.zst"))) { ... }  // detected the same way
 * }
 *
 * @since 1.0
 */
public enum Compression {
    /** No compression. */
    NONE("uncompressed", List.of()),
    /** gzip (RFC 1952); concatenated members are read as one stream, as {@code gzip -d} does. */
    GZIP("gzip", List.of(".gz", ".gzip")),
    /** Zstandard frames ({@code zstd}); concatenated frames are read as one stream. */
    ZSTD("zstd", List.of(".zst", ".zstd")),
    /** The LZ4 frame format ({@code lz4}), not the raw block format. */
    LZ4_FRAME("lz4", List.of(".lz4")),
    /** bzip2 ({@code bzip2}); concatenated streams are read as one. */
    BZ2("bz2", List.of(".bz2")),
    /** Brotli ({@code brotli}). */
    BROTLI("brotli", List.of(".br")),
    /** Snappy in the framing format (the streaming form of snappy; extension {@code .sz}). */
    SNAPPY("snappy", List.of(".sz"));

    private final String pyarrowName;
    private final List<String> extensions;

    Compression(String pyarrowName, List<String> extensions) {
        this.pyarrowName = pyarrowName;
        this.extensions = extensions;
    }

    /** The name pyarrow uses ({@code "gzip"}, {@code "zstd"}, {@code "lz4"}, {@code "bz2"} ...). */
    public String pyarrowName() {
        return pyarrowName;
    }

    /** The file name extensions that select this format, with the dot, lower case. */
    public List<String> extensions() {
        return extensions;
    }

    /**
     * The format a file name's extension selects (case-insensitive), or {@link #NONE}.
     *
     * @param path a path, file name or URI
     */
    public static Compression forPath(String path) {
        String lower = Objects.requireNonNull(path, "path").toLowerCase(Locale.ROOT);
        int query = lower.indexOf('?');
        if (query >= 0 && lower.contains("://")) {
            lower = lower.substring(0, query);
        }
        for (Compression c : values()) {
            for (String extension : c.extensions) {
                if (lower.endsWith(extension)) {
                    return c;
                }
            }
        }
        return NONE;
    }

    /**
     * The format named {@code name}: a pyarrow name ({@code "gzip"}, {@code "bz2"}, {@code "lz4"} ...), an
     * enum constant name, or an extension ({@code "gz"}, {@code ".zst"}), case-insensitive.
     *
     * @throws IllegalArgumentException naming the known formats when {@code name} is none of them
     */
    public static Compression byName(String name) {
        String n = Objects.requireNonNull(name, "name").trim().toLowerCase(Locale.ROOT);
        String dotted = n.startsWith(".") ? n : "." + n;
        for (Compression c : values()) {
            if (c.pyarrowName.equals(n) || c.name().toLowerCase(Locale.ROOT).equals(n) || c.extensions.contains(dotted)
                    || (c == NONE && n.equals("none"))) {
                return c;
            }
        }
        StringBuilder known = new StringBuilder();
        for (Compression c : values()) {
            known.append(known.isEmpty() ? "" : ", ").append(c.pyarrowName);
        }
        throw new IllegalArgumentException("unknown compression: " + name + " (known: " + known + ")");
    }

    /**
     * Why this format cannot be used here (no IO provider, its codec library missing or failing to load), or
     * {@code null} when it can.
     */
    public String unavailableReason() {
        return this == NONE ? null : IoProviders.codecUnavailableReason(this);
    }

    /** Whether streams of this format can be opened here. */
    public boolean isAvailable() {
        return unavailableReason() == null;
    }
}
