package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.List;
import java.util.function.Supplier;

import org.junit.jupiter.api.BeforeAll;
import org.quiver.memory.Buffer;
import org.quiver.memory.CloseSafety;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryLimitExceededException;
import org.quiver.memory.MemoryManager;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.OutOfMemoryException;
import org.quiver.memory.ResizableBuffer;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * Fuzzes the {@link Buffer} API with random operation sequences checked against a model in {@code byte[]}s: each
 * input picks a backend (every backend here; in CI all three must be available), a proxy pool over it (optionally
 * capped), then up to {@link #MAX_OPERATIONS} operations on the buffers it has made: allocate (with any
 * alignment), copy, wrap arrays, byte buffers and segments, slices, mutable slices, views, get and set of each
 * type (in either byte order, and unsigned), bulk get and put of bytes, of every primitive array type (in either
 * order) and of byte buffers, put from another buffer (overlapping too), fill, resize, reserve, reallocate, retained
 * segments, conversions, and close. Operands are mostly in range and sometimes not, and operations go to closed
 * buffers too.
 *
 * <p>Checked after every operation: an operation whose operands or state the documentation forbids throws the
 * documented type ({@link IndexOutOfBoundsException}, {@link IllegalArgumentException},
 * {@link IllegalStateException} after close or while slices are open, {@link UnsupportedOperationException} for a
 * write to read-only memory, {@link OutOfMemoryException} and {@link MemoryLimitExceededException}) with a message,
 * and changes nothing; any other operation succeeds and its result matches the model; the pool accounts exactly
 * for the live memory. At the end of the input, everything is closed: the pool's, the backend's and the global
 * byte counts are back where they were, and each release callback ran once.
 *
 * <p>Each input also picks the {@link CloseSafety} level (the default {@code LARGE}, {@code NONE} or {@code ALL})
 * for the blocks it allocates: an unchecked {@code asSegment()} or {@code asByteBuffer()} view of a guarded block
 * must throw {@link IllegalStateException} once the block's last user has closed.
 *
 * <p>Input layout (see {@link FuzzInput}): backend byte, flags byte (bit 0: capped; the rest: the close-safety
 * level), limit byte, then per operation an opcode byte and its operands.
 */
class BufferFuzzTest {

    static final int MAX_OPERATIONS = 64;
    static final List<String> BACKENDS = List.of("system", "jemalloc", "mimalloc");

