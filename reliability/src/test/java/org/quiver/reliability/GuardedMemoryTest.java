package org.quiver.reliability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.quiver.internal.memory.Guards;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.LeakDetection;
import org.quiver.memory.LeakReport;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;
import org.quiver.memory.testing.RequiredBackend;

/**
 * What a guarded block promises, one behaviour at a time: the level decides which blocks are guarded, views die
 * with the buffer and with a move, and a close that a native call holds waits for that call, losing nothing.
 */
class GuardedMemoryTest {

    private CloseSafety level;
    private long largeSize;
    private final MemoryPool pool = MemoryPool.pool("system");

    @BeforeEach
    void remember() {
        level = CloseSafety.level();
        largeSize = CloseSafety.largeSize();
    }

    @AfterEach
    void restoreAndCheckNothingIsLeft() throws InterruptedException {
        CloseSafety.setLevel(level);
        CloseSafety.setLargeSize(largeSize);
        awaitBytes(0);
    }

    @Test
    void theLevelDecidesWhatIsGuarded() {
        CloseSafety.setLevel(CloseSafety.LARGE);
        CloseSafety.setLargeSize(Long.MAX_VALUE);
        assertFalse(CloseSafety.guards(1L << 40), "no size set: no block is guarded in every pool");
        assertTrue(CloseSafety.guardsMappings());
        CloseSafety.setLargeSize(1 << 20);
        assertFalse(CloseSafety.guards(64));
        assertFalse(CloseSafety.guards((1 << 20) - 1));
        assertTrue(CloseSafety.guards(1 << 20));
        assertFalse(CloseSafety.guards(0), "a zero-size buffer owns no memory");
        CloseSafety.setLevel(CloseSafety.ALL);
        assertTrue(CloseSafety.guards(1));
        CloseSafety.setLevel(CloseSafety.NONE);
        assertFalse(CloseSafety.guards(1L << 40));
        assertFalse(CloseSafety.guardsMappings());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> CloseSafety.setLargeSize(-1));
        assertEquals("negative size: largeSize=-1", e.getMessage());
    }

    /**
     * At the default level each pool guards what its allocator may unmap once freed: the system pool what glibc
     * may map (from its lowest mmap threshold, 128 KiB less its bookkeeping) and what Quiver maps (1 MiB);
     * jemalloc (which retains its mappings) and mimalloc (which Quiver never forces to unmap) only the blocks
     * Quiver maps itself, from 8 MiB. A large size, when set, adds every block from it in every pool.
     */
    @Test
    void atTheDefaultLevelEachPoolGuardsWhatItsAllocatorMayUnmap() {
        RequiredBackend.require("jemalloc");
        RequiredBackend.require("mimalloc");
        CloseSafety.setLevel(CloseSafety.LARGE);
        CloseSafety.setLargeSize(Long.MAX_VALUE);
        MemoryPool system = MemoryPool.pool("system");
        assertGuarded(system, 64, false);
        assertGuarded(system, 64 << 10, false);
        assertGuarded(system, (128 << 10) - 128, true);
        assertGuarded(system, 1 << 20, true);
        assertGuarded(system, 4096, 64 << 10, true); // glibc asks for the size plus the alignment
        for (String name : new String[] {"jemalloc", "mimalloc"}) {
            MemoryPool p = MemoryPool.pool(name);
            assertGuarded(p, 64, false);
            assertGuarded(p, 1 << 20, false);
            assertGuarded(p, (8 << 20) - 4096, false);
            assertGuarded(p, 8 << 20, true);
            CloseSafety.setLargeSize(1 << 20);
            assertGuarded(p, 1 << 20, true);
            CloseSafety.setLargeSize(Long.MAX_VALUE);
            CloseSafety.setLevel(CloseSafety.ALL);
            assertGuarded(p, 64, true);
            CloseSafety.setLevel(CloseSafety.NONE);
            assertGuarded(p, 16 << 20, false);
            CloseSafety.setLevel(CloseSafety.LARGE);
        }
        Buffer wrapped = Buffer.wrap(new byte[8]);
        assertFalse(CloseSafety.isGuarded(wrapped), "heap memory is never freed under a reader");
        try (Arena shared = Arena.ofShared()) {
            assertTrue(CloseSafety.isGuarded(Buffer.wrap(shared.allocate(8))), "the JDK guards a shared arena");
        }
        assertFalse(CloseSafety.isGuarded(Buffer.wrap(MemorySegment.ofAddress(64).reinterpret(8))));
    }

    private static void assertGuarded(MemoryPool pool, long size, boolean guarded) {
        assertGuarded(pool, size, 64, guarded);
    }

    private static void assertGuarded(MemoryPool pool, long size, long alignment, boolean guarded) {
        try (ResizableBuffer b = pool.allocate(size, alignment)) {
            assertEquals(guarded, CloseSafety.isGuarded(b), () -> pool.backendName() + " " + size + " bytes aligned to "
                    + alignment + " at " + CloseSafety.level());
            try (Buffer slice = b.slice(0, 8)) {
                assertEquals(guarded, CloseSafety.isGuarded(slice), "a slice is guarded as its buffer");
            }
        }
    }

    @Test
    void viewsOfAGuardedBlockThrowAfterClose() {
        CloseSafety.setLevel(CloseSafety.ALL);
        ResizableBuffer b = pool.allocate(64);
        b.setLong(0, 42);
        ByteBuffer bytes = b.asByteBuffer();
        MemorySegment segment = b.asSegment();
        Buffer slice = b.slice(8, 8);
        slice.close();
        b.close();
        assertThrows(IllegalStateException.class, () -> bytes.getLong(0));
        assertThrows(IllegalStateException.class, () -> segment.get(ValueLayout.JAVA_LONG, 0));
        assertThrows(IllegalStateException.class, () -> segment.set(ValueLayout.JAVA_LONG, 0, 1));
    }

    @Test
    void aMoveKillsTheOldViewsAndKeepsTheData() {
        CloseSafety.setLevel(CloseSafety.ALL);
        try (ResizableBuffer b = pool.allocate(64)) {
            b.setLong(0, 0x1122334455667788L);
            MemorySegment before = b.asSegment();
            b.resize(1 << 20, false); // moves the block
            assertThrows(IllegalStateException.class, () -> before.get(ValueLayout.JAVA_LONG, 0));
            assertEquals(0x1122334455667788L, b.getLong(0));
            assertEquals(0x1122334455667788L, b.asSegment().get(ValueLayout.JAVA_LONG_UNALIGNED, 0));
            b.resize(64, true); // shrinks to fit: moves again
            assertEquals(0x1122334455667788L, b.getLong(0));
        }
    }

    @Test
    void aBlockGrownToASizeItsAllocatorMayUnmapBecomesGuardedAndOneShrunkBelowItDoesNot() {
        CloseSafety.setLevel(CloseSafety.LARGE);
        try (ResizableBuffer b = pool.allocate(64)) {
            MemorySegment small = b.asSegment();
            assertTrue(small.scope().equals(MemorySegment.NULL.scope()), "a small block is unguarded: global scope");
            b.resize(2 << 20, false);
            assertFalse(b.asSegment().scope().equals(MemorySegment.NULL.scope()), "a large block has its own arena");
            b.resize(64, true);
            assertTrue(b.asSegment().scope().equals(MemorySegment.NULL.scope()));
        }
    }

    /**
     * A native call (here libc {@code read} on an empty pipe, made through the linker as any FFM program does)
     * holds the buffer's memory: a resize is refused, a close waits for the call and then frees, and the call's
     * bytes land in memory that is still the buffer's.
     */
    @Test
    void aCloseHeldByANativeCallFreesWhenTheCallReturns() throws Throwable {
        CloseSafety.setLevel(CloseSafety.ALL);
        Linker linker = Linker.nativeLinker();
        MethodHandle pipe = linker.downcallHandle(linker.defaultLookup().find("pipe").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS));
        MethodHandle read = linker.downcallHandle(linker.defaultLookup().find("read").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG));
        MethodHandle write = linker.downcallHandle(linker.defaultLookup().find("write").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_LONG, ValueLayout.JAVA_INT, ValueLayout.ADDRESS,
                        ValueLayout.JAVA_LONG));
        MethodHandle close = linker.downcallHandle(linker.defaultLookup().find("close").orElseThrow(),
                FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.JAVA_INT));
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment fds = arena.allocate(ValueLayout.JAVA_INT, 2);
            assertEquals(0, (int) pipe.invokeExact(fds));
            int in = fds.getAtIndex(ValueLayout.JAVA_INT, 0);
            int out = fds.getAtIndex(ValueLayout.JAVA_INT, 1);
            ResizableBuffer b = pool.allocate(4096);
            MemorySegment data = arena.allocate(8);
            data.fill((byte) 7);
            Thread reader = null;
            boolean written = false;
            try {
                MemorySegment target = b.asSegment();
                AtomicLong got = new AtomicLong(-2);
                reader = Thread.ofPlatform().name("native-read").start(() -> {
                    try {
                        got.set((long) read.invokeExact(in, target, 8L));
                    } catch (Throwable e) {
                        got.set(-3);
                    }
                });
                awaitInNativeCall(reader);
                IllegalStateException refused = assertThrows(IllegalStateException.class, () -> b.reserve(1 << 20));
                assertTrue(refused.getMessage().startsWith("cannot resize a buffer while a native call"),
                        refused.getMessage());
                long deferredBefore = Guards.deferredCloses();
                b.close();
                assertTrue(b.isClosed());
                assertEquals(deferredBefore + 1, Guards.deferredCloses(), "the close had to wait");
                assertEquals(4096, pool.bytesAllocated(), "the memory stays until the call lets go of it");
                assertEquals(8L, (long) write.invokeExact(out, data, 8L));
                written = true;
                reader.join(TimeUnit.SECONDS.toMillis(10));
                assertEquals(8, got.get());
                awaitBytes(0);
            } finally {
                if (!written) {
                    long ignored = (long) write.invokeExact(out, data, 8L); // lets a blocked reader go
                }
                if (reader != null) {
                    reader.join(TimeUnit.SECONDS.toMillis(10));
                }
                b.close();
                int ignored = (int) close.invokeExact(in);
                ignored = (int) close.invokeExact(out);
            }
        }
    }

    /**
     * The thread is inside the downcall: runnable, with its own lambda on top (the linker's frames are hidden),
     * for a while, so past the acquire of the segment's arena and blocked in read(2).
     */
    private static void awaitInNativeCall(Thread t) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        int seen = 0;
        while (System.nanoTime() < deadline) {
            StackTraceElement[] stack = t.getStackTrace();
            boolean inCall = stack.length > 0 && stack[0].getMethodName().startsWith("lambda$")
                    && t.getState() == Thread.State.RUNNABLE;
            seen = inCall ? seen + 1 : 0;
            if (seen == 20) {
                return;
            }
            Thread.sleep(10);
        }
        throw new AssertionError("the reader never blocked in its native call: " + Arrays.toString(t.getStackTrace()));
    }

    private void awaitBytes(long bytes) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (pool.bytesAllocated() != bytes && System.nanoTime() < deadline) {
            Thread.sleep(1);
        }
        assertEquals(bytes, pool.bytesAllocated(), "bytes held by the system pool");
    }

    /** A leaked guarded block's view stays usable until a listener releases the leak; then it fails. */
    @Test
    void aLeakReleaseClosesTheViewsOfAGuardedBlock() throws Exception {
        CloseSafety.setLevel(CloseSafety.ALL);
        LeakDetection.Level before = LeakDetection.level();
        LeakDetection.setLevel(LeakDetection.Level.PARANOID);
        BlockingQueue<LeakReport> leaks = new LinkedBlockingQueue<>();
        try (LeakDetection.Registration listening = LeakDetection.addListener(leaks::add)) {
            MemorySegment view = leakAGuardedBuffer();
            LeakReport report = null;
            for (int i = 0; i < 200 && report == null; i++) {
                System.gc();
                report = leaks.poll(50, TimeUnit.MILLISECONDS);
            }
            assertTrue(report != null, "the leak was never reported");
            assertEquals(7, view.get(ValueLayout.JAVA_BYTE, 63), "a leaked block stays readable until released");
            report.release();
            assertThrows(IllegalStateException.class, () -> view.get(ValueLayout.JAVA_BYTE, 63));
        } finally {
            LeakDetection.setLevel(before);
        }
    }

    private MemorySegment leakAGuardedBuffer() {
        ResizableBuffer b = pool.allocate(64);
        b.fill((byte) 7);
        return b.asSegment(); // the buffer becomes garbage without a close
    }
}
