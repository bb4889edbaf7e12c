package org.quiver.io.testing;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.opentest4j.TestAbortedException;
import org.quiver.io.SeekOrigin;
import org.quiver.io.SequentialInput;
import org.quiver.io.NativeFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.RandomAccessInput;
import org.quiver.io.RandomAccessOutput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.NullArgumentProbe;

/**
 * The contract of the {@link NativeFile} family, run against every file type. A subclass opens an input over
 * given bytes and/or an output whose written bytes it can read back; the other half may be left unsupported
 * by returning {@code null}, and the tests of that half are then skipped, visibly, never passed without running.
 * Reads and writes run in chunk sizes from one byte (the hostile variant) up.
 * Teardown asserts the pool has nothing left allocated.
 */
public abstract class NativeFileContract {

    /** A readable file holding {@code content}, or {@code null} if this file type cannot be read. */
    protected abstract SequentialInput openInput(byte[] content) throws IOException;

    /** A writable file, or {@code null} if this file type cannot be written. */
    protected abstract SequentialOutput openOutput(int expectedSize) throws IOException;

    /** The bytes written to {@code file}, after it was closed. */
    protected abstract byte[] written(SequentialOutput file) throws IOException;

    /**
     * What {@code toString()} of {@code file} starts with ({@code "OSFile"}, {@code "BufferInput"} ...): by
     * default the simple name of a public class; a suite of internal classes names their kind.
     */
    protected String expectedKind(NativeFile file) {
        Class<?> type = file.getClass();
        return java.lang.reflect.Modifier.isPublic(type.getModifiers()) ? type.getSimpleName() : null;
    }

    /**
     * Whether this file type accepts positions past its end (a read there finding the end), as POSIX files and
     * pyarrow's {@code OSFile} do; the others refuse them with an {@link EOFException}, as pyarrow's memory maps
     * and buffer readers do.
     */
    protected boolean acceptsPositionsPastTheEnd() {
        return false;
    }

    /**
     * The keys of {@link SequentialInput#metadata()} this file type gives (at least these); none by default, and
     * then the map must be empty.
     */
    protected java.util.Set<String> metadataKeys() {
        return java.util.Set.of();
    }

    /** The pool the files allocate from, for the leak check. */
    protected MemoryPool pool() {
        return MemoryPool.defaultPool();
    }

    /** {@link #openInput}, or a visible skip of the calling test when this file type cannot be read. */
    private SequentialInput input(byte[] content) throws IOException {
        SequentialInput f = openInput(content);
        Assumptions.assumeTrue(f != null, () -> getClass().getSimpleName() + " cannot be read: openInput gave null");
        return f;
    }

    /** {@link #openOutput}, or a visible skip of the calling test when this file type cannot be written. */
    private SequentialOutput output(int expectedSize) throws IOException {
        SequentialOutput f = openOutput(expectedSize);
        Assumptions.assumeTrue(f != null,
                () -> getClass().getSimpleName() + " cannot be written: openOutput gave null");
        return f;
    }

    private long startBytes;

    @BeforeEach
    void remember() {
        startBytes = pool().bytesAllocated();
    }

    @AfterEach
    void nothingOutstanding() {
        assertEquals(startBytes, pool().bytesAllocated(), "bytes left allocated by the file");
    }

    protected static byte[] content(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }

