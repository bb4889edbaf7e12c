package org.quiver.reliability;

import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import org.quiver.io.FileMode;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.OSFile;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;

/**
 * The child JVM of {@link RacingCloseTest}: races a reader (or writer) thread against a close, many times per
 * case, and says what happened. A crash kills this JVM, which the parent sees; anything else that goes wrong (a
 * wrong exception type, a guarded read that saw freed memory, a hang, bytes left in the pool) is printed as a
 * {@code FAIL} line and ends the JVM with status 3.
 *
 * <p>Arguments: the close-safety level, races per case, a seed, then cases {@code pool:size:operation} (pool
 * {@code map} for memory maps, {@code os} for an OS file closed under reads). Each case prints {@code CASE <case>} before it starts, so that a crash names it.
 */
public final class RacingCloseChild {

    /** The pattern every racing buffer is filled with; a guarded read must never see anything else. */
    static final long PATTERN = 0x5A5A_5A5A_5A5A_5A5AL;

    /** What the racing thread does until the close stops it. */
    enum Operation {
        /** {@code getLong} over the whole buffer. */
        ELEMENT,
        /** {@code get(index, byte[])} of the whole buffer. */
        BULK,
        /** Reads a slice; the parent is closed first, so closing the slice frees the memory. */
        SLICE,
        /** Reads the {@code asByteBuffer()} view. */
        BYTE_BUFFER,
        /** Reads the {@code asSegment()} view. */
        SEGMENT,
        /** {@code setLong} over the whole buffer (with the pattern). */
        WRITE,
        /** An OS file read into the buffer, racing the buffer's close. */
        FILE_READ,
        /** A map's {@code readAt(byte[])} racing the file's close (map cases only). */
        FILE_CLOSE,
        /** The {@code asByteBuffer()} view read after close in the same thread: no race, a plain misuse. */
        VIEW_AFTER_CLOSE,
        /**
         * The same, with the pool's {@code releaseUnused()} between the close and the read, so that the allocator
         * may give the freed memory back to the kernel first.
         */
        VIEW_AFTER_RELEASE;

        boolean once() {
            return this == VIEW_AFTER_CLOSE || this == VIEW_AFTER_RELEASE;
        }

        boolean writes() {
            return this == WRITE || this == FILE_READ;
        }
    }

    record Case(String pool, long size, Operation operation) {
        static Case parse(String s) {
            String[] p = s.split(":");
            return new Case(p[0], Long.parseLong(p[1]), Operation.valueOf(p[2].toUpperCase(Locale.ROOT)));
        }

        @Override
        public String toString() {
            return pool + ":" + size + ":" + operation.name().toLowerCase(Locale.ROOT);
        }
    }

    private static final List<String> FAILURES = new ArrayList<>();
    private static Path work;
    private static Path dataFile;

    private RacingCloseChild() {
    }

    public static void main(String[] args) throws Exception {
        CloseSafety.setLevel(CloseSafety.valueOf(args[0].toUpperCase(Locale.ROOT)));
        int races = Integer.parseInt(args[1]);
        SplittableRandom random = new SplittableRandom(Long.parseLong(args[2]));
        work = Files.createTempDirectory("races");
        long started = System.nanoTime();
        long total = 0;
        try {
            for (int i = 3; i < args.length; i++) {
                Case c = Case.parse(args[i]);
                System.out.println("CASE " + c);
                System.out.flush();
                long t0 = System.nanoTime();
                int n = c.operation.once() ? 1 : races;
                for (int r = 0; r < n && FAILURES.size() < 20; r++) {
                    race(c, random);
                }
                total += n;
                checkPoolIsEmpty(c);
                System.out.printf(Locale.ROOT, "DONE %s races=%d ms=%d%n", c, n, (System.nanoTime() - t0) / 1_000_000);
            }
        } finally {
            if (dataFile != null) {
                Files.deleteIfExists(dataFile);
            }
            try (var files = Files.list(work)) {
                for (Path p : files.toList()) {
                    Files.deleteIfExists(p);
                }
            }
            Files.deleteIfExists(work);
        }
        System.out.printf(Locale.ROOT, "TOTAL races=%d seconds=%.1f failures=%d%n", total,
                (System.nanoTime() - started) / 1e9, FAILURES.size());
        FAILURES.forEach(f -> System.out.println("FAIL " + f));
        System.out.flush();
        System.exit(FAILURES.isEmpty() ? 0 : 3);
    }

    // ---- one race -------------------------------------------------------------------------------------------