    private static final ValueLayout.OfInt INT = ValueLayout.JAVA_INT_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfLong LONG = ValueLayout.JAVA_LONG_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);
    private static final ValueLayout.OfDouble DOUBLE =
            ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(ByteOrder.LITTLE_ENDIAN);

    private static final List<MemoryPool> POOLS = new ArrayList<>();

    /** Every backend that is available; in CI every backend must be, as in the backends' own tests. */
    @BeforeAll
    static void backends() {
        POOLS.clear();
        boolean ci = "true".equalsIgnoreCase(System.getenv("CI"));
        for (String name : BACKENDS) {
            MemoryBackend backend = MemoryPool.supportedBackends().stream().filter(b -> b.name().equals(name))
                    .findFirst().orElse(null);
            if (backend != null && backend.available()) {
                POOLS.add(MemoryPool.pool(name));
            } else if (ci || name.equals("system")) {
                fail("memory pool backend '" + name + "' is unavailable: "
                        + (backend == null ? "not installed" : backend.unavailableReason())
                        + (ci ? " (CI=true: every backend must be available; .ci/run installs them)" : ""));
            }
        }
    }

    @FuzzTest(maxDuration = "30s")
    void operations(byte[] data) {
        if (POOLS.isEmpty()) {
            backends(); // the fuzzing run reuses the class's state; a regression run starts here
        }
        FuzzInput input = new FuzzInput(data);
        MemoryPool backend = POOLS.get(input.below(POOLS.size()));
        int flags = input.u8();
        boolean capped = (flags & 1) != 0;
        CloseSafety level = new CloseSafety[] {CloseSafety.LARGE, CloseSafety.NONE, CloseSafety.ALL}[(flags >>> 1) % 3];
        long limit = input.u8() * 16384L;
        long backendBefore = backend.bytesAllocated();
        long totalBefore = MemoryPool.bytesAllocatedInAllPools();
        MemoryPool proxy = MemoryPool.proxy(backend);
        Session session = new Session(capped ? MemoryPool.capped(proxy, limit) : proxy, proxy, capped, limit);
        CloseSafety.setLevel(level);
        try {
            for (int i = 0; i < MAX_OPERATIONS && !input.isEmpty(); i++) {
                session.step(input);
                session.checkAccounting();
            }
            session.verifyAll();
            session.closeAll();
        } finally {
            try {
                session.closeEverything();
            } finally {
                CloseSafety.setLevel(CloseSafety.LARGE);
            }
        }
        session.checkAccounting();
        assertEquals(0, proxy.bytesAllocated(), "bytes left allocated after closing everything");
        assertEquals(backendBefore, backend.bytesAllocated(), backend.backendName() + " backend's bytes");
        assertEquals(totalBefore, MemoryPool.bytesAllocatedInAllPools(), "MemoryPool.bytesAllocatedInAllPools()");
        session.checkReleases();
    }

    // ---- the model -------------------------------------------------------------------------------------------

    /** One block of memory: a pool buffer's, or memory the test owns and wrapped. */
    static final class Memory {
        final ResizableBuffer root; // pool memory only
        byte[] model;
        /** Open handles and retained views of this memory. */
        int refs = 1;
        boolean freed;
        final boolean heap;
        /** The wrapped array and where the buffer starts in it, to check writes reach it. */
        final byte[] array;
        final int arrayOffset;
        /** Release callbacks run for wrapped segments; expected to be 1 once freed. */
        final int[] released;
        /** Whether the block is guarded ({@link CloseSafety}), known only until it is first reallocated. */
        Boolean guarded;
        /** Unchecked views ({@code asSegment()}, {@code asByteBuffer()}) of guarded memory, to try once it is freed. */
        final List<Object> views = new ArrayList<>();

        Memory(ResizableBuffer root, byte[] model, boolean heap, byte[] array, int arrayOffset, int[] released) {
            this.root = root;
            this.model = model;
            this.heap = heap;
            this.array = array;
            this.arrayOffset = arrayOffset;
            this.released = released;
        }
    }

    /** A buffer the test made, and where its bytes are in its memory. */
    static final class Handle {
        final Buffer buffer;
        final Memory memory;
        final int offset;
        final int length; // slices and wrapped memory; a pool buffer's own handle follows its memory
        final boolean mutable;
        final boolean root;
        boolean closed;

        Handle(Buffer buffer, Memory memory, int offset, int length, boolean mutable, boolean root) {
            this.buffer = buffer;
            this.memory = memory;
            this.offset = offset;
            this.length = length;
            this.mutable = mutable;
            this.root = root;
        }

        int size() {
            return root && memory.root != null ? memory.model.length : length;
        }

        byte[] expected() {
            return Arrays.copyOfRange(memory.model, offset, offset + size());
        }

        @Override
        public String toString() {
            return buffer + "@" + offset + (closed ? " (closed)" : "");
        }
    }

    /** A segment made by {@link Buffer#asSegment(Arena)}: it holds the memory while its arena is open. */
    static final class View {
        final Arena arena;
        final MemorySegment segment;
        final Memory memory;
        final int offset;
        final boolean mutable;
        boolean open = true;

        View(Arena arena, MemorySegment segment, Memory memory, int offset, boolean mutable) {
            this.arena = arena;
            this.segment = segment;
            this.memory = memory;
            this.offset = offset;
            this.mutable = mutable;
        }
    }

    /** Marks an operation that failed as expected. */
    private static final Object REFUSED = new Object();

    /** One input's buffers and their model. */
    static final class Session {
        final MemoryPool pool;
        final MemoryPool proxy;
        final boolean capped;
        final long limit;
        final List<Memory> memories = new ArrayList<>();
        final List<Handle> handles = new ArrayList<>();
        final List<View> views = new ArrayList<>();
        /** Wrapped segments' memory: closed at the end, after every buffer over it. */
        final Arena wrapped = Arena.ofConfined();
        /** The operation running, for messages. */
        String operation = "";

        Session(MemoryPool pool, MemoryPool proxy, boolean capped, long limit) {
            this.pool = pool;
            this.proxy = proxy;
            this.capped = capped;
            this.limit = limit;
        }

        // ---- checking -------------------------------------------------------------------------------------

        /**
         * Runs {@code call}: with {@code allowed} empty it must succeed; otherwise it must throw an instance of one
         * of them, with a message, and the model stays as it was.
         */
        @SafeVarargs
        final Object expect(Supplier<?> call, Class<? extends RuntimeException>... allowed) {
            Object result;
            try {
                result = call.get();
            } catch (RuntimeException e) {
                for (Class<? extends RuntimeException> type : allowed) {
                    if (type.isInstance(e)) {
                        assertNotNull(e.getMessage(), operation + ": " + e.getClass().getName() + " without message");
                        assertFalse(e.getMessage().isBlank(), operation + ": blank message");
                        return REFUSED;
                    }
                }
                throw new AssertionError(operation + " threw " + e + "; expected "
                        + (allowed.length == 0 ? "success" : Arrays.toString(allowed)), e);
            }
            if (allowed.length > 0) {
                fail(operation + " succeeded; expected one of " + Arrays.toString(allowed));
            }
            return result;
        }

        /**
         * The exceptions a buffer call may end in: a closed handle's {@code IllegalStateException}, a write to a
         * read-only one's {@code UnsupportedOperationException}, and an out-of-range {@code
         * IndexOutOfBoundsException}; more may be added for the call's own refusals.
         */
        static List<Class<? extends RuntimeException>> misuse(boolean closed, boolean readOnlyWrite,
                boolean outOfRange) {
            List<Class<? extends RuntimeException>> allowed = new ArrayList<>();
            if (closed) {
                allowed.add(IllegalStateException.class);
            }
            if (readOnlyWrite) {
                allowed.add(UnsupportedOperationException.class);
            }
            if (outOfRange) {
                allowed.add(IndexOutOfBoundsException.class);
            }
            return allowed;
        }

        /** The exception types that the conditions found allow, in one array. */
        @SuppressWarnings("unchecked")
        static Class<? extends RuntimeException>[] any(List<Class<? extends RuntimeException>> types) {
            return types.toArray(new Class[0]);
        }

        long expectedBytes() {
            long sum = 0;
            for (Memory m : memories) {
                if (m.root != null && !m.freed) {
                    sum += m.root.capacity();
                }
            }
            return sum;
        }

        void checkAccounting() {
            long expected = expectedBytes();
            assertEquals(expected, proxy.bytesAllocated(), operation + ": the proxy pool's bytes");
            assertEquals(expected, pool.bytesAllocated(), operation + ": the pool's bytes");
        }

        void verify(Handle h) {
            if (h.closed) {
                return;
            }
            assertEquals(h.size(), h.buffer.size(), operation + ": size of " + h);
            assertArrayEquals(h.expected(), h.buffer.toByteArray(), operation + ": bytes of " + h);
            Memory m = h.memory;
            if (m.array != null) {
                assertArrayEquals(m.model, Arrays.copyOfRange(m.array, m.arrayOffset, m.arrayOffset + m.model.length),
                        operation + ": the wrapped array");
            }
            if (h.root && m.root != null) {
                long capacity = m.root.capacity();
                assertTrue(capacity >= h.size() && capacity % 64 == 0, operation + ": capacity " + capacity
                        + " for size " + h.size());
            }
        }

        void verifyAll() {
            operation = "the end of the input";
            for (Handle h : handles) {
                verify(h);
            }
            for (View v : views) {
                if (v.open) {
                    byte[] expected = Arrays.copyOfRange(v.memory.model, v.offset,
                            v.offset + (int) v.segment.byteSize());
                    assertArrayEquals(expected, v.segment.toArray(ValueLayout.JAVA_BYTE), "a retained segment");
                }
            }
        }

        void checkReleases() {
            for (Memory m : memories) {
                if (m.released != null) {
                    assertEquals(1, m.released[0], "release callbacks run for a wrapped segment");
                }
            }
        }

        // ---- lifetime ---------------------------------------------------------------------------------------

        Handle add(Buffer buffer, Memory memory, int offset, int length, boolean mutable, boolean root) {
            Handle h = new Handle(buffer, memory, offset, length, mutable, root);
            handles.add(h);
            return h;
        }

        Memory addMemory(Memory m) {
            memories.add(m);
            return m;
        }

        void release(Memory m) {
            m.refs--;
            assertTrue(m.refs >= 0);
            if (m.refs == 0) {
                m.freed = true;
                checkViewsFail(m);
                if (m.released != null) {
                    assertEquals(1, m.released[0], operation + ": the release callback, when the last user closed");
                }
            } else if (m.released != null) {
                assertEquals(0, m.released[0], operation + ": the release callback ran while the memory is used");
            }
        }

        /**
         * A view of guarded memory used after the memory is freed throws {@link IllegalStateException} (the JDK's,
         * from the closed arena), never reads freed memory. Views of unguarded memory are never touched again.
         */
        void checkViewsFail(Memory m) {
            for (Object view : m.views) {
                if (view instanceof MemorySegment s && s.byteSize() > 0) {
                    assertThrows(IllegalStateException.class, () -> s.get(ValueLayout.JAVA_BYTE, 0),
                            operation + ": a segment view of guarded memory after its last close");
                } else if (view instanceof ByteBuffer bb && bb.capacity() > 0) {
                    assertThrows(IllegalStateException.class, () -> bb.get(0),
                            operation + ": a byte buffer view of guarded memory after its last close");
                }
            }
            m.views.clear();
        }

        /** Keeps an unchecked view of guarded memory for {@link #checkViewsFail}; at most a few per block. */
        void keepView(Handle h, Object view) {
            if (Boolean.TRUE.equals(h.memory.guarded) && h.memory.views.size() < 4) {
                h.memory.views.add(view);
            }
        }

        void close(Handle h) {
            h.buffer.close();
            assertTrue(h.buffer.isClosed());
            if (!h.closed) {
                h.closed = true;
                release(h.memory);
            }
        }

        void closeView(View v) {
            if (v.open) {
                v.arena.close();
                v.open = false;
                if (!v.memory.heap) {
                    release(v.memory);
                }
            }
        }

        /** Closes every buffer and retained view, checking each step as a close operation. */
        void closeAll() {
            operation = "closing every buffer";
            for (Handle h : handles) {
                close(h);
            }
            for (View v : views) {
                closeView(v);
            }
        }

        /** Closes whatever is still open, after a failure too; checks nothing. */
        void closeEverything() {
            operation = "closing everything";
            for (Handle h : handles) {
                h.buffer.close();
                if (!h.closed) {
                    h.closed = true;
                    h.memory.refs--;
                }
            }
            for (View v : views) {
                if (v.open) {
                    v.arena.close();
                    v.open = false;
                    if (!v.memory.heap) {
                        v.memory.refs--;
                    }
                }
            }
            for (Memory m : memories) {
                if (m.refs == 0) {
                    m.freed = true;
                }
            }
            wrapped.close();
        }

        // ---- operands -----------------------------------------------------------------------------------------

        /** Mostly an index in or just past {@code [0, size]}; sometimes negative or huge. */
        static long index(FuzzInput in, long size) {
            int kind = in.below(8);
            if (kind == 6) {
                return -1 - in.u8();
            }
            if (kind == 7) {
                return Long.MAX_VALUE - in.u8();
            }
            return in.u16() % (size + 9);
        }

        static boolean outside(long offset, long length, long size) {
            return offset < 0 || length < 0 || offset > size - length;
        }

        Handle pick(FuzzInput in) {
            return handles.get(in.below(handles.size()));
        }

        // ---- operations ---------------------------------------------------------------------------------------

        void step(FuzzInput in) {
            int op = in.below(23);
            if (handles.isEmpty() && op != 2 && op != 3 && op != 4) {
                op = 0;
            }
            switch (op) {
                case 0 -> allocate(in);
                case 1 -> copy(in);
                case 2 -> wrapArray(in);
                case 3 -> wrapByteBuffer(in);
                case 4 -> wrapSegment(in);
                case 5 -> slice(in, false);
                case 6 -> slice(in, true);
                case 7 -> view(in);
                case 8 -> get(in);
                case 9 -> set(in);
                case 10 -> getBulk(in);
                case 11 -> putBulk(in);
                case 12 -> putBuffer(in);
                case 13 -> fill(in);
                case 14 -> resize(in);
                case 15 -> reserve(in);
                case 16 -> reallocate(in);
                case 17 -> close(in);
                case 18 -> convert(in);
                case 19 -> retain(in);
                case 20 -> useView(in);
                case 21 -> value(in);
                default -> bulkValues(in);
            }
        }

        private static long padded(long size) {
            return (size + 63) & ~63L;
        }

        /** Whether a capped pool refuses {@code more} bytes. */
        private boolean overLimit(long more) {
            return capped && more > 0 && pool.bytesAllocated() + more > limit;
        }

        void allocate(FuzzInput in) {
            int sizeClass = in.below(16);
            long size = switch (sizeClass) {
                case 10, 11, 12, 13 -> in.u16();
                case 14 -> (1 << 20) + in.u16() * 16L; // the system pool maps these (mmap from 1 MiB)
                case 15 -> switch (in.below(3)) {
                    case 0 -> -1 - in.u8();
                    case 1 -> (1L << 48) + in.u16(); // more than any machine's address space
                    default -> Long.MAX_VALUE - in.u8();
                };
                default -> in.u8();
            };
            int a = in.below(24);
            long alignment = a <= 16 ? 1L << a : a == 17 ? MemoryPool.DEFAULT_ALIGNMENT
                    : new long[] {0, 3, -64, 1L << 31, 48, Long.MIN_VALUE}[a - 18];
            operation = "allocate(" + size + ", " + alignment + ")";
            List<Class<? extends RuntimeException>> allowed = new ArrayList<>();
            boolean validAlignment = alignment > 0 && (alignment & (alignment - 1)) == 0 && alignment <= 1L << 30;
            if (size < 0 || !validAlignment) {
                allowed.add(IllegalArgumentException.class);
            } else if (size >= 1L << 48) {
                allowed.add(OutOfMemoryException.class);
            } else if (overLimit(padded(size))) {
                allowed.add(MemoryLimitExceededException.class);
            }
            Object r = expect(() -> a == 17 ? pool.allocate(size) : pool.allocate(size, alignment), any(allowed));
            if (r == REFUSED) {
                return;
            }
            ResizableBuffer b = (ResizableBuffer) r;
            assertEquals(size, b.size(), operation);
            assertEquals(padded(size), b.capacity(), operation + ": capacity");
            assertEquals(alignment, b.alignment(), operation);
            assertTrue(b.isMutable() && b.isCpu() && !b.isClosed(), operation);
            assertEquals(0, b.address() % alignment, operation + ": address 0x" + Long.toHexString(b.address()));
            Memory m = addMemory(new Memory(b, b.toByteArray(), false, null, 0, null)); // contents unspecified
            m.guarded = CloseSafety.isGuarded(b);
            add(b, m, 0, 0, true, true);
        }

        void copy(FuzzInput in) {
            Handle h = pick(in);
            long offset = index(in, h.size());
            long length = index(in, h.size());
            operation = "copy(" + offset + ", " + length + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, false,
                    outside(offset, length, h.size()));
            if (allowed.isEmpty() && overLimit(padded(length))) {
                allowed.add(MemoryLimitExceededException.class);
            }
            Object r = expect(() -> h.buffer.copy(offset, length, pool), any(allowed));
            if (r == REFUSED) {
                return;
            }
            ResizableBuffer b = (ResizableBuffer) r;
            byte[] model = Arrays.copyOfRange(h.memory.model, h.offset + (int) offset, h.offset + (int) (offset + length));
            Memory m = addMemory(new Memory(b, model, false, null, 0, null));
            m.guarded = CloseSafety.isGuarded(b);
            verify(add(b, m, 0, 0, true, true));
        }

        void wrapArray(FuzzInput in) {
            byte[] array = Arrays.copyOf(in.bytes(in.u8()), in.u8());
            boolean whole = in.bool();
            int offset = whole ? 0 : clamp(index(in, array.length));
            int length = whole ? array.length : clamp(index(in, array.length));
            operation = "wrap(byte[" + array.length + "], " + offset + ", " + length + ")";
            Object r = whole ? expect(() -> Buffer.wrap(array)) : expect(() -> Buffer.wrap(array, offset, length),
                    outside(offset, length, array.length) ? any(List.of(IndexOutOfBoundsException.class))
                            : any(List.of()));
            if (r == REFUSED) {
                return;
            }
            Buffer b = (Buffer) r;
            byte[] model = Arrays.copyOfRange(array, offset, offset + length);
            Memory m = addMemory(new Memory(null, model, true, array, offset, null));
            verify(add(b, m, 0, model.length, true, true));
        }

        /** {@code value} as an int operand, saturated. */
        static int clamp(long value) {
            return (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, value));
        }

        void wrapByteBuffer(FuzzInput in) {
            int kind = in.below(4);
            byte[] content = Arrays.copyOf(in.bytes(in.u8()), in.u8());
            int position = content.length == 0 ? 0 : in.below(content.length + 1);
            ByteBuffer bb = (kind & 1) == 0 ? ByteBuffer.wrap(content.clone())
                    : ByteBuffer.allocateDirect(content.length).put(content).flip();
            bb.position(position);
            boolean readOnly = kind >= 2;
            ByteBuffer wrapped = readOnly ? bb.asReadOnlyBuffer() : bb;
            operation = "wrap(" + wrapped + ")";
            Buffer b = (Buffer) expect(() -> Buffer.wrap(wrapped));
            byte[] model = Arrays.copyOfRange(content, position, content.length);
            Memory m = addMemory(new Memory(null, model, (kind & 1) == 0, null, 0, null));
            assertEquals(!readOnly, b.isMutable(), operation);
            verify(add(b, m, 0, model.length, !readOnly, true));
        }

        void wrapSegment(FuzzInput in) {
            int kind = in.below(4);
            byte[] content = Arrays.copyOf(in.bytes(in.u8()), in.u8());
            MemorySegment segment = wrapped.allocate(Math.max(1, content.length)).asSlice(0, content.length);
            MemorySegment.copy(content, 0, segment, ValueLayout.JAVA_BYTE, 0, content.length);
            boolean readOnly = (kind & 1) != 0;
            MemorySegment s = readOnly ? segment.asReadOnly() : segment;
            int[] released = kind >= 2 ? new int[1] : null;
            operation = "wrap(segment of " + content.length + (readOnly ? ", read-only" : "")
                    + (released != null ? ", release" : "") + ")";
            Buffer b = (Buffer) expect(() -> released == null ? Buffer.wrap(s) : Buffer.wrap(s, () -> released[0]++));
            Memory m = addMemory(new Memory(null, content, false, null, 0, released));
            assertEquals(!readOnly, b.isMutable(), operation);
            verify(add(b, m, 0, content.length, !readOnly, true));
        }

        void slice(FuzzInput in, boolean mutable) {
            Handle h = pick(in);
            boolean toEnd = in.below(4) == 0;
            long offset = index(in, h.size());
            long length = toEnd ? h.size() - offset : index(in, h.size());
            operation = (mutable ? "mutableSlice(" : "slice(") + offset + (toEnd ? "" : ", " + length) + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, mutable && !h.mutable,
                    outside(offset, length, h.size()));
            Object r = expect(() -> mutable ? h.buffer.mutableSlice(offset, length)
                    : toEnd ? h.buffer.slice(offset) : h.buffer.slice(offset, length), any(allowed));
            if (r == REFUSED) {
                return;
            }
            Buffer s = (Buffer) r;
            assertEquals(mutable, s.isMutable(), operation);
            assertTrue(s.parent() == h.buffer, operation + ": parent");
            h.memory.refs++;
            verify(add(s, h.memory, h.offset + (int) offset, (int) length, mutable, false));
        }

        void view(FuzzInput in) {
            Handle h = pick(in);
            boolean orCopy = in.bool();
            operation = (orCopy ? "viewOrCopy" : "view") + " of " + h;
            MemoryManager cpu = MemoryManager.cpu(pool);
            Object r = expect(() -> orCopy ? h.buffer.viewOrCopy(cpu) : h.buffer.view(cpu),
                    h.closed ? any(List.of(IllegalStateException.class)) : any(List.of()));
            if (r == REFUSED) {
                return;
            }
            Buffer v = (Buffer) r;
            assertEquals(h.mutable, v.isMutable(), operation);
            h.memory.refs++;
            verify(add(v, h.memory, h.offset, h.size(), h.mutable, false));
        }

        void get(FuzzInput in) {
            Handle h = pick(in);
            int type = in.below(4);
            int width = type == 0 ? 1 : type == 1 ? 4 : 8;
            long index = index(in, h.size());
            operation = new String[] {"getByte", "getInt", "getLong", "getDouble"}[type] + "(" + index + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, false,
                    outside(index, width, h.size()));
            Object r = expect(() -> switch (type) {
                case 0 -> h.buffer.getByte(index);
                case 1 -> h.buffer.getInt(index);
                case 2 -> h.buffer.getLong(index);
                default -> Double.doubleToRawLongBits(h.buffer.getDouble(index));
            }, any(allowed));
            if (r == REFUSED) {
                return;
            }
            MemorySegment model = MemorySegment.ofArray(h.memory.model);
            long at = h.offset + index;
            Object expected = switch (type) {
                case 0 -> model.get(ValueLayout.JAVA_BYTE, at);
                case 1 -> model.get(INT, at);
                case 2 -> model.get(LONG, at);
                default -> Double.doubleToRawLongBits(model.get(DOUBLE, at));
            };
            assertEquals(expected, r, operation);
        }

        void set(FuzzInput in) {
            Handle h = pick(in);
            int type = in.below(4);
            int width = type == 0 ? 1 : type == 1 ? 4 : 8;
            long index = index(in, h.size());
            long value = in.i64();
            operation = new String[] {"setByte", "setInt", "setLong", "setDouble"}[type] + "(" + index + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, !h.mutable,
                    outside(index, width, h.size()));
            Object r = expect(() -> {
                switch (type) {
                    case 0 -> h.buffer.setByte(index, (byte) value);
                    case 1 -> h.buffer.setInt(index, (int) value);
                    case 2 -> h.buffer.setLong(index, value);
                    default -> h.buffer.setDouble(index, Double.longBitsToDouble(value));
                }
                return null;
            }, any(allowed));
            if (r != REFUSED) {
                MemorySegment model = MemorySegment.ofArray(h.memory.model);
                long at = h.offset + index;
                switch (type) {
                    case 0 -> model.set(ValueLayout.JAVA_BYTE, at, (byte) value);
                    case 1 -> model.set(INT, at, (int) value);
                    case 2 -> model.set(LONG, at, value);
                    default -> model.set(DOUBLE, at, Double.longBitsToDouble(value));
                }
            }
            verify(h);
        }

        // ---- values of every type, in either order (operations 21 and 22) ----------------------------------

        /** The value types of {@link #value} and {@link #bulkValues}: names and widths. */
        static final String[] TYPES = {"Short", "Char", "Int", "Long", "Float", "Double"};
        static final int[] WIDTHS = {2, 2, 4, 8, 4, 8};

        /** An order operand: 0 calls the overload without one (little endian), 1 little and 2 big endian. */
        static ByteOrder order(int kind) {
            return kind == 2 ? ByteOrder.BIG_ENDIAN : ByteOrder.LITTLE_ENDIAN;
        }

        /** The model's layout for {@code type} in {@code order}; floats and doubles as their bits. */
        static ValueLayout layout(int type, ByteOrder order) {
            return switch (type) {
                case 0 -> ValueLayout.JAVA_SHORT_UNALIGNED.withOrder(order);
                case 1 -> ValueLayout.JAVA_CHAR_UNALIGNED.withOrder(order);
                case 2, 4 -> ValueLayout.JAVA_INT_UNALIGNED.withOrder(order);
                default -> ValueLayout.JAVA_LONG_UNALIGNED.withOrder(order);
            };
        }

        /** A value of {@code type} read through the buffer, as bits; types 6 to 8 are the unsigned reads. */
        static long read(Buffer b, int type, long index, int orderKind) {
            ByteOrder o = order(orderKind);
            boolean plain = orderKind == 0;
            return switch (type) {
                case 0 -> plain ? b.getShort(index) : b.getShort(index, o);
                case 1 -> plain ? b.getChar(index) : b.getChar(index, o);
                case 2 -> plain ? b.getInt(index) : b.getInt(index, o);
                case 3 -> plain ? b.getLong(index) : b.getLong(index, o);
                case 4 -> Float.floatToRawIntBits(plain ? b.getFloat(index) : b.getFloat(index, o));
                case 5 -> Double.doubleToRawLongBits(plain ? b.getDouble(index) : b.getDouble(index, o));
                case 6 -> b.getUnsignedByte(index);
                case 7 -> plain ? b.getUnsignedShort(index) : b.getUnsignedShort(index, o);
                default -> plain ? b.getUnsignedInt(index) : b.getUnsignedInt(index, o);
            };
        }

        /** The same read from the model. */
        static long readModel(byte[] model, int type, long at, ByteOrder o) {
            MemorySegment m = MemorySegment.ofArray(model);
            return switch (type) {
                case 0 -> m.get((ValueLayout.OfShort) layout(0, o), at);
                case 1 -> m.get((ValueLayout.OfChar) layout(1, o), at);
                case 2, 4 -> m.get((ValueLayout.OfInt) layout(2, o), at);
                case 3, 5 -> m.get((ValueLayout.OfLong) layout(3, o), at);
                case 6 -> Byte.toUnsignedInt(m.get(ValueLayout.JAVA_BYTE, at));
                case 7 -> Short.toUnsignedInt(m.get((ValueLayout.OfShort) layout(0, o), at));
                default -> Integer.toUnsignedLong(m.get((ValueLayout.OfInt) layout(2, o), at));
            };
        }

        /** Writes {@code bits} as a value of {@code type} through the buffer. */
        static void write(Buffer b, int type, long index, long bits, int orderKind) {
            ByteOrder o = order(orderKind);
            boolean plain = orderKind == 0;
            switch (type) {
                case 0 -> {
                    if (plain) {
                        b.setShort(index, (short) bits);
                    } else {
                        b.setShort(index, (short) bits, o);
                    }
                }
                case 1 -> {
                    if (plain) {
                        b.setChar(index, (char) bits);
                    } else {
                        b.setChar(index, (char) bits, o);
                    }
                }
                case 2 -> {
                    if (plain) {
                        b.setInt(index, (int) bits);
                    } else {
                        b.setInt(index, (int) bits, o);
                    }
                }
                case 3 -> {
                    if (plain) {
                        b.setLong(index, bits);
                    } else {
                        b.setLong(index, bits, o);
                    }
                }
                case 4 -> {
                    if (plain) {
                        b.setFloat(index, Float.intBitsToFloat((int) bits));
                    } else {
                        b.setFloat(index, Float.intBitsToFloat((int) bits), o);
                    }
                }
                default -> {
                    if (plain) {
                        b.setDouble(index, Double.longBitsToDouble(bits));
                    } else {
                        b.setDouble(index, Double.longBitsToDouble(bits), o);
                    }
                }
            }
        }

        /** The same write in the model; a float or double goes through the same conversion as the buffer's. */
        static void writeModel(byte[] model, int type, long at, long bits, ByteOrder o) {
            MemorySegment m = MemorySegment.ofArray(model);
            switch (type) {
                case 0 -> m.set((ValueLayout.OfShort) layout(0, o), at, (short) bits);
                case 1 -> m.set((ValueLayout.OfChar) layout(1, o), at, (char) bits);
                case 2 -> m.set((ValueLayout.OfInt) layout(2, o), at, (int) bits);
                case 3 -> m.set((ValueLayout.OfLong) layout(3, o), at, bits);
                case 4 -> m.set(ValueLayout.JAVA_FLOAT_UNALIGNED.withOrder(o), at, Float.intBitsToFloat((int) bits));
                default -> m.set(ValueLayout.JAVA_DOUBLE_UNALIGNED.withOrder(o), at, Double.longBitsToDouble(bits));
            }
        }

        /** Get or set of one value of any type but byte, in either order, or one of the unsigned reads. */
        void value(FuzzInput in) {
            Handle h = pick(in);
            int type = in.below(9); // 0-5: TYPES; 6-8: unsigned byte, short, int (reads only)
            boolean write = type < 6 && in.bool();
            int orderKind = in.below(3);
            int width = type < 6 ? WIDTHS[type] : new int[] {1, 2, 4}[type - 6];
            long index = index(in, h.size());
            long bits = in.i64();
            String name = type < 6 ? (write ? "set" : "get") + TYPES[type]
                    : "getUnsigned" + new String[] {"Byte", "Short", "Int"}[type - 6];
            operation = name + "(" + index + (orderKind == 0 ? "" : ", " + order(orderKind)) + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, write && !h.mutable,
                    outside(index, width, h.size()));
            Object r = expect(() -> {
                if (write) {
                    write(h.buffer, type, index, bits, orderKind);
                    return null;
                }
                return read(h.buffer, type, index, orderKind);
            }, any(allowed));
            if (r != REFUSED) {
                long at = h.offset + index;
                if (write) {
                    writeModel(h.memory.model, type, at, bits, order(orderKind));
                } else {
                    assertEquals(readModel(h.memory.model, type, at, order(orderKind)), r, operation);
                }
            }
            verify(h);
        }

        /** An array of {@code length} values of {@code type} (or bytes, type 6), every element from {@code seed}. */
        static Object array(int type, int length, long seed) {
            ByteBuffer bits = ByteBuffer.allocate(length * 8);
            for (int i = 0; i < length; i++) {
                bits.putLong(seed * (2 * i + 1) ^ (long) i << 29);
            }
            bits.flip();
            return switch (type) {
                case 0 -> {
                    short[] a = new short[length];
                    bits.asShortBuffer().get(a);
                    yield a;
                }
                case 1 -> {
                    char[] a = new char[length];
                    bits.asCharBuffer().get(a);
                    yield a;
                }
                case 2 -> {
                    int[] a = new int[length];
                    bits.asIntBuffer().get(a);
                    yield a;
                }
                case 3 -> {
                    long[] a = new long[length];
                    bits.asLongBuffer().get(a);
                    yield a;
                }
                case 4 -> {
                    float[] a = new float[length];
                    bits.asFloatBuffer().get(a);
                    yield a;
                }
                case 5 -> {
                    double[] a = new double[length];
                    bits.asDoubleBuffer().get(a);
                    yield a;
                }
                default -> Arrays.copyOf(bits.array(), length);
            };
        }

        /** {@code array[offset..offset+count)} as bytes in {@code order}, the way {@link ByteBuffer} writes them. */
        static byte[] encode(int type, Object array, int offset, int count, ByteOrder order) {
            ByteBuffer bb = ByteBuffer.allocate(count * (type < 6 ? WIDTHS[type] : 1)).order(order);
            switch (type) {
                case 0 -> bb.asShortBuffer().put((short[]) array, offset, count);
                case 1 -> bb.asCharBuffer().put((char[]) array, offset, count);
                case 2 -> bb.asIntBuffer().put((int[]) array, offset, count);
                case 3 -> bb.asLongBuffer().put((long[]) array, offset, count);
                case 4 -> bb.asFloatBuffer().put((float[]) array, offset, count);
                case 5 -> bb.asDoubleBuffer().put((double[]) array, offset, count);
                default -> bb.put((byte[]) array, offset, count);
            }
            return bb.array();
        }

        /** A bulk copy of {@code count} values of {@code type} between the buffer and {@code array[offset..]}. */
        static void copy(Buffer b, boolean put, int type, long index, Object array, int offset, int count,
                int orderKind) {
            ByteOrder o = order(orderKind);
            boolean plain = orderKind == 0;
            switch (type) {
                case 0 -> {
                    short[] a = (short[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
                case 1 -> {
                    char[] a = (char[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
                case 2 -> {
                    int[] a = (int[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
                case 3 -> {
                    long[] a = (long[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
                case 4 -> {
                    float[] a = (float[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
                default -> {
                    double[] a = (double[]) array;
                    if (put) {
                        if (plain) {
                            b.put(index, a, offset, count);
                        } else {
                            b.put(index, a, offset, count, o);
                        }
                    } else if (plain) {
                        b.get(index, a, offset, count);
                    } else {
                        b.get(index, a, offset, count, o);
                    }
                }
            }
        }

        /**
         * Bulk get or put of an array of any type but byte, in either order, or of a heap or direct byte buffer's
         * remaining bytes. A refused copy changes neither the buffer nor the array (nor the byte buffer's position).
         */
        void bulkValues(FuzzInput in) {
            Handle h = pick(in);
            int type = in.below(8); // 0-5: TYPES; 6: a heap byte buffer, 7: a direct one
            boolean put = in.bool();
            int orderKind = type < 6 ? in.below(3) : 0;
            int width = type < 6 ? WIDTHS[type] : 1;
            long index = index(in, h.size());
            int count = clamp(index(in, h.size() / width));
            // mostly just room enough for count values, sometimes any length
            int length = in.below(8) == 0 ? in.u8() : (int) Math.min(1 << 16, Math.max(0, count)) + in.below(4);
            int offset = in.below(8) == 0 ? clamp(index(in, length))
                    : in.below(Math.max(1, length - (int) Math.min(length, Math.max(0, count)) + 1));
            long seed = in.i64();
            Object array = array(Math.min(type, 6), length, seed);
            byte[] before = encode(Math.min(type, 6), array, 0, length, ByteOrder.LITTLE_ENDIAN);
            if (type >= 6) {
                ByteBuffer bb = type == 6 ? ByteBuffer.wrap((byte[]) array)
                        : ByteBuffer.allocateDirect(length).put((byte[]) array).clear();
                int position = Math.max(0, Math.min(offset, length));
                bb.position(position);
                int remaining = bb.remaining();
                operation = (put ? "put(" : "get(") + index + ", " + bb + ") of " + h;
                Object r = expect(() -> {
                    if (put) {
                        h.buffer.put(index, bb);
                    } else {
                        h.buffer.get(index, bb);
                    }
                    return null;
                }, any(misuse(h.closed, put && !h.mutable, outside(index, remaining, h.size()))));
                byte[] after = new byte[length];
                bb.get(0, after);
                if (r == REFUSED) {
                    assertEquals(position, bb.position(), operation + ": a refused copy moved the position");
                    assertArrayEquals(before, after, operation + ": a refused copy changed the byte buffer");
                } else {
                    assertEquals(length, bb.position(), operation + ": the position after the copy");
                    if (put) {
                        System.arraycopy(before, position, h.memory.model, h.offset + (int) index, remaining);
                    } else {
                        assertArrayEquals(Arrays.copyOfRange(h.memory.model, h.offset + (int) index,
                                h.offset + (int) index + remaining), Arrays.copyOfRange(after, position, length),
                                operation);
                        assertArrayEquals(Arrays.copyOf(before, position), Arrays.copyOf(after, position),
                                operation + ": wrote before the position");
                    }
                }
                verify(h);
                return;
            }
            operation = (put ? "put(" : "get(") + index + ", " + TYPES[type].toLowerCase(java.util.Locale.ROOT) + "["
                    + length + "], " + offset + ", " + count + (orderKind == 0 ? "" : ", " + order(orderKind))
                    + ") of " + h;
            boolean outOfRange = outside(index, (long) count * width, h.size()) || outside(offset, count, length);
            Object r = expect(() -> {
                copy(h.buffer, put, type, index, array, offset, count, orderKind);
                return null;
            }, any(misuse(h.closed, put && !h.mutable, outOfRange)));
            byte[] after = encode(type, array, 0, length, ByteOrder.LITTLE_ENDIAN);
            if (r == REFUSED || put) {
                assertArrayEquals(before, after, operation + ": the array changed");
            }
            if (r != REFUSED) {
                int at = h.offset + (int) index;
                int bytes = count * width;
                if (put) {
                    System.arraycopy(encode(type, array, offset, count, order(orderKind)), 0, h.memory.model, at,
                            bytes);
                } else {
                    assertArrayEquals(Arrays.copyOfRange(h.memory.model, at, at + bytes),
                            encode(type, array, offset, count, order(orderKind)), operation);
                    assertArrayEquals(Arrays.copyOf(before, offset * width), Arrays.copyOf(after, offset * width),
                            operation + ": wrote before the offset");
                    assertArrayEquals(Arrays.copyOfRange(before, (offset + count) * width, length * width),
                            Arrays.copyOfRange(after, (offset + count) * width, length * width),
                            operation + ": wrote past the range");
                }
            }
            verify(h);
        }

        void getBulk(FuzzInput in) {
            Handle h = pick(in);
            long index = index(in, h.size());
            byte[] dst = new byte[in.u16() % (h.size() + 17)];
            int dstOffset = clamp(index(in, dst.length));
            int length = clamp(index(in, h.size()));
            operation = "get(" + index + ", byte[" + dst.length + "], " + dstOffset + ", " + length + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, false,
                    outside(index, length, h.size()) || outside(dstOffset, length, dst.length));
            Object r = expect(() -> {
                h.buffer.get(index, dst, dstOffset, length);
                return null;
            }, any(allowed));
            if (r != REFUSED) {
                assertArrayEquals(Arrays.copyOfRange(h.memory.model, h.offset + (int) index,
                        h.offset + (int) index + length), Arrays.copyOfRange(dst, dstOffset, dstOffset + length),
                        operation);
            }
        }

        void putBulk(FuzzInput in) {
            Handle h = pick(in);
            long index = index(in, h.size());
            byte[] src = Arrays.copyOf(in.bytes(in.u8()), in.u16() % (h.size() + 17));
            int srcOffset = clamp(index(in, src.length));
            int length = clamp(index(in, h.size()));
            operation = "put(" + index + ", byte[" + src.length + "], " + srcOffset + ", " + length + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed, !h.mutable,
                    outside(index, length, h.size()) || outside(srcOffset, length, src.length));
            Object r = expect(() -> {
                h.buffer.put(index, src, srcOffset, length);
                return null;
            }, any(allowed));
            if (r != REFUSED) {
                System.arraycopy(src, srcOffset, h.memory.model, h.offset + (int) index, length);
            }
            verify(h);
        }

        void putBuffer(FuzzInput in) {
            Handle h = pick(in);
            Handle src = pick(in);
            long index = index(in, h.size());
            long srcOffset = index(in, src.size());
            long length = index(in, Math.min(h.size(), src.size()));
            operation = "put(" + index + ", " + src + ", " + srcOffset + ", " + length + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = misuse(h.closed || src.closed, !h.mutable,
                    outside(index, length, h.size()) || outside(srcOffset, length, src.size()));
            Object r = expect(() -> {
                h.buffer.put(index, src.buffer, srcOffset, length);
                return null;
            }, any(allowed));
            if (r != REFUSED) { // as if through a temporary copy: the ranges may overlap
                byte[] moved = Arrays.copyOfRange(src.memory.model, src.offset + (int) srcOffset,
                        src.offset + (int) (srcOffset + length));
                System.arraycopy(moved, 0, h.memory.model, h.offset + (int) index, moved.length);
            }
            verify(h);
            verify(src);
        }

        void fill(FuzzInput in) {
            Handle h = pick(in);
            byte value = (byte) in.u8();
            operation = "fill(" + value + ") of " + h;
            List<Class<? extends RuntimeException>> allowed = new ArrayList<>();
            if (h.closed) {
                allowed.add(IllegalStateException.class);
            }
            if (!h.mutable) {
                allowed.add(UnsupportedOperationException.class);
            }
            Object r = expect(() -> {
                h.buffer.fill(value);
                return null;
            }, any(allowed));
            if (r != REFUSED) {
                Arrays.fill(h.memory.model, h.offset, h.offset + h.size(), value);
            }
            verify(h);
        }

        /** A pool buffer's own handle, or any other handle to see it refused. */
        Handle pickRoot(FuzzInput in) {
            Handle h = pick(in);
            if (in.below(8) != 0) {
                for (int i = 0; i < handles.size(); i++) {
                    Handle c = handles.get((handles.indexOf(h) + i) % handles.size());
                    if (c.root && c.memory.root != null) {
                        return c;
                    }
                }
            }
            return h;
        }

        long newSize(FuzzInput in, Handle h) {
            return switch (in.below(16)) {
                case 0 -> -1 - in.u8();
                case 1 -> (1L << 48) + in.u8();
                case 2 -> Long.MAX_VALUE - in.u8();
                case 3 -> (1 << 20) + in.u16() * 16L;
                case 4, 5, 6 -> in.u16();
                default -> Math.max(0, h.size() + (long) (byte) in.u8());
            };
        }

        /** The refusals of a resize, reserve or reallocate of a pool buffer's own handle to {@code newCapacity}. */
        List<Class<? extends RuntimeException>> resizeRefusals(Handle h, long size, long growth) {
            List<Class<? extends RuntimeException>> allowed = new ArrayList<>();
            if (size < 0) {
                allowed.add(IllegalArgumentException.class);
            }
            if (h.closed || h.memory.refs > 1) {
                allowed.add(IllegalStateException.class);
            }
            if (allowed.isEmpty() && size >= 1L << 48) {
                allowed.add(OutOfMemoryException.class);
            } else if (allowed.isEmpty() && overLimit(growth)) {
                allowed.add(MemoryLimitExceededException.class);
            }
            return allowed;
        }

        void resize(FuzzInput in) {
            Handle h = pickRoot(in);
            long size = newSize(in, h);
            boolean shrinkToFit = in.bool();
            boolean viaPool = in.below(4) == 0 && shrinkToFit;
            operation = (viaPool ? "pool.reallocate(" + h + ", " + size + ")" : "resize(" + size + ", " + shrinkToFit
                    + ") of " + h);
            if (!(h.root && h.memory.root != null)) { // a slice or wrapped memory
                if (viaPool) {
                    expect(() -> pool.reallocate(h.buffer, size), any(List.of(IllegalArgumentException.class)));
                } else {
                    assertFalse(h.buffer instanceof ResizableBuffer, operation + ": " + h.buffer.getClass());
                }
                return;
            }
            Memory m = h.memory;
            long capacity = m.root.capacity();
            long newCapacity = padded(size);
            boolean moves = size > capacity || (shrinkToFit && newCapacity < capacity);
            List<Class<? extends RuntimeException>> allowed = resizeRefusals(h, size, moves ? newCapacity - capacity : 0);
            Object r = expect(() -> viaPool ? pool.reallocate(h.buffer, size) : m.root.resize(size, shrinkToFit),
                    any(allowed));
            if (r == REFUSED) {
                assertEquals(capacity, m.root.capacity(), operation + ": a refused resize changed the capacity");
                verify(h);
                return;
            }
            assertEquals(moves ? newCapacity : capacity, m.root.capacity(), operation + ": capacity");
            resized(m, size, capacity, moves);
            assertEquals(0, m.root.address() % m.root.alignment(), operation + ": alignment after the move");
            verify(h);
        }

        /**
         * The model after a resize of {@code m} from {@code capacity} bytes to {@code size}: the old bytes, zeroes
         * where the old padding was (it is zeroed), and beyond the old capacity whatever the allocator gave. A move
         * ends the guard and the views of the old block.
         */
        private static void resized(Memory m, long size, long capacity, boolean moves) {
            byte[] model = Arrays.copyOf(m.model, (int) size);
            if (size > capacity) {
                byte[] actual = m.root.toByteArray();
                System.arraycopy(actual, (int) capacity, model, (int) capacity, (int) (size - capacity));
            }
            m.model = model;
            if (moves) {
                m.guarded = null;
                m.views.clear();
            }
        }

        void reserve(FuzzInput in) {
            Handle h = pickRoot(in);
            long capacity = newSize(in, h);
            operation = "reserve(" + capacity + ") of " + h;
            if (!(h.root && h.memory.root != null)) {
                assertFalse(h.buffer instanceof ResizableBuffer, operation + ": " + h.buffer.getClass());
                return;
            }
            Memory m = h.memory;
            long before = m.root.capacity();
            long growth = capacity > before ? padded(capacity) - before : 0;
            Object r = expect(() -> m.root.reserve(capacity), any(resizeRefusals(h, capacity, growth)));
            long after = m.root.capacity();
            if (after != before) {
                m.guarded = null;
                m.views.clear();
            }
            assertEquals(r == REFUSED ? before : Math.max(before, padded(capacity)), after, operation + ": capacity");
            verify(h);
        }

        void reallocate(FuzzInput in) {
            Handle h = pick(in);
            long size = newSize(in, h);
            operation = "pool.reallocate(" + h + ", " + size + ")";
            if (!(h.root && h.memory.root != null)) {
                expect(() -> pool.reallocate(h.buffer, size), any(List.of(IllegalArgumentException.class)));
                return;
            }
            // the same as resize(size, true): checked there
            Memory m = h.memory;
            long capacity = m.root.capacity();
            long newCapacity = padded(size);
            boolean moves = size > capacity || newCapacity < capacity;
            Object r = expect(() -> pool.reallocate(h.buffer, size),
                    any(resizeRefusals(h, size, moves ? newCapacity - capacity : 0)));
            if (r == REFUSED) {
                verify(h);
                return;
            }
            resized(m, size, capacity, moves);
            assertEquals(newCapacity, m.root.capacity(), operation + ": capacity");
            verify(h);
        }

        void close(FuzzInput in) {
            Handle h = pick(in);
            operation = "close of " + h;
            close(h);
            if (in.bool()) {
                close(h); // idempotent
            }
            for (Handle other : handles) {
                verify(other); // slices stay valid after their parent is closed
            }
        }

        void convert(FuzzInput in) {
            Handle h = pick(in);
            int kind = in.below(8);
            List<Class<? extends RuntimeException>> closed = h.closed ? List.of(IllegalStateException.class)
                    : List.of();
            byte[] expected = h.closed ? null : h.expected(); // a closed slice may lie past a shrunk buffer's end
            switch (kind) {
                case 0 -> {
                    operation = "toHex of " + h;
                    if (h.size() <= 4096) {
                        Object r = expect(h.buffer::toHex, any(closed));
                        if (r != REFUSED) {
                            assertEquals(HexFormat.of().formatHex(expected), r, operation);
                        }
                    }
                }
                case 1 -> {
                    long max = in.u8() - 8L;
                    operation = "hexDump(" + max + ") of " + h;
                    List<Class<? extends RuntimeException>> allowed = new ArrayList<>(closed);
                    if (max < 0) {
                        allowed.add(IllegalArgumentException.class);
                    }
                    Object r = expect(() -> h.buffer.hexDump(max), any(allowed));
                    if (r != REFUSED) {
                        long lines = (Math.min(max, h.size()) + 15) / 16 + (max < h.size() ? 1 : 0);
                        assertEquals(lines, ((String) r).lines().count(), operation + ":\n" + r);
                    }
                }
                case 2 -> {
                    Handle other = pick(in);
                    operation = "equals(" + other + ") of " + h;
                    if (h == other) { // reflexive, as Object.equals says, also once closed
                        assertTrue(h.buffer.equals(h.buffer), operation);
                        return;
                    }
                    boolean refused = h.closed || other.closed;
                    Object r = expect(() -> h.buffer.equals(other.buffer) ? 1 : 0,
                            refused ? any(List.of(IllegalStateException.class)) : any(List.of()));
                    if (r != REFUSED) {
                        boolean same = Arrays.equals(expected, other.expected());
                        assertEquals(same ? 1 : 0, r, operation);
                        if (same) {
                            assertEquals(h.buffer.hashCode(), other.buffer.hashCode(), operation + ": hashCode");
                        }
                    }
                }
                case 3 -> {
                    operation = "asByteBuffer of " + h;
                    Object r = expect(h.buffer::asByteBuffer, any(closed));
                    if (r != REFUSED) {
                        ByteBuffer bb = (ByteBuffer) r;
                        keepView(h, bb);
                        assertEquals(ByteOrder.LITTLE_ENDIAN, bb.order(), operation);
                        assertEquals(!h.mutable, bb.isReadOnly(), operation);
                        byte[] seen = new byte[bb.remaining()];
                        bb.duplicate().get(seen);
                        assertArrayEquals(expected, seen, operation);
                        if (h.mutable && h.size() > 0) {
                            int at = in.below(h.size());
                            byte value = (byte) in.u8();
                            bb.put(at, value);
                            h.memory.model[h.offset + at] = value;
                            verify(h);
                        }
                    }
                }
                case 4 -> {
                    operation = "asSegment of " + h;
                    Object r = expect(h.buffer::asSegment, any(closed));
                    if (r != REFUSED) {
                        MemorySegment s = (MemorySegment) r;
                        keepView(h, s);
                        assertEquals(!h.mutable, s.isReadOnly(), operation);
                        assertArrayEquals(expected, s.toArray(ValueLayout.JAVA_BYTE), operation);
                    }
                }
                case 5 -> {
                    operation = "address of " + h;
                    List<Class<? extends RuntimeException>> allowed = new ArrayList<>(closed);
                    if (h.memory.heap) {
                        allowed.add(UnsupportedOperationException.class);
                    }
                    Object r = expect(h.buffer::address, any(allowed));
                    if (r != REFUSED && h.root && h.memory.root != null) {
                        assertEquals(0, (long) r % h.memory.root.alignment(), operation);
                    }
                }
                case 6 -> {
                    operation = "toString and properties of " + h;
                    assertNotNull(h.buffer.toString());
                    assertEquals(h.closed, h.buffer.isClosed(), operation);
                    assertEquals(h.mutable, h.buffer.isMutable(), operation);
                    assertEquals(h.size(), h.buffer.size(), operation);
                    assertTrue(h.buffer.capacity() >= h.buffer.size(), operation);
                    assertTrue(h.buffer.isCpu(), operation);
                }
                default -> {
                    operation = "toByteArray of " + h;
                    Object r = expect(h.buffer::toByteArray, any(closed));
                    if (r != REFUSED) {
                        assertArrayEquals(expected, (byte[]) r, operation);
                    }
                }
            }
        }

        void retain(FuzzInput in) {
            Handle h = pick(in);
            operation = "asSegment(arena) of " + h;
            Arena arena = Arena.ofConfined();
            Object r = expect(() -> h.buffer.asSegment(arena),
                    h.closed ? any(List.of(IllegalStateException.class)) : any(List.of()));
            if (r == REFUSED) {
                arena.close();
                return;
            }
            MemorySegment s = (MemorySegment) r;
            assertEquals(h.size(), s.byteSize(), operation);
            assertEquals(!h.mutable, s.isReadOnly(), operation);
            if (!h.memory.heap) {
                h.memory.refs++;
            }
            views.add(new View(arena, s, h.memory, h.offset, h.mutable));
        }

        void useView(FuzzInput in) {
            if (views.isEmpty()) {
                retain(in);
                return;
            }
            View v = views.get(in.below(views.size()));
            int kind = in.below(4);
            operation = "a retained segment" + (v.open ? "" : " after its arena closed");
            if (kind == 0) {
                closeView(v);
                for (Handle h : handles) {
                    verify(h);
                }
                return;
            }
            if (!v.open) {
                if (!v.memory.heap && v.segment.byteSize() > 0) {
                    assertThrows(IllegalStateException.class, () -> v.segment.get(ValueLayout.JAVA_BYTE, 0),
                            operation + " must be inaccessible");
                }
                return;
            }
            if (kind == 1 && v.mutable && v.segment.byteSize() > 0) {
                int at = in.below((int) v.segment.byteSize());
                byte value = (byte) in.u8();
                v.segment.set(ValueLayout.JAVA_BYTE, at, value);
                v.memory.model[v.offset + at] = value;
            }
            byte[] expected = Arrays.copyOfRange(v.memory.model, v.offset, v.offset + (int) v.segment.byteSize());
            assertArrayEquals(expected, v.segment.toArray(ValueLayout.JAVA_BYTE), operation);
        }
    }
}
