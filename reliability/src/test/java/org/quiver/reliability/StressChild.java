package org.quiver.reliability;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;
import java.util.SplittableRandom;
import java.util.concurrent.BrokenBarrierException;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.atomic.LongAdder;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * The child JVM of {@link RandomStressTest}: worker threads do random allocate / write / read / slice / resize /
 * reallocate / copy / hand over / close sequences on every pool and on the default pool, each buffer checked
 * against a {@code byte[]} model (contents and alignment), while another thread switches the default pool and
 * calls {@code releaseUnused()}. At quiescent checkpoints (every worker parked at a barrier) the bytes each backend
 * holds must equal the capacities of its live buffers exactly, and its allocation count and bytes ever allocated
 * the allocations and growths the workers made there; at the end, zero bytes.
 *
 * <p>Arguments: close-safety level, operations in total, worker threads, seed. Prints {@code OPS ...} with the
 * rate; any failure prints {@code FAIL} and ends with status 3.
 */
public final class StressChild {

    static final List<String> BACKENDS = List.of("system", "jemalloc", "mimalloc");
    static final int CHECKPOINT_EVERY = 20_000;

    /** A buffer and what it must contain. */
    static final class Owned {
        final Buffer buffer;
        final long alignment;
        byte[] model;

        Owned(Buffer buffer, long alignment, byte[] model) {
            this.buffer = buffer;
            this.alignment = alignment;
            this.model = model;
        }
    }

    private static final ConcurrentLinkedQueue<Owned> HANDOVER = new ConcurrentLinkedQueue<>();
    private static final AtomicReference<String> FAILURE = new AtomicReference<>();
    private static final AtomicLong OPERATIONS = new AtomicLong();
    private static final AtomicLong SWITCHES = new AtomicLong();

    private StressChild() {
    }