    // ---- input ----------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 2, 7, 64, 4096, 100_000})
    void readsEverythingInChunks(int chunk) throws IOException {
        byte[] data = content(10_000);
        SequentialInput f = input(data);
        try (f) {
            assertTrue(f.isReadable());
            byte[] out = new byte[data.length];
            int n = 0;
            while (true) {
                int r = f.read(out, n, Math.min(chunk, out.length - n));
                if (r < 0 || n == out.length) {
                    break;
                }
                assertTrue(r > 0 || chunk == 0);
                n += r;
                assertEquals(n, f.tell());
            }
            assertEquals(data.length, n);
            assertArrayEquals(data, out);
            assertEquals(-1, f.read(new byte[5], 0, 5), "EOF is -1");
            assertEquals(-1, f.read(new byte[5], 0, 5), "and stays -1");
            assertEquals(0, f.read(new byte[5], 0, 0));
        }
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 1000, 20_000})
    void readBufferInChunks(int chunk) throws IOException {
        byte[] data = content(5000);
        SequentialInput f = input(data);
        try (f) {
            byte[] out = new byte[data.length];
            int n = 0;
            while (true) {
                try (Buffer b = f.readBuffer(chunk, pool())) {
                    if (b.size() == 0) {
                        break;
                    }
                    assertTrue(b.size() <= chunk);
                    b.get(0, out, n, (int) b.size());
                    n += (int) b.size();
                }
            }
            assertEquals(data.length, n);
            assertArrayEquals(data, out);
        }
    }

    @Test
    void readIntoBuffersAndArrays() throws IOException {
        byte[] data = content(300);
        SequentialInput f = input(data);
        try (f; Buffer dst = pool().allocate(400)) {
            long n = 0;
            while (n < 100) { // a stream may return fewer bytes than asked, never 0
                long r = f.read(dst, 50 + n, 100 - n);
                assertTrue(r > 0, "read returned " + r);
                n += r;
            }
            byte[] head = new byte[100];
            dst.get(50, head, 0, 100);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 0, 100), head);
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 100, 110), f.read(10));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 110, 300), f.readAll());
            assertEquals(0, f.read(5).length);
            assertEquals(-1, f.read(dst, 0, 10));
            assertThrows(IndexOutOfBoundsException.class, () -> f.read(new byte[4], 2, 3));
        }
    }

    @Test
    void asInputStream() throws IOException {
        byte[] data = content(3000);
        SequentialInput f = input(data);
        try (InputStream in = f.asInputStream()) {
            assertEquals(data[0] & 0xFF, in.read());
            byte[] rest = in.readAllBytes();
            assertEquals(data.length - 1, rest.length);
            assertEquals(-1, in.read());
        }
        assertTrue(f.isClosed(), "closing the stream closes the file");
    }

    /**
     * The java.io and NIO views name a null argument, and a view taken before the file closed fails afterwards as
     * the JDK's own streams do: IOException (ClosedChannelException for the channel), never an unchecked one.
     */
    @Test
    void viewsNameNullArgumentsAndFailAsTheJdksOnceClosed() throws IOException {
        SequentialInput f = input(content(100));
        InputStream in = f.asInputStream();
        java.nio.channels.SeekableByteChannel channel = f.asChannel();
        assertEquals("b", assertThrows(NullPointerException.class, () -> in.read(null)).getMessage());
        assertEquals("b", assertThrows(NullPointerException.class, () -> in.read(null, 0, 1)).getMessage());
        assertEquals("dst", assertThrows(NullPointerException.class, () -> channel.read(null)).getMessage());
        f.close();
        assertTrue(assertThrows(IOException.class, in::read).getMessage().startsWith("Stream closed: "));
        assertThrows(IOException.class, () -> in.read(new byte[4], 0, 4));
        assertThrows(IOException.class, in::available);
        assertThrows(java.nio.channels.ClosedChannelException.class,
                () -> channel.read(java.nio.ByteBuffer.allocate(4)));
    }

    @Test
    void emptyInput() throws IOException {
        SequentialInput f = input(new byte[0]);
        try (f) {
            assertEquals(-1, f.read(new byte[1], 0, 1));
            try (Buffer b = f.readBuffer(10, pool())) {
                assertEquals(0, b.size());
            }
        }
    }

    @Test
    void randomAccess() throws Exception {
        byte[] data = content(8192);
        RandomAccessInput r = randomAccessInput(data);
        try (r) {
            assertTrue(r.isSeekable());
            assertEquals(data.length, r.size());
            r.seek(100);
            assertEquals(100, r.tell());
            assertEquals(data[100], r.read(1)[0]);
            byte[] four = new byte[4];
            assertEquals(4, r.readAt(5000, four, 0, 4));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, 5000, 5004), four);
            assertEquals(101, r.tell(), "readAt does not move the position");
            assertEquals(2, r.readAt(data.length - 2, four, 0, 4), "short at the end");
            assertEquals(-1, r.readAt(data.length, four, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> r.readAt(-1, four, 0, 4));
            assertThrows(IllegalArgumentException.class, () -> r.seek(-1));
            try (Buffer b = r.readBufferAt(8000, 500, pool())) {
                assertEquals(192, b.size());
                assertEquals(data[8000], b.getByte(0));
            }
            r.seek(data.length);
            assertEquals(-1, r.read(four, 0, 4));
        }
    }

    /** pyarrow's {@code metadata()}: the keys this file type has, unmodifiable, and refused once closed. */
    @Test
    void metadata() throws Exception {
        SequentialInput f = input(content(1000));
        try (f) {
            Map<String, String> m = f.metadata();
            assertTrue(m.keySet().containsAll(metadataKeys()), "expected at least " + metadataKeys() + ": " + m);
            if (metadataKeys().isEmpty()) {
                assertEquals(Map.of(), m, "a file type without metadata gives an empty map");
            }
            m.values().forEach(v -> assertTrue(v != null && !v.isEmpty(), "values are never empty: " + m));
            assertThrows(UnsupportedOperationException.class, () -> m.put("key", "value"));
            assertEquals(m, f.metadata(), "asked again: the same, for a file nobody changed");
        }
        assertEquals("closed", assertThrows(IllegalStateException.class, f::metadata).getMessage());
    }

    /**
     * pyarrow's {@code _check_native_file_reader}: past the end, a file either accepts the position and reads
     * nothing there (OS files) or refuses it, naming the position and the size (memory maps, buffers); both
     * leave the position where it was on refusal, and nothing is allocated for a read that finds nothing.
     */
    @Test
    void positionsPastTheEnd() throws Exception {
        byte[] data = content(4096);
        RandomAccessInput r = randomAccessInput(data);
        try (r) {
            byte[] four = new byte[4];
            r.seek(10);
            if (acceptsPositionsPastTheEnd()) {
                r.seek(data.length + 1);
                assertEquals(data.length + 1, r.tell());
                assertEquals(-1, r.read(four, 0, 4), "a read past the end finds the end");
                assertEquals(0, r.read(5).length);
                try (Buffer nothing = r.readBuffer(5, pool())) {
                    assertEquals(0, nothing.size());
                }
                assertEquals(data.length + 1, r.tell(), "nothing read, nothing moved");
                assertEquals(-1, r.readAt(data.length + 1, four, 0, 4));
                assertEquals(-1, r.readAt(Long.MAX_VALUE - 8, four, 0, 4));
                try (Buffer nothing = r.readBufferAt(1L << 40, 1 << 20, pool())) {
                    assertEquals(0, nothing.size());
                }
                assertEquals(data.length + 100, r.seek(100, SeekOrigin.END));
                assertEquals(data.length - 2, r.seek(-2, SeekOrigin.END));
                assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 2, data.length), r.read(4));
            } else {
                EOFException seek = assertThrows(EOFException.class, () -> r.seek(data.length + 1));
                assertTrue(seek.getMessage().contains("position=" + (data.length + 1))
                        && seek.getMessage().contains("size=" + data.length), seek.getMessage());
                assertEquals(10, r.tell(), "a refused seek moves nothing");
                assertThrows(EOFException.class, () -> r.seek(1, SeekOrigin.END));
                EOFException at = assertThrows(EOFException.class, () -> r.readAt(data.length + 1, four, 0, 4));
                assertTrue(at.getMessage().contains("position=" + (data.length + 1)), at.getMessage());
                assertThrows(EOFException.class, () -> r.readBufferAt(data.length + 1, 1, pool()));
            }
        }
    }

    /**
     * pyarrow's {@code get_stream(offset, nbytes)}: a stream over a range, with its own position, that ends at the
     * range's end, leaves the file's position alone and the file open; bad ranges are refused with the operands.
     */
    @Test
    void aStreamOverARange() throws Exception {
        byte[] data = content(8192);
        RandomAccessInput r = randomAccessInput(data);
        try (r) {
            r.seek(10);
            try (SequentialInput a = r.openRange(1000, 3000); SequentialInput b = r.openRange(5000, 100)) {
                assertFalse(a.isSeekable());
                assertEquals(0, a.tell());
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 1000, 1010), a.read(10));
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 5000, 5100), b.readAll(), "independent");
                assertEquals(-1, b.read(new byte[1], 0, 1), "ends at the range's end");
                try (Buffer slice = a.readBuffer(500, pool())) {
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, 1010, 1510), slice.toByteArray());
                }
                try (Buffer into = pool().allocate(600)) {
                    assertEquals(600, a.read(into, 0, 600));
                    assertArrayEquals(java.util.Arrays.copyOfRange(data, 1510, 2110), into.toByteArray());
                }
                assertEquals(2110 - 1000, a.tell());
                assertArrayEquals(java.util.Arrays.copyOfRange(data, 2110, 4000), a.readAll());
                assertEquals(10, r.tell(), "the file's position is its own");
            }
            assertFalse(r.isClosed(), "closing a range stream leaves the file open");
            try (SequentialInput empty = r.openRange(data.length, 0)) {
                assertEquals(-1, empty.read(new byte[1], 0, 1));
            }
            EOFException beyond = assertThrows(EOFException.class, () -> r.openRange(8000, 193));
            assertTrue(beyond.getMessage().endsWith("range beyond the end of the file: offset=8000 length=193 size="
                    + data.length), beyond.getMessage());
            assertThrows(EOFException.class, () -> r.openRange(data.length + 1, 0));
            assertEquals("negative range: offset=-1 length=5", assertThrows(IllegalArgumentException.class,
                    () -> r.openRange(-1, 5)).getMessage());
            assertThrows(IllegalArgumentException.class, () -> r.openRange(0, -1));
            SequentialInput orphan = r.openRange(0, 100);
            r.close();
            assertThrows(IllegalStateException.class, () -> orphan.read(new byte[1], 0, 1),
                    "the file's close ends its streams");
            orphan.close();
        }
    }

    /** pyarrow's {@code seek(offset, whence)}: from the start, the position and the end; returns the position. */
    @Test
    void seekFromAnOrigin() throws Exception {
        byte[] data = content(8192);
        RandomAccessInput r = randomAccessInput(data);
        try (r) {
            assertEquals(100, r.seek(100, SeekOrigin.START));
            assertEquals(150, r.seek(50, SeekOrigin.CURRENT));
            assertEquals(data[150], r.read(1)[0]);
            assertEquals(141, r.seek(-10, SeekOrigin.CURRENT));
            assertEquals(data.length - 4, r.seek(-4, SeekOrigin.END));
            assertArrayEquals(java.util.Arrays.copyOfRange(data, data.length - 4, data.length), r.read(10));
            assertEquals(data.length, r.seek(0, SeekOrigin.END));
            assertEquals(0, r.seek(-data.length, SeekOrigin.END));
            IllegalArgumentException before = assertThrows(IllegalArgumentException.class,
                    () -> r.seek(-1, SeekOrigin.START));
            assertEquals("seek to a negative position: offset=-1 from start (0)", before.getMessage());
            r.seek(10, SeekOrigin.START);
            assertEquals("seek to a negative position: offset=-11 from current (10)", assertThrows(
                    IllegalArgumentException.class, () -> r.seek(-11, SeekOrigin.CURRENT)).getMessage());
            assertEquals(10, r.tell(), "a refused seek moves nothing");
            assertThrows(IllegalArgumentException.class, () -> r.seek(Long.MAX_VALUE, SeekOrigin.END));
            assertThrows(NullPointerException.class, () -> r.seek(0, null));
        }
        assertEquals(SeekOrigin.END, SeekOrigin.ofWhence(2));
        assertEquals("whence must be 0 (start), 1 (current) or 2 (end): whence=3",
                assertThrows(IllegalArgumentException.class, () -> SeekOrigin.ofWhence(3)).getMessage());
    }

    @Test
    void concurrentPositionalReads() throws Exception {
        byte[] data = content(1 << 16);
        RandomAccessInput r = randomAccessInput(data);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try (r) {
            List<Future<?>> results = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                int seed = t;
                results.add(pool.submit(() -> {
                    Random random = new Random(seed);
                    byte[] dst = new byte[257];
                    for (int i = 0; i < 2000; i++) {
                        int at = random.nextInt(data.length);
                        int n = r.readAt(at, dst, 0, dst.length);
                        for (int j = 0; j < n; j++) {
                            if (dst[j] != data[at + j]) {
                                throw new AssertionError("wrong byte at " + (at + j));
                            }
                        }
                    }
                    return null;
                }));
            }
            for (Future<?> result : results) {
                result.get();
            }
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void closedInput() throws IOException {
        SequentialInput f = input(content(10));
        f.close();
        f.close();
        assertTrue(f.isClosed());
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.read(new byte[1], 0, 1));
        assertEquals("closed", e.getMessage());
        assertThrows(IllegalStateException.class, f::tell);
        assertThrows(IllegalStateException.class, () -> f.readBuffer(1, pool()));
        assertEveryCallButCloseThrows(f);
    }

    /**
     * {@link NativeFile}'s rule: on a closed file every call but {@code close} and {@code isClosed} throws
     * {@code IllegalStateException("closed")}, the properties ({@code mode}, {@code isReadable} ...) and the
     * positions and sizes of seekable files included.
     */
    private static void assertEveryCallButCloseThrows(NativeFile f) throws IOException {
        assertTrue(f.isClosed());
        List<Executable> calls = new ArrayList<>(List.of(f::mode, f::isReadable, f::isWritable, f::isSeekable,
                f::tell, f::asChannel));
        if (f instanceof SequentialInput in) {
            calls.add(in::asInputStream);
        }
        if (f instanceof SequentialOutput out) {
            calls.add(out::asOutputStream);
        }
        if (f instanceof RandomAccessInput r) {
            calls.addAll(List.of(r::size, () -> r.seek(0), () -> r.readAt(0, new byte[1], 0, 1),
                    () -> r.readBufferAt(0, 1, MemoryPool.defaultPool())));
        }
        if (f instanceof RandomAccessOutput w) {
            calls.addAll(List.of(w::size, () -> w.seek(0), () -> w.writeAt(0, new byte[1], 0, 1)));
        }
        for (int i = 0; i < calls.size(); i++) {
            IllegalStateException e = assertThrows(IllegalStateException.class, calls.get(i), "call " + i + " of "
                    + calls.size() + " (mode, isReadable, isWritable, isSeekable, tell, asChannel, asInputStream or"
                    + " asOutputStream, size, seek ...) on " + f);
            assertEquals("closed", e.getMessage());
        }
        f.close(); // still idempotent
    }

    @Test
    void inputToStringSaysWhatTheFileIs() throws IOException {
        assertDescribed(input(content(10)));
    }

    @Test
    void outputToStringSaysWhatTheFileIs() throws IOException {
        assertDescribed(output(10));
    }

    /**
     * Messages name files by {@code toString()}: it starts with the kind, says where the file is (a path, a
     * size, the file under it), never shows an identity hash ({@code BufferInput@1d94f22d}), and says
     * {@code closed} once closed, without throwing.
     */
    private void assertDescribed(NativeFile file) throws IOException {
        String kind = expectedKind(file);
        assertTrue(kind != null, "the suite must say the kind of " + file.getClass().getName()
                + " (override expectedKind)");
        try (file) {
            String open = file.toString();
            assertTrue(open.startsWith(kind + "[") && open.endsWith("]"), "kind " + kind + ": " + open);
            assertFalse(open.contains("@"), "no identity hash: " + open);
            assertFalse(open.contains("closed"), open);
        }
        String closed = file.toString();
        assertTrue(closed.startsWith(kind + "[") && closed.endsWith(", closed]"), closed);
        assertFalse(closed.contains("@"), "no identity hash: " + closed);
    }

    // ---- hostile calls ---------------------------------------------------------------------------------------

    private final List<Buffer> samples = new ArrayList<>();

    @AfterEach
    void closeSamples() {
        samples.forEach(Buffer::close);
        samples.clear();
    }

    /** A value for a parameter of a file's method, or {@code null} for a type this probe does not fill. */
    private Object sample(Class<?> type) {
        if (type == long.class) {
            return 1L;
        }
        if (type == int.class) {
            return 1;
        }
        if (type == byte[].class) {
            return new byte[64];
        }
        if (type == Buffer.class) {
            Buffer b = Buffer.wrap(new byte[64]);
            samples.add(b);
            return b;
        }
        if (type == MemoryPool.class) {
            return pool();
        }
        return null;
    }

    /** The public methods of the public interfaces {@code type} implements (its own class may be internal). */
    private static List<Method> publicMethods(Class<?> type) {
        Map<String, Method> methods = new LinkedHashMap<>();
        Deque<Class<?>> todo = new ArrayDeque<>(List.of(type.getInterfaces()));
        for (Class<?> c = type.getSuperclass(); c != null; c = c.getSuperclass()) {
            todo.addAll(List.of(c.getInterfaces()));
        }
        while (!todo.isEmpty()) {
            Class<?> i = todo.poll();
            if (Modifier.isPublic(i.getModifiers())) {
                for (Method m : i.getMethods()) {
                    if (!Modifier.isStatic(m.getModifiers())) {
                        methods.putIfAbsent(m.getName() + List.of(m.getParameterTypes()), m);
                    }
                }
            }
            todo.addAll(List.of(i.getInterfaces()));
        }
        return List.copyOf(methods.values());
    }

    /** Opens a fresh file of the side under test. */
    @FunctionalInterface
    private interface Opener {
        NativeFile open() throws IOException;
    }

    /**
     * The hostile variant for arguments: every public method of the file, called on a fresh file with
     * {@code null} for each reference argument in turn, throws a {@link NullPointerException} whose message is the
     * argument's name, at the call: never the JDK's text about the implementation's internals ({@code Cannot read
     * the array length because "dst" is null}), and never accepted.
     */
    @Test
    void inputNullArgumentsAreNamedAtTheCall() throws Exception {
        assertEveryNullArgumentNamed(input(content(64)), () -> openInput(content(64)));
    }

    /** {@link #inputNullArgumentsAreNamedAtTheCall} for the output side. */
    @Test
    void outputNullArgumentsAreNamedAtTheCall() throws Exception {
        assertEveryNullArgumentNamed(output(64), () -> openOutput(64));
    }

    /** Probes every public method of {@code first}'s type, each call on a file that {@code open} gives. */
    private void assertEveryNullArgumentNamed(NativeFile first, Opener open) throws Exception {
        first.close();
        NullArgumentProbe probe = new NullArgumentProbe(this::sample);
        for (Method m : publicMethods(first.getClass())) {
            NativeFile[] f = new NativeFile[1];
            probe.probe(m.getDeclaringClass().getSimpleName() + "." + m.getName() + " of " + first,
                    m.getParameterTypes(), args -> {
                        f[0] = open.open();
                        return m.invoke(f[0], args);
                    }, () -> f[0].close());
        }
        Assumptions.assumeTrue(probe.probed() > 0, "no method with a reference argument");
        probe.assertEveryArgumentNamed();
    }

    // ---- output ---------------------------------------------------------------------------------------------

    @ParameterizedTest
    @ValueSource(ints = {1, 3, 64, 5000, 100_000})
    void writesEverythingInChunks(int chunk) throws IOException {
        byte[] data = content(20_000);
        SequentialOutput f = output(data.length);
        assertTrue(f.isWritable());
        for (int n = 0; n < data.length; n += chunk) {
            f.write(data, n, Math.min(chunk, data.length - n));
            assertEquals(Math.min(n + chunk, data.length), f.tell());
        }
        f.flush();
        assertArrayEquals(data, written(f));
    }

    @Test
    void writesBuffersAndStreams() throws IOException {
        byte[] data = content(1000);
        SequentialOutput f = output(data.length);
        try (Buffer b = Buffer.wrap(data)) {
            f.write(b, 0, 400);
        }
        OutputStream out = f.asOutputStream();
        out.write(data[400]);
        out.write(data, 401, 599);
        out.flush();
        assertArrayEquals(data, written(f));
    }

    /** The output views, as {@link #viewsNameNullArgumentsAndFailAsTheJdksOnceClosed} does for input. */
    @Test
    void outputViewsNameNullArgumentsAndFailAsTheJdksOnceClosed() throws IOException {
        SequentialOutput f = output(10);
        OutputStream out = f.asOutputStream();
        java.nio.channels.SeekableByteChannel channel = f.asChannel();
        assertEquals("b", assertThrows(NullPointerException.class, () -> out.write(null)).getMessage());
        assertEquals("b", assertThrows(NullPointerException.class, () -> out.write(null, 0, 1)).getMessage());
        assertEquals("src", assertThrows(NullPointerException.class, () -> channel.write(null)).getMessage());
        f.close();
        assertTrue(assertThrows(IOException.class, () -> out.write(1)).getMessage().startsWith("Stream closed: "));
        assertThrows(IOException.class, () -> out.write(new byte[2], 0, 2));
        assertThrows(IOException.class, out::flush);
        assertThrows(java.nio.channels.ClosedChannelException.class,
                () -> channel.write(java.nio.ByteBuffer.allocate(4)));
    }

    @Test
    void closedOutput() throws IOException {
        SequentialOutput f = output(10);
        f.close();
        f.close();
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> f.write(new byte[1]));
        assertEquals("closed", e.getMessage());
        assertThrows(IllegalStateException.class, f::flush);
        assertThrows(IllegalStateException.class, f::tell);
        assertEveryCallButCloseThrows(f);
    }

    /** The file under test over {@code data} as a random-access input; skipped (aborted) when it is not one. */
    private RandomAccessInput randomAccessInput(byte[] data) throws Exception {
        SequentialInput f = input(data);
        if (!(f instanceof RandomAccessInput r)) {
            f.close();
            throw new TestAbortedException("not a random-access file: " + f);
        }
        return r;
    }
}
