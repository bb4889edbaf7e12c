package org.quiver.benchmarks;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** Test data the IO benchmarks share: made once, deterministic, kept between forks and runs. */
final class BenchData {

    private BenchData() {
    }

    /**
     * Where data files live: {@code -Dquiver.bench.data}, else {@code benchmarks/target/bench-data} from the
     * repository (the bench script) or {@code target/bench-data} from the module (the smoke test's forks): on disk,
     * not a tmpfs, and gone with {@code mvn clean}. Only outside a build, the system's temporary folder.
     */
    static Path directory() {
        String dir = System.getProperty("quiver.bench.data");
        Path p = dir != null ? Path.of(dir) : Path.of("benchmarks", "target", "bench-data");
        if (dir == null && !Files.isDirectory(p.getParent())) {
            p = Path.of("target", "bench-data");
        }
        if (!Files.isDirectory(p.getParent() == null ? Path.of(".") : p.getParent())) {
            p = Path.of(System.getProperty("java.io.tmpdir"), "quiver-bench-data");
        }
        try {
            return Files.createDirectories(p);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /**
     * A file of {@code size} bytes of pseudo-random data, written once and then reused; read through once so that
     * it is in the page cache.
     */
    static Path file(long size) throws IOException {
        Path path = directory().resolve("data-" + size + ".bin");
        if (!Files.exists(path) || Files.size(path) != size) {
            Path tmp = path.resolveSibling(path.getFileName() + ".tmp");
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.CREATE, StandardOpenOption.WRITE,
                    StandardOpenOption.TRUNCATE_EXISTING)) {
                ByteBuffer chunk = ByteBuffer.allocateDirect(1 << 20);
                long seed = 42;
                for (long written = 0; written < size;) {
                    chunk.clear();
                    while (chunk.remaining() >= 8) {
                        seed = seed * 6364136223846793005L + 1442695040888963407L;
                        chunk.putLong(seed);
                    }
                    chunk.flip();
                    chunk.limit((int) Math.min(chunk.limit(), size - written));
                    written += ch.write(chunk);
                }
            }
            Files.move(tmp, path, java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
        try (FileChannel ch = FileChannel.open(path)) {
            ByteBuffer b = ByteBuffer.allocateDirect(1 << 20);
            while (ch.read(b.clear()) > 0) {
                // into the page cache
            }
        }
        return path;
    }

    /**
     * {@code size} bytes of text that compresses like real data (CSV rows of ids, names, amounts and dates,
     * about 4:1 with zstd), the same every time.
     */
    static byte[] text(int size) {
        String[] names = {"alice", "bob", "carol", "dave", "erin", "frank", "grace", "heidi", "ivan", "judy"};
        StringBuilder sb = new StringBuilder(size + 100);
        long x = 7;
        for (int row = 0; sb.length() < size; row++) {
            x = x * 6364136223846793005L + 1442695040888963407L;
            int r = (int) (x >>> 33);
            sb.append(row).append(',').append(names[Math.floorMod(r, names.length)]).append(',')
                    .append(Math.floorMod(r, 100_000) / 100.0).append(",2026-").append(1 + Math.floorMod(r >> 8, 12))
                    .append('-').append(1 + Math.floorMod(r >> 12, 28)).append(',')
                    .append(Long.toHexString(x & 0xffffffL)).append('\n');
        }
        byte[] all = sb.toString().getBytes(StandardCharsets.US_ASCII);
        return java.util.Arrays.copyOf(all, size);
    }

    /** Fails a trial that left memory allocated in the default pool: a benchmark must close what it opens. */
    static void requireNothingOutstanding() {
        long left = org.quiver.memory.MemoryPool.defaultPool().bytesAllocated();
        if (left != 0) {
            throw new IllegalStateException("the default pool has " + left + " bytes outstanding");
        }
    }
}