    private static void race(Case c, SplittableRandom random) throws Exception {
        if (c.pool.equals("map")) {
            raceMap(c, random);
            return;
        }
        if (c.pool.equals("os")) {
            raceOsFileClose(c, random);
            return;
        }
        MemoryPool pool = MemoryPool.pool(c.pool);
        Buffer buffer = pool.allocate(c.size);
        for (long i = 0; i + 8 <= c.size; i += 8) {
            buffer.setLong(i, PATTERN);
        }
        boolean guarded = CloseSafety.isGuarded(buffer);
        if (c.operation.once()) {
            ByteBuffer view = buffer.asByteBuffer();
            buffer.close();
            if (c.operation == Operation.VIEW_AFTER_RELEASE) {
                pool.releaseUnused();
            }
            // Unguarded, this reads freed memory: it must still be mapped, or the JVM dies here.
            try {
                long sum = 0;
                for (int i = 0; i + 8 <= view.capacity(); i += 4096) {
                    sum += view.getLong(i);
                }
                if (guarded) {
                    fail(c, "a view of a guarded block was readable after close: " + Long.toHexString(sum));
                }
            } catch (IllegalStateException expected) {
                if (!guarded) {
                    fail(c, "a view of an unguarded block threw: " + expected);
                }
            }
            return;
        }
        Buffer target = buffer;
        if (c.operation == Operation.SLICE) {
            target = buffer.slice(0, c.size);
            buffer.close();
        }
        Buffer racing = target;
        OSFile file = c.operation == Operation.FILE_READ ? OSFile.open(dataFile(c.size), FileMode.READ) : null;
        try {
            Runnable reader = readerOf(c, racing, file, guarded);
            runRace(c, reader, racing::close, random, guarded);
        } finally {
            if (file != null) {
                file.close();
            }
        }
    }

    private static void raceMap(Case c, SplittableRandom random) throws Exception {
        MemoryMappedFile map = MemoryMappedFile.open(dataFile(c.size), FileMode.READ);
        boolean guarded = CloseSafety.guardsMappings();
        switch (c.operation) {
            case FILE_CLOSE -> {
                byte[] dst = new byte[(int) Math.min(c.size, 1 << 16)];
                runRace(c, () -> {
                    try {
                        for (long at = 0; ; at = (at + dst.length) % c.size) {
                            int n = map.readAt(at, dst, 0, (int) Math.min(dst.length, c.size - at));
                            checkBytes(c, dst, n, true);
                        }
                    } catch (IOException e) {
                        throw new IllegalArgumentException("unexpected " + e, e);
                    }
                }, map::close, random, true);
            }
            case ELEMENT, BULK, BYTE_BUFFER, SEGMENT -> {
                Buffer buffer = map.readBufferAt(0, c.size);
                map.close(); // the buffer holds the mapping: closing it unmaps
                runRace(c, readerOf(c, buffer, null, guarded), buffer::close, random, guarded);
            }
            default -> throw new IllegalArgumentException("not a map operation: " + c);
        }
    }