    public static void main(String[] args) throws Exception {
        CloseSafety.setLevel(CloseSafety.valueOf(args[0].toUpperCase(Locale.ROOT)));
        long total = Long.parseLong(args[1]);
        int workers = Integer.parseInt(args[2]);
        long seed = Long.parseLong(args[3]);
        long perWorker = total / workers;
        int checkpoints = (int) Math.max(1, perWorker / CHECKPOINT_EVERY);
        List<List<Owned>> owned = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            owned.add(new ArrayList<>());
        }
        AtomicBoolean switching = new AtomicBoolean(true);
        AtomicBoolean pause = new AtomicBoolean();
        AtomicBoolean parked = new AtomicBoolean();
        CyclicBarrier atCheckpoint = new CyclicBarrier(workers + 1);
        CyclicBarrier resume = new CyclicBarrier(workers + 1);
        long t0 = System.nanoTime();
        Thread switcher = Thread.ofPlatform().name("switcher").start(() -> {
            SplittableRandom r = new SplittableRandom(seed ^ 0x5EED);
            while (switching.get()) {
                if (pause.get()) {
                    parked.set(true);
                    while (pause.get()) {
                        Thread.onSpinWait();
                    }
                    parked.set(false);
                }
                MemoryPool.setDefault(BACKENDS.get(r.nextInt(BACKENDS.size())));
                SWITCHES.incrementAndGet();
                if (r.nextInt(8) == 0) {
                    MemoryPool.pool(BACKENDS.get(r.nextInt(BACKENDS.size()))).releaseUnused();
                }
                java.util.concurrent.locks.LockSupport.parkNanos(20_000); // a switch every few tens of us
            }
        });
        List<Thread> threads = new ArrayList<>();
        for (int w = 0; w < workers; w++) {
            int id = w;
            threads.add(Thread.ofPlatform().name("worker-" + w).start(() -> {
                SplittableRandom r = new SplittableRandom(seed + id);
                List<Owned> mine = owned.get(id);
                try {
                    for (int c = 0; c < checkpoints && FAILURE.get() == null; c++) {
                        for (int i = 0; i < perWorker / checkpoints && FAILURE.get() == null; i++) {
                            step(r, mine);
                        }
                        atCheckpoint.await(120, TimeUnit.SECONDS);
                        resume.await(120, TimeUnit.SECONDS);
                    }
                } catch (Throwable e) {
                    fail("worker " + id + ": " + describe(e));
                    atCheckpoint.reset();
                    resume.reset();
                }
            }));
        }
        int done = 0;
        try {
            for (; done < checkpoints && FAILURE.get() == null; done++) {
                atCheckpoint.await(300, TimeUnit.SECONDS);
                pause.set(true);
                while (!parked.get()) {
                    Thread.onSpinWait();
                }
                checkAccounting(owned);
                pause.set(false);
                resume.await(300, TimeUnit.SECONDS);
            }
        } catch (BrokenBarrierException | TimeoutException e) {
            fail("checkpoint " + done + " never came: " + describe(e));
        }
        for (Thread t : threads) {
            t.join(TimeUnit.SECONDS.toMillis(60));
        }
        switching.set(false);
        switcher.join();
        double seconds = (System.nanoTime() - t0) / 1e9;
        // Everything back: whatever is still owned or in hand-over is checked and closed.
        for (List<Owned> mine : owned) {
            for (Owned o : mine) {
                verifyAndClose(o);
            }
        }
        for (Owned o; (o = HANDOVER.poll()) != null; ) {
            verifyAndClose(o);
        }
        waitForZero();
        checkCounts("end");
        System.out.printf(Locale.ROOT, "OPS %d seconds=%.2f ops/s=%.0f checkpoints=%d switches=%d level=%s%n",
                OPERATIONS.get(), seconds, OPERATIONS.get() / seconds, done, SWITCHES.get(), args[0]);
        String failure = FAILURE.get();
        if (failure != null) {
            System.out.println("FAIL " + failure);
        }
        System.out.flush();
        System.exit(failure == null ? 0 : 3);
    }

    // ---- one random operation -------------------------------------------------------------------------------

    private static void step(SplittableRandom r, List<Owned> mine) {
        OPERATIONS.incrementAndGet();
        int op = mine.isEmpty() ? 0 : r.nextInt(100);
        if (op < 20 || mine.size() < 4 && op < 50) {
            mine.add(allocate(r));
            return;
        }
        Owned o = mine.get(r.nextInt(mine.size()));
        long size = o.buffer.size();
        if (op < 40) { // element writes, checked by reads
            if (size >= 8) {
                long at = r.nextLong(size - 7);
                long v = r.nextLong();
                o.buffer.setLong(at, v);
                for (int k = 0; k < 8; k++) {
                    o.model[(int) at + k] = (byte) (v >>> (8 * k));
                }
                check(o.buffer.getLong(at) == v, o, "getLong after setLong at " + at);
            } else if (size > 0) {
                long at = r.nextLong(size);
                byte v = (byte) r.nextInt();
                o.buffer.setByte(at, v);
                o.model[(int) at] = v;
            }
        } else if (op < 50) { // bulk read of a range
            if (size > 0) {
                int from = r.nextInt((int) size);
                int n = r.nextInt((int) size - from + 1);
                byte[] dst = new byte[n];
                o.buffer.get(from, dst, 0, n);
                check(Arrays.equals(dst, 0, n, o.model, from, from + n), o, "bulk get [" + from + ", +" + n + ")");
            }
        } else if (op < 58) { // a slice, read and closed
            if (size > 0) {
                int from = r.nextInt((int) size);
                int n = r.nextInt((int) size - from + 1);
                try (Buffer s = o.buffer.slice(from, n)) {
                    check(Arrays.equals(s.toByteArray(), Arrays.copyOfRange(o.model, from, from + n)), o,
                            "slice [" + from + ", +" + n + ")");
                }
            }
        } else if (op < 68) { // resize or reallocate (grow or shrink), new bytes written
            long newSize = size(r);
            ResizableBuffer b = (ResizableBuffer) o.buffer;
            long oldCapacity = b.capacity();
            if (r.nextBoolean()) {
                b.resize(newSize, r.nextBoolean());
            } else {
                ((ResizableBuffer) o.buffer).pool().reallocate(b, newSize);
            }
            byte[] m = Arrays.copyOf(o.model, (int) newSize);
            if (newSize > size) {
                byte[] fresh = new byte[(int) (newSize - size)];
                r.nextBytes(fresh);
                b.put(size, fresh, 0, fresh.length);
                System.arraycopy(fresh, 0, m, (int) size, fresh.length);
            }
            o.model = m;
            long newCapacity = b.capacity();
            if (newCapacity > oldCapacity) { // a fresh block or a growth: one allocation of the difference
                expectAllocation(o, newCapacity - oldCapacity);
            }
            checkAligned(o, "resize to " + newSize);
            check(Arrays.equals(b.toByteArray(), m), o, "contents after resize from " + size + " to " + newSize);
        } else if (op < 75) { // copy into a random pool
            MemoryPool pool = pool(r);
            ResizableBuffer copy = o.buffer.copy(0, size, pool);
            Owned c = new Owned(copy, 64, o.model.clone());
            if (copy.capacity() > 0) {
                expectAllocation(c, copy.capacity());
            }
            check(Arrays.equals(copy.toByteArray(), c.model), c, "copy");
            mine.add(c);
        } else if (op < 85) { // hand over to whichever thread picks it up
            mine.remove(o);
            verify(o);
            HANDOVER.add(o);
            Owned taken = HANDOVER.poll();
            if (taken != null) {
                verify(taken);
                mine.add(taken);
            }
        } else { // close
            mine.remove(o);
            verifyAndClose(o);
            if (mine.size() > 64) {
                Owned extra = mine.remove(mine.size() - 1);
                verifyAndClose(extra);
            }
        }
    }

    private static Owned allocate(SplittableRandom r) {
        long size = size(r);
        long alignment = 1L << r.nextInt(13); // 1 to 4096
        MemoryPool pool = pool(r);
        ResizableBuffer b = pool.allocate(size, alignment);
        byte[] model = new byte[(int) size];
        r.nextBytes(model);
        b.put(0, model, 0, model.length);
        Owned o = new Owned(b, alignment, model);
        if (b.capacity() > 0) {
            expectAllocation(o, b.capacity());
        }
        checkAligned(o, "allocate");
        return o;
    }

    /** Mostly small, sometimes medium, rarely large enough to be guarded. */
    private static long size(SplittableRandom r) {
        int k = r.nextInt(1000);
        if (k < 20) {
            return 0;
        }
        if (k < 700) {
            return r.nextInt(1, 257);
        }
        if (k < 985) {
            return r.nextInt(257, 65_537);
        }
        return r.nextInt(1 << 20, (2 << 20) + 1);
    }

    private static MemoryPool pool(SplittableRandom r) {
        int k = r.nextInt(BACKENDS.size() + 1);
        return k == BACKENDS.size() ? MemoryPool.defaultPool() : MemoryPool.pool(BACKENDS.get(k));
    }

    // ---- checks ---------------------------------------------------------------------------------------------

    private static void verify(Owned o) {
        check(Arrays.equals(o.buffer.toByteArray(), o.model), o, "contents");
        checkAligned(o, "contents");
    }

    private static void verifyAndClose(Owned o) {
        verify(o);
        o.buffer.close();
        check(o.buffer.isClosed(), o, "closed");
    }

    private static void checkAligned(Owned o, String when) {
        if (o.buffer.size() > 0) {
            check((o.buffer.address() & (o.alignment - 1)) == 0, o,
                    "alignment " + o.alignment + " of address 0x" + Long.toHexString(o.buffer.address()) + " (" + when + ")");
        }
    }

    /**
     * At a checkpoint no worker runs and the switcher is parked: each backend holds exactly the capacities of the
     * live buffers it serves (whether allocated from it or through the default pool), the total is their sum, and
     * the default pool reports its current backend.
     */
    private static void checkAccounting(List<List<Owned>> owned) {
        Map<String, Long> live = new TreeMap<>();
        BACKENDS.forEach(b -> live.put(b, 0L));
        List<Owned> all = new ArrayList<>(HANDOVER);
        owned.forEach(all::addAll);
        for (Owned o : all) {
            live.merge(backendOf(o), ((ResizableBuffer) o.buffer).capacity(), Long::sum);
        }
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10); // guarded frees may still be finishing
        Map<String, Long> held;
        while (!(held = held()).equals(live) && System.nanoTime() < deadline) {
            Thread.onSpinWait();
        }
        if (!held.equals(live)) {
            fail("checkpoint: the backends hold " + held + " bytes, their live buffers " + live);
        }
        long sum = live.values().stream().mapToLong(Long::longValue).sum();
        if (MemoryPool.bytesAllocatedInAllPools() != sum) {
            fail("checkpoint: bytesAllocatedInAllPools() = " + MemoryPool.bytesAllocatedInAllPools() + ", live buffers " + sum);
        }
        checkCounts("checkpoint");
        MemoryPool d = MemoryPool.defaultPool();
        if (d.bytesAllocated() != MemoryPool.pool(d.backendName()).bytesAllocated()) {
            fail("checkpoint: the default pool (" + d.backendName() + ") reports " + d.bytesAllocated()
                    + " bytes, its backend " + MemoryPool.pool(d.backendName()).bytesAllocated());
        }
    }

    /** The backend serving a buffer, as its description names it. */
    private static String backendOf(Owned o) {
        Matcher m = POOL_NAME.matcher(o.buffer.toString());
        if (!m.find()) {
            throw new AssertionError("no pool in " + o.buffer);
        }
        return m.group(1);
    }

    private static final Pattern POOL_NAME = Pattern.compile("pool=(\\w+)");

    private static Map<String, Long> held() {
        Map<String, Long> held = new TreeMap<>();
        for (String b : BACKENDS) {
            held.put(b, MemoryPool.pool(b).bytesAllocated());
        }
        return held;
    }

    private static long backendsHold() {
        long sum = 0;
        for (String b : BACKENDS) {
            sum += MemoryPool.pool(b).bytesAllocated();
        }
        return sum;
    }

    /** What each backend's allocation count and bytes-ever-allocated must have grown by. */
    private static final Map<String, LongAdder> EXPECTED_COUNT = new ConcurrentHashMap<>();
    private static final Map<String, LongAdder> EXPECTED_TOTAL = new ConcurrentHashMap<>();

    private static void expectAllocation(Owned o, long bytes) {
        String backend = backendOf(o);
        EXPECTED_COUNT.computeIfAbsent(backend, k -> new LongAdder()).increment();
        EXPECTED_TOTAL.computeIfAbsent(backend, k -> new LongAdder()).add(bytes);
    }

    /** Every allocation and growth counted once, at the backend that served it. */
    private static void checkCounts(String when) {
        for (String b : BACKENDS) {
            MemoryPool pool = MemoryPool.pool(b);
            long count = EXPECTED_COUNT.getOrDefault(b, new LongAdder()).sum();
            long total = EXPECTED_TOTAL.getOrDefault(b, new LongAdder()).sum();
            if (pool.numAllocations() != count || pool.cumulativeBytesAllocated() != total) {
                fail(when + ": backend " + b + " counts " + pool.numAllocations() + " allocations and "
                        + pool.cumulativeBytesAllocated() + " bytes ever allocated; the buffers made " + count + " and "
                        + total);
            }
        }
    }

    private static void waitForZero() throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while ((backendsHold() != 0 || MemoryPool.bytesAllocatedInAllPools() != 0) && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        if (backendsHold() != 0 || MemoryPool.bytesAllocatedInAllPools() != 0) {
            fail("end: the pools still hold " + backendsHold() + " bytes (total " + MemoryPool.bytesAllocatedInAllPools()
                    + ") after every buffer closed");
        }
    }

    private static void check(boolean ok, Owned o, String what) {
        if (!ok) {
            throw new AssertionError(what + " wrong for " + o.buffer);
        }
    }

    private static void fail(String what) {
        FAILURE.compareAndSet(null, what);
    }

    private static String describe(Throwable e) {
        StringBuilder s = new StringBuilder(e.toString());
        StackTraceElement[] trace = e.getStackTrace();
        for (int i = 0; i < Math.min(10, trace.length); i++) {
            s.append("\n    at ").append(trace[i]);
        }
        return s.toString();
    }
}
