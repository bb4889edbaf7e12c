package org.quiver.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.NoSuchFileException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * Copies a file or a whole directory tree between any two file systems: pyarrow's {@code pyarrow.fs.copy_files(
 * source, destination, source_filesystem=, destination_filesystem=, chunk_size=, use_threads=)}.
 *
 * {@snippet :
 * CopyFiles.Result r = CopyFiles.between(QuiverFileSystem.local(), "/data/day", hdfs, "/archive/day")
 *         .chunkSize(4 << 20)
 *         .threads(8)
 *         .listener(p -> System.out.println(p.bytesCopied() + " of " + p.bytesTotal()))
 *         .run();
 * }
 *
 * <p>A file is copied to the destination path; a directory's tree (its files at any depth, and its directories,
 * empty ones included) is copied into the destination directory, which is created. Bytes are copied as they are
 * (no compression is added or removed). Files are copied in parallel, {@link #threads(int)} at a time, each
 * streamed in {@link #chunkSize(long) chunks} of pool memory; the {@link Listener} hears of every chunk.
 *
 * <p>Nothing is lost on failure: each file is written under a temporary name beside its destination
 * ({@code .name.quiver-copy-...}) and moved over it only once complete, so a copy that fails (a full disk, a
 * source that vanished, an interruption) leaves every destination file either as it was or complete, and removes
 * its temporary files. The first failure stops the copies not yet started and is thrown, naming the file; the
 * copies that fail with it are added as suppressed.
 *
 * @since 1.1
 */
public final class CopyFiles {

    /** pyarrow's default {@code chunk_size}: 1 MiB. */
    public static final long DEFAULT_CHUNK_SIZE = 1 << 20;
    /** Files copied at once by default: the size of Arrow's IO thread pool. */
    public static final int DEFAULT_THREADS = 8;

    /**
     * How far a copy has come: totals are known from the start (the tree is listed first).
     *
     * @param bytesCopied  bytes written so far, over every file
     * @param bytesTotal   bytes of every file to copy
     * @param filesCopied  files complete (moved into place)
     * @param filesTotal   files to copy
     * @param elapsed      time since the copy started
     * @param file         the source path of the file whose chunk or completion this reports
     */
    public record Progress(long bytesCopied, long bytesTotal, int filesCopied, int filesTotal, Duration elapsed,
            String file) {

        /** Bytes per second since the start (0 before any time has passed). */
        public double bytesPerSecond() {
            long nanos = elapsed.toNanos();
            return nanos == 0 ? 0 : bytesCopied * 1e9 / nanos;
        }

        /** Whether every file is copied. */
        public boolean isComplete() {
            return filesCopied == filesTotal;
        }
    }

    /**
     * Hears of a copy's progress: after each chunk and each completed file. Calls are made one at a time (never
     * concurrently), from the copying threads; a listener should return quickly. What it throws stops the copy.
     */
    @FunctionalInterface
    public interface Listener {
        void progress(Progress progress);
    }

    /**
     * What a copy did.
     *
     * @param files       files copied
     * @param directories directories created (the destination's own included, for a tree)
     * @param bytes       bytes copied
     * @param elapsed     how long it took
     */
    public record Result(int files, int directories, long bytes, Duration elapsed) {
    }

    private final QuiverFileSystem sourceFs;
    private final String source;
    private final QuiverFileSystem destinationFs;
    private final String destination;
    private long chunkSize = DEFAULT_CHUNK_SIZE;
    private int threads = DEFAULT_THREADS;
    private Listener listener = p -> { };
    private MemoryPool pool;

    private CopyFiles(QuiverFileSystem sourceFs, String source, QuiverFileSystem destinationFs, String destination) {
        this.sourceFs = sourceFs;
        this.source = source;
        this.destinationFs = destinationFs;
        this.destination = destination;
    }

    /**
     * A copy of {@code source} on {@code sourceFs} to {@code destination} on {@code destinationFs} (the same file
     * system or two).
     */
    public static CopyFiles between(QuiverFileSystem sourceFs, String source, QuiverFileSystem destinationFs,
            String destination) {
        return new CopyFiles(Objects.requireNonNull(sourceFs, "sourceFs"), Objects.requireNonNull(source, "source"),
                Objects.requireNonNull(destinationFs, "destinationFs"),
                Objects.requireNonNull(destination, "destination"));
    }

    /** The size of the pieces each file is streamed in (pyarrow's {@code chunk_size}), 1 MiB by default. */
    public CopyFiles chunkSize(long bytes) {
        if (bytes < 1 || bytes > Integer.MAX_VALUE) {
            throw new IllegalArgumentException("chunk size must be from 1 to " + Integer.MAX_VALUE + " bytes: chunkSize="
                    + bytes);
        }
        this.chunkSize = bytes;
        return this;
    }

    /** How many files are copied at once; 1 copies them one after the other (pyarrow's {@code use_threads=False}). */
    public CopyFiles threads(int count) {
        if (count < 1) {
            throw new IllegalArgumentException("threads must be at least 1: threads=" + count);
        }
        this.threads = count;
        return this;
    }

    /** Who hears of the progress. */
    public CopyFiles listener(Listener listener) {
        this.listener = Objects.requireNonNull(listener, "listener");
        return this;
    }

    /** The pool the chunks come from; the default pool by default. */
    public CopyFiles pool(MemoryPool pool) {
        this.pool = Objects.requireNonNull(pool, "pool");
        return this;
    }

    /** One file to copy: its source path, its destination path, its size. */
    private record Job(String from, String to, long size) {
    }

    /**
     * Copies, and returns when every file is in place.
     *
     * @throws NoSuchFileException      if the source does not exist
     * @throws IllegalArgumentException if the destination lies in the source's tree on the same file system
     * @throws IOException              the first failure of a file (the others are suppressed in it); every
     *                                  destination file is as it was or complete
     */
    public Result run() throws IOException {
        long start = System.nanoTime();
        FileInfo root = sourceFs.info(source);
        List<Job> jobs = new ArrayList<>();
        int directories = 0;
        switch (root.type()) {
            case NOT_FOUND -> throw new NoSuchFileException(source, null, "copyFiles: the source does not exist");
            case FILE -> jobs.add(new Job(root.path(), destinationFs.normalize(destination), root.size()));
            case DIRECTORY -> {
                String from = root.path();
                String to = destinationFs.normalize(destination);
                refuseCopyIntoItself(from, to);
                List<FileInfo> tree = sourceFs.list(FileSelector.recursive(from));
                destinationFs.createDirectory(to, true);
                directories++;
                List<FileInfo> dirs = new ArrayList<>();
                for (FileInfo f : tree) {
                    if (f.type() == FileType.DIRECTORY) {
                        dirs.add(f);
                    }
                }
                dirs.sort((a, b) -> a.path().compareTo(b.path())); // parents before their children
                for (FileInfo d : dirs) {
                    destinationFs.createDirectory(join(to, relative(from, d.path())), true);
                    directories++;
                }
                for (FileInfo f : tree) {
                    if (f.type() == FileType.FILE) {
                        jobs.add(new Job(f.path(), join(to, relative(from, f.path())), f.size()));
                    }
                }
            }
            default -> throw new NotRegularFileException(source, "copyFiles", root.type().toString().toLowerCase(
                    java.util.Locale.ROOT), "only files and directories are copied");
        }
        Tally tally = new Tally(jobs, start);
        copyAll(jobs, tally);
        return new Result(jobs.size(), directories, tally.bytes, Duration.ofNanos(System.nanoTime() - start));
    }

    /** Refuses a destination in the source's tree on the same file system (compared by URI). */
    private void refuseCopyIntoItself(String from, String to) {
        java.net.URI a = sourceFs.toUri(from);
        java.net.URI b = destinationFs.toUri(to);
        if (Objects.equals(a.getScheme(), b.getScheme()) && Objects.equals(a.getAuthority(), b.getAuthority())) {
            String pa = a.getPath().endsWith("/") ? a.getPath() : a.getPath() + "/";
            String pb = b.getPath().endsWith("/") ? b.getPath() : b.getPath() + "/";
            if (pb.startsWith(pa)) {
                throw new IllegalArgumentException("copyFiles: the destination " + destination + " is in the source's"
                        + " tree " + source + ": the copy would copy into itself");
            }
        }
    }

    private static String relative(String base, String path) {
        String prefix = base.endsWith("/") ? base : base + "/";
        if (!path.startsWith(prefix)) {
            throw new IllegalStateException("listed outside " + base + ": " + path);
        }
        return path.substring(prefix.length());
    }

    private static String join(String dir, String relative) {
        return dir.endsWith("/") ? dir + relative : dir + "/" + relative;
    }

    /** Progress over every file, reported one call at a time. */
    private final class Tally {
        private final long total;
        private final int files;
        private final long start;
        private long bytes;
        private int done;

        Tally(List<Job> jobs, long start) {
            long sum = 0;
            for (Job j : jobs) {
                sum += Math.max(0, j.size());
            }
            this.total = sum;
            this.files = jobs.size();
            this.start = start;
        }

        synchronized void copied(long n, String file, boolean finished) {
            bytes += n;
            if (finished) {
                done++;
            }
            listener.progress(new Progress(bytes, Math.max(total, bytes), done, files,
                    Duration.ofNanos(System.nanoTime() - start), file));
        }
    }

    private void copyAll(List<Job> jobs, Tally tally) throws IOException {
        if (jobs.isEmpty()) {
            return;
        }
        AtomicInteger next = new AtomicInteger();
        AtomicBoolean stop = new AtomicBoolean();
        int workers = Math.min(threads, jobs.size());
        AtomicInteger names = new AtomicInteger();
        ExecutorService executor = Executors.newFixedThreadPool(workers,
                r -> Thread.ofPlatform().daemon().name("quiver-copy-" + names.incrementAndGet()).unstarted(r));
        List<Future<?>> futures = new ArrayList<>();
        java.util.Queue<Throwable> failures = new java.util.concurrent.ConcurrentLinkedQueue<>();
        try {
            for (int w = 0; w < workers; w++) {
                futures.add(executor.submit(() -> {
                    int i;
                    while (!stop.get() && (i = next.getAndIncrement()) < jobs.size()) {
                        try {
                            copyOne(jobs.get(i), tally, stop);
                        } catch (IOException | RuntimeException | Error e) {
                            if (!(e instanceof Stopped)) {
                                failures.add(e); // in the order they happen: the first is the cause
                            }
                            stop.set(true);
                            return null;
                        }
                    }
                    return null;
                }));
            }
            Throwable first = null;
            for (Future<?> f : futures) {
                try {
                    f.get();
                } catch (ExecutionException e) {
                    failures.add(e.getCause()); // not reached: the tasks catch what they throw
                } catch (InterruptedException e) {
                    stop.set(true);
                    Thread.currentThread().interrupt();
                    first = new InterruptedIOException("copyFiles interrupted: " + source + " to " + destination);
                    break;
                }
            }
            for (Throwable t : failures) {
                if (first == null) {
                    first = t;
                } else if (t != first) {
                    first.addSuppressed(t);
                }
            }
            if (first instanceof IOException e) {
                throw e;
            }
            if (first instanceof RuntimeException e) {
                throw e;
            }
            if (first instanceof Error e) {
                throw e;
            }
        } finally {
            stop.set(true);
            executor.shutdown();
            try {
                while (!executor.awaitTermination(1, java.util.concurrent.TimeUnit.SECONDS)) {
                    // the copies stop at their next chunk and remove their temporary files
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /** A copy stopped because another failed: not a failure of its own. */
    private static final class Stopped extends InterruptedIOException {
        private static final long serialVersionUID = 1L;

        Stopped(String file) {
            super("copyFiles: stopped by another file's failure: " + file);
        }
    }

    /** Copies one file under a temporary name and moves it into place; on failure removes the temporary file. */
    private void copyOne(Job job, Tally tally, AtomicBoolean stop) throws IOException {
        int slash = job.to().lastIndexOf('/');
        String temporary = job.to().substring(0, slash + 1) + "." + job.to().substring(slash + 1) + ".quiver-copy-"
                + Long.toHexString(ThreadLocalRandom.current().nextLong());
        MemoryPool p = pool != null ? pool : MemoryPool.defaultPool();
        boolean moved = false;
        try {
            try (SequentialInput in = sourceFs.openInput(job.from());
                    SequentialOutput out = destinationFs.openOutput(temporary);
                    Buffer chunk = p.allocate(Math.min(chunkSize, Math.max(1, job.size())))) {
                long n;
                while ((n = in.read(chunk, 0, chunk.size())) > 0) {
                    if (stop.get()) {
                        throw new Stopped(job.from());
                    }
                    out.write(chunk, 0, n);
                    tally.copied(n, job.from(), false);
                }
            }
            destinationFs.move(temporary, job.to());
            moved = true;
            tally.copied(0, job.from(), true);
        } catch (IOException | RuntimeException | Error e) {
            if (!moved) {
                try {
                    destinationFs.deleteFile(temporary);
                } catch (NoSuchFileException gone) {
                    // never created
                } catch (IOException | RuntimeException suppressed) {
                    e.addSuppressed(suppressed);
                }
            }
            throw e;
        }
    }
}