    /** An OS file closed under positional reads into an array and into a pool buffer (FILE_CLOSE only). */
    private static void raceOsFileClose(Case c, SplittableRandom random) throws Exception {
        if (c.operation != Operation.FILE_CLOSE) {
            throw new IllegalArgumentException("not an OS-file operation: " + c);
        }
        OSFile file = OSFile.open(dataFile(c.size), FileMode.READ);
        byte[] dst = new byte[(int) Math.min(c.size, 1 << 16)];
        try (Buffer into = MemoryPool.pool("system").allocate(dst.length)) {
            runRace(c, () -> {
                try {
                    for (long at = 0; ; at = (at + dst.length) % c.size) {
                        int n = file.readAt(at, dst, 0, (int) Math.min(dst.length, c.size - at));
                        checkBytes(c, dst, n, true);
                        file.seek(at);
                        long m = file.read(into, 0, Math.min(dst.length, c.size - at));
                        checkLong(c, m >= 8 ? into.getLong(0) : PATTERN, true);
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("unexpected " + e, e);
                }
            }, file::close, random, true);
        }
    }

    /**
     * Starts {@code reader} on its own thread, waits until it is running, closes after a random few
     * microseconds, and checks that the reader ended with {@link IllegalStateException} and nothing else. A reader
     * of unguarded memory may also end by its own deadline: its compiled loop may have hoisted the closed check.
     */
    private static void runRace(Case c, Runnable reader, AutoCloseableRunnable close, SplittableRandom random,
            boolean guarded) throws Exception {
        CountDownLatch running = new CountDownLatch(1);
        AtomicReference<Throwable> ended = new AtomicReference<>();
        Thread t = Thread.ofPlatform().name("racer").start(() -> {
            running.countDown();
            try {
                reader.run();
                ended.set(new AssertionError("the reader returned without seeing the close"));
            } catch (Throwable e) {
                ended.set(e);
            }
        });
        running.await();
        long spin = random.nextLong(200_000);
        long until = System.nanoTime() + spin;
        while (System.nanoTime() < until) {
            Thread.onSpinWait();
        }
        close.run();
        t.join(TimeUnit.SECONDS.toMillis(20));
        if (t.isAlive()) {
            fail(c, "the racing thread still runs 20 s after the close (a hang): " + stack(t));
            t.interrupt();
            return;
        }
        Throwable e = ended.get();
        if (!guarded && e instanceof ReaderDeadline) {
            return;
        }
        if (!(e instanceof IllegalStateException)) {
            fail(c, "the racing thread ended with " + e + (e == null ? "" : " at " + stackOf(e)));
        }
    }

    /** A reader of unguarded memory that ran to its deadline without seeing the close. */
    static final class ReaderDeadline extends RuntimeException {
        ReaderDeadline() {
            super("the reader ran to its deadline", null, false, false);
        }
    }

    /** Whether a reader may go on; past its deadline it ends with {@link ReaderDeadline}. */
    private static boolean going(long deadline) {
        if (System.nanoTime() - deadline > 0) {
            throw new ReaderDeadline();
        }
        return true;
    }

    @FunctionalInterface
    interface AutoCloseableRunnable {
        void run() throws Exception;
    }

    /** The racing loop of {@code c.operation} over {@code b}; it ends only by an exception. */
    private static Runnable readerOf(Case c, Buffer b, OSFile file, boolean guarded) {
        long size = b.size();
        // A guarded reader must see the close within seconds; an unguarded one may never (its compiled loop may
        // hoist the plain read of the closed flag) and reads on, freed memory included, for a few milliseconds.
        long deadline = System.nanoTime() + (guarded ? TimeUnit.SECONDS.toNanos(5) : TimeUnit.MILLISECONDS.toNanos(20));
        return switch (c.operation) {
            case ELEMENT, SLICE -> () -> {
                while (going(deadline)) {
                    for (long i = 0; i + 8 <= size; i += 8) {
                        checkLong(c, b.getLong(i), guarded);
                    }
                }
            };
            case BULK -> () -> {
                byte[] dst = new byte[(int) Math.min(size, 1 << 20)];
                while (going(deadline)) {
                    b.get(0, dst, 0, dst.length);
                    checkBytes(c, dst, dst.length, guarded);
                }
            };
            case BYTE_BUFFER -> () -> {
                ByteBuffer view = b.asByteBuffer().order(ByteOrder.LITTLE_ENDIAN);
                while (going(deadline)) {
                    for (int i = 0; i + 8 <= view.capacity(); i += 8) {
                        checkLong(c, view.getLong(i), guarded);
                    }
                }
            };
            case SEGMENT -> () -> {
                MemorySegment view = b.asSegment();
                while (going(deadline)) {
                    for (long i = 0; i + 8 <= size; i += 8) {
                        checkLong(c, view.get(ValueLayout.JAVA_LONG_UNALIGNED, i), guarded);
                    }
                }
            };
            case WRITE -> () -> {
                while (going(deadline)) {
                    for (long i = 0; i + 8 <= size; i += 8) {
                        b.setLong(i, PATTERN);
                    }
                }
            };
            case FILE_READ -> () -> {
                try {
                    while (going(deadline)) {
                        file.seek(0);
                        file.read(b, 0, size);
                    }
                } catch (IOException e) {
                    throw new IllegalArgumentException("unexpected " + e, e);
                }
            };
            default -> throw new IllegalArgumentException("not a buffer operation: " + c);
        };
    }

    // ---- checks ---------------------------------------------------------------------------------------------

    private static void checkLong(Case c, long v, boolean guarded) {
        if (guarded && v != PATTERN) {
            throw new IllegalArgumentException(c + ": a guarded read saw freed memory: 0x" + Long.toHexString(v));
        }
    }

    private static void checkBytes(Case c, byte[] dst, int n, boolean guarded) {
        if (!guarded) {
            return;
        }
        for (int i = 0; i < n; i += 4093) {
            if (dst[i] != 0x5A) {
                throw new IllegalArgumentException(c + ": a guarded read saw freed memory at " + i + ": " + dst[i]);
            }
        }
    }

    /** Closes of guarded blocks may finish on another thread: the pool must reach zero within seconds. */
    private static void checkPoolIsEmpty(Case c) throws InterruptedException {
        MemoryPool pool = MemoryPool.pool(c.pool.equals("map") || c.pool.equals("os") ? "system" : c.pool);
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.bytesAllocated() != 0 && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (pool.bytesAllocated() != 0) {
            fail(c, "pool '" + c.pool + "' still holds " + pool.bytesAllocated() + " bytes after every buffer closed");
        }
    }

    private static Path dataFile(long size) throws IOException {
        if (dataFile == null || Files.size(dataFile) != size) {
            if (dataFile != null) {
                Files.delete(dataFile);
            }
            dataFile = work.resolve("data-" + size);
            byte[] bytes = new byte[(int) size];
            java.util.Arrays.fill(bytes, (byte) 0x5A);
            Files.write(dataFile, bytes);
        }
        return dataFile;
    }

    private static void fail(Case c, String what) {
        synchronized (FAILURES) {
            FAILURES.add(c + ": " + what);
        }
    }

    private static String stack(Thread t) {
        StringBuilder s = new StringBuilder();
        for (StackTraceElement e : t.getStackTrace()) {
            s.append("\n    at ").append(e);
        }
        return s.toString();
    }

    private static String stackOf(Throwable e) {
        StringBuilder s = new StringBuilder();
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(8, trace.length); i++) {
            s.append("\n    at ").append(trace[i]);
        }
        return s.toString();
    }
}
