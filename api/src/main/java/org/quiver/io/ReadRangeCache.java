package org.quiver.io;

import java.io.EOFException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Reads many small ranges of a file as a few large ones: Arrow's {@code ReadRangeCache} with pyarrow's
 * {@code CacheOptions}, what Parquet and ORC readers use to fetch column chunks. {@link #cache} takes the ranges
 * that will be read, merges neighbours whose hole is at most {@link Options#holeSizeLimit()} into reads of at most
 * {@link Options#rangeSizeLimit()} bytes, and starts them at once, each on a virtual thread (unless
 * {@link Options#lazy()}: then each is read on the first request it serves). {@link #read} then serves any range
 * that was cached as a zero-copy slice of the merged buffer, waiting for its read if needed.
 *
 * {@snippet :
 * try (RandomAccessInput file = hdfs.openRandomAccess("/data/part-0.parquet");
 *      ReadRangeCache cache = ReadRangeCache.of(file, ReadRangeCache.Options.DEFAULT)) {
 *     cache.cache(List.of(new ReadRangeCache.Range(4, 1200), new ReadRangeCache.Range(1300, 800)));  // one read
 *     try (Buffer a = cache.read(4, 1200); Buffer b = cache.read(1300, 800)) { ... }
 * }
 * }
 *
 * <p>Slices outlive the cache: closing it drops its own references, and each merged buffer's memory goes back to
 * its pool when the last slice of it is closed. The file is the caller's, and must stay open until the reads are
 * done. Thread-safe: ranges may be cached and read from several threads at once.
 *
 * @since 1.1
 */
public final class ReadRangeCache implements AutoCloseable {

    /**
     * A range of a file: Arrow's {@code ReadRange}.
     *
     * @param offset where it starts, 0 or more
     * @param length how many bytes, 0 or more
     */
    public record Range(long offset, long length) {
        /** Checks the operands. */
        public Range {
            if (offset < 0 || length < 0) {
                throw new IllegalArgumentException("negative range: offset=" + offset + " length=" + length);
            }
            if (offset + length < 0) {
                throw new IllegalArgumentException("range past the largest position: offset=" + offset + " length="
                        + length);
            }
        }

        /** The position after the last byte. */
        public long end() {
            return offset + length;
        }
    }

    /**
     * How ranges are merged and read: pyarrow's {@code CacheOptions(hole_size_limit, range_size_limit, lazy)}.
     *
     * @param holeSizeLimit  the largest gap between two ranges that are still read as one (its bytes are read and
     *                       dropped): about what one more request costs in bytes on the medium
     * @param rangeSizeLimit the largest merged read; a range longer than this is read whole, alone
     * @param lazy           read each merged range only when a request first needs it, instead of all at once
     */
    public record Options(long holeSizeLimit, long rangeSizeLimit, boolean lazy) {

        /** Arrow's defaults: holes of up to 8 KiB, reads of up to 32 MiB, all started at once. */
        public static final Options DEFAULT = new Options(8 << 10, 32 << 20, false);

        /**
         * For files on a local disk: holes of up to 8 KiB, reads of up to 1 MiB. A request costs a system call
         * there, not a round trip, and reads of this size reuse the allocator's memory, where a fresh block of many
         * MiB costs more than the system calls it saves ({@code RangeReadBenchmark}; docs/benchmarks.md has the
         * figures).
         */
        public static final Options LOCAL_FILES = new Options(8 << 10, 1 << 20, false);

        /** Checks the limits. */
        public Options {
            if (holeSizeLimit < 0) {
                throw new IllegalArgumentException("negative holeSizeLimit: holeSizeLimit=" + holeSizeLimit);
            }
            if (rangeSizeLimit <= holeSizeLimit) {
                throw new IllegalArgumentException("rangeSizeLimit must be larger than holeSizeLimit: rangeSizeLimit="
                        + rangeSizeLimit + " holeSizeLimit=" + holeSizeLimit);
            }
        }

        /**
         * Options for a medium from its latency and bandwidth, as pyarrow's
         * {@code CacheOptions.from_network_metrics}: a hole is worth reading while reading it costs less than
         * another request (latency times bandwidth), and a read is long enough to spend 90% of its time
         * transferring (nine holes), from 1 MiB to 64 MiB (a hole is kept below the read size).
         *
         * @param latencyMillis  time to the first byte of a request
         * @param bytesPerSecond transfer rate of one request
         */
        public static Options fromNetworkMetrics(long latencyMillis, long bytesPerSecond) {
            if (latencyMillis < 0 || bytesPerSecond <= 0) {
                throw new IllegalArgumentException("latency must be 0 or more and bandwidth positive: latencyMillis="
                        + latencyMillis + " bytesPerSecond=" + bytesPerSecond);
            }
            long hole = (long) Math.min(1L << 40, (double) latencyMillis * bytesPerSecond / 1000);
            long range = Math.min(Math.max(9 * hole, 1L << 20), 64L << 20);
            return new Options(Math.min(hole, range - 1), range, false);
        }
    }

    /** A read that ended after the cache closed: its buffer is freed, and nobody waits for it. */
    private static final class Closed extends IllegalStateException {
        private static final long serialVersionUID = 1L;

        Closed() {
            super("closed");
        }
    }

    /** A merged read: its range, and the buffer once read (or the failure). */
    private static final class Entry {
        final Range range;
        private CompletableFuture<Buffer> data; // null: not started (lazy)

        Entry(Range range) {
            this.range = range;
        }
    }

    private final RandomAccessInput file;
    private final Options options;
    private final MemoryPool pool;
    /** By offset; merged entries of one {@link #cache} call never overlap, those of two calls may. */
    private final List<Entry> entries = new ArrayList<>();
    private boolean closed;

    private ReadRangeCache(RandomAccessInput file, Options options, MemoryPool pool) {
        this.file = file;
        this.options = options;
        this.pool = pool;
    }

    /** A cache of {@code file}'s ranges, read into the default pool (zero-copy where the file is in memory). */
    public static ReadRangeCache of(RandomAccessInput file, Options options) {
        return of(file, options, MemoryPool.defaultPool());
    }

    /** A cache of {@code file}'s ranges, read into {@code pool} (zero-copy where the file is in memory). */
    public static ReadRangeCache of(RandomAccessInput file, Options options, MemoryPool pool) {
        return new ReadRangeCache(Objects.requireNonNull(file, "file"), Objects.requireNonNull(options, "options"),
                Objects.requireNonNull(pool, "pool"));
    }

    /**
     * The ranges {@code ranges} merge into under {@code options}: sorted, overlaps and holes up to the limit
     * joined, none longer than the range limit unless one range alone is. Empty ranges are dropped.
     */
    public static List<Range> coalesce(List<Range> ranges, Options options) {
        Objects.requireNonNull(options, "options");
        List<Range> sorted = new ArrayList<>(Objects.requireNonNull(ranges, "ranges"));
        sorted.removeIf(r -> Objects.requireNonNull(r, "range").length() == 0);
        sorted.sort(Comparator.comparingLong(Range::offset).thenComparingLong(Range::length));
        List<Range> out = new ArrayList<>();
        long start = -1;
        long end = -1;
        for (Range r : sorted) {
            boolean joins = start >= 0 && r.offset() - end <= options.holeSizeLimit()
                    && Math.max(end, r.end()) - start <= options.rangeSizeLimit();
            boolean overlaps = start >= 0 && r.offset() < end; // an overlap is always joined: its bytes are shared
            if (joins || overlaps) {
                end = Math.max(end, r.end());
            } else {
                if (start >= 0) {
                    out.add(new Range(start, end - start));
                }
                start = r.offset();
                end = r.end();
            }
        }
        if (start >= 0) {
            out.add(new Range(start, end - start));
        }
        return out;
    }

    /**
     * Caches {@code ranges}: merges them and (unless lazy) starts their reads. May be called again with more.
     *
     * @throws EOFException          if a range goes past the end of the file (nothing is cached; the message gives
     *                               the range and the size)
     * @throws IllegalStateException if the cache is closed
     */
    public void cache(List<Range> ranges) throws IOException {
        List<Range> merged = coalesce(ranges, options);
        long size = file.size();
        for (Range r : ranges) {
            if (r.end() > size) {
                throw new EOFException(file + ": range beyond the end of the file: offset=" + r.offset() + " length="
                        + r.length() + " size=" + size);
            }
        }
        List<Entry> added = new ArrayList<>(merged.size());
        for (Range r : merged) {
            added.add(new Entry(r));
        }
        synchronized (this) {
            requireOpen();
            entries.addAll(added);
            entries.sort(Comparator.comparingLong(e -> e.range.offset()));
            if (!options.lazy()) {
                for (Entry e : added) {
                    start(e);
                }
            }
        }
    }

    /** Starts {@code e}'s read on a virtual thread (under the lock). */
    private void start(Entry e) {
        CompletableFuture<Buffer> future = new CompletableFuture<>();
        e.data = future;
        Thread.ofVirtual().name("quiver-range-read").start(() -> {
            try {
                Buffer b = file.readBufferAt(e.range.offset(), e.range.length(), pool);
                boolean drop;
                synchronized (this) {
                    drop = closed; // closed while reading: nobody will take it
                }
                if (drop) {
                    b.close();
                    future.completeExceptionally(new Closed());
                } else {
                    future.complete(b);
                }
            } catch (Throwable t) {
                future.completeExceptionally(t);
            }
        });
    }

    private void requireOpen() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
    }

    /**
     * {@code length} bytes at {@code offset}, from a range cached before: a zero-copy slice of its merged read
     * (waiting for the read if it is running, and starting it if the cache is lazy). The caller closes it.
     *
     * @throws IllegalArgumentException if no cached range holds {@code [offset, offset + length)}
     * @throws IOException              if the merged read failed (the message names it; the cause is its failure)
     * @throws IllegalStateException    if the cache is closed
     */
    public Buffer read(long offset, long length) throws IOException {
        Range wanted = new Range(offset, length);
        if (length == 0) {
            synchronized (this) {
                requireOpen();
            }
            return Buffer.wrap(new byte[0]);
        }
        CompletableFuture<Buffer> data;
        Range holder;
        synchronized (this) {
            requireOpen();
            Entry e = find(wanted);
            if (e == null) {
                throw new IllegalArgumentException("range not cached: offset=" + offset + " length=" + length
                        + " (cache it first; cached: " + cachedRanges() + ")");
            }
            if (e.data == null) {
                start(e);
            }
            data = e.data;
            holder = e.range;
        }
        Buffer merged;
        try {
            merged = data.get();
        } catch (InterruptedException ie) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("interrupted waiting for the read of " + holder + " of " + file);
        } catch (ExecutionException ee) {
            Throwable cause = ee.getCause();
            if (cause instanceof Closed) {
                throw new IllegalStateException("closed");
            }
            throw new IOException("the read of " + holder + " of " + file + " failed: " + cause, cause);
        }
        long at = offset - holder.offset();
        if (at + length > merged.size()) { // the file shrank since it was cached
            throw new EOFException(file + ": the file ended early: range offset=" + offset + " length=" + length
                    + " read only to " + (holder.offset() + merged.size()));
        }
        return merged.slice(at, length);
    }

    /** The entry whose range holds {@code wanted}, preferring the first (under the lock). */
    private Entry find(Range wanted) {
        int lo = 0;
        int hi = entries.size() - 1;
        int last = -1; // the last entry starting at or before the range
        while (lo <= hi) {
            int mid = (lo + hi) >>> 1;
            if (entries.get(mid).range.offset() <= wanted.offset()) {
                last = mid;
                lo = mid + 1;
            } else {
                hi = mid - 1;
            }
        }
        for (int i = last; i >= 0; i--) { // entries of separate cache calls may overlap: look back for a holder
            if (entries.get(i).range.end() >= wanted.end()) {
                return entries.get(i);
            }
        }
        return null;
    }

    /** The merged ranges, in order (under the lock). */
    private List<Range> cachedRanges() {
        List<Range> out = new ArrayList<>(entries.size());
        for (Entry e : entries) {
            out.add(e.range);
        }
        return out;
    }

    /** The merged reads this cache makes, in order. */
    public synchronized List<Range> mergedRanges() {
        return cachedRanges();
    }

    /**
     * Drops the cache's references to its merged reads (slices handed out stay valid), after waiting for the reads
     * still running. The file stays open. Idempotent.
     */
    @Override
    public void close() {
        List<CompletableFuture<Buffer>> started = new ArrayList<>();
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            for (Entry e : entries) {
                if (e.data != null) {
                    started.add(e.data);
                }
            }
            entries.clear();
        }
        for (CompletableFuture<Buffer> f : started) {
            try {
                f.join().close(); // a read still running is waited for, so that no memory is left behind
            } catch (java.util.concurrent.CompletionException | java.util.concurrent.CancellationException failed) {
                // a failed read holds nothing; its failure was (or would have been) reported by read()
            }
        }
    }

    @Override
    public String toString() {
        return "ReadRangeCache[" + file + ", " + options + "]";
    }
}
