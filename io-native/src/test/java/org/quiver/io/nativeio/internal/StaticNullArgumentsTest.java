package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.io.BufferOutput;
import org.quiver.io.Codec;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.StreamOptions;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.testing.NullArgumentProbe;

/**
 * The static entry points of the IO API ({@link NativeFiles}, {@link Compression}, {@link QuiverFileSystem},
 * {@link OSFile}, {@link MemoryMappedFile}), called with {@code null} for each reference argument in turn, throw a
 * {@link NullPointerException} whose message names the argument, at the call: never the JDK's text about
 * internals ({@code Cannot invoke "java.nio.file.Path.toString()" because "path" is null}), never accepted. The
 * instance methods of every file and file system are probed the same way by their contracts.
 */
class StaticNullArgumentsTest {

    @TempDir
    Path dir;

    private final List<AutoCloseable> opened = new ArrayList<>();

    /** A value for a parameter: a file with content in the test's directory for paths, or null if unknown. */
    private Object sample(Class<?> type) throws Exception {
        Path file = dir.resolve("sample.bin");
        if (!Files.exists(file)) {
            Files.write(file, new byte[16]);
        }
        if (type == int.class) {
            return 1;
        }
        if (type == long.class) {
            return 1L;
        }
        if (type == Path.class) {
            return file;
        }
        if (type == String.class) {
            return file.toString();
        }
        if (type == URI.class) {
            return file.toUri();
        }
        if (type == Compression.class) {
            return Compression.NONE;
        }
        if (type == FileMode.class) {
            return FileMode.READ;
        }
        if (type == OSFile.Option[].class) {
            return new OSFile.Option[0];
        }
        if (type == byte[].class) {
            return new byte[16];
        }
        if (type == Buffer.class) {
            Buffer b = Buffer.wrap(new byte[16]);
            opened.add(b);
            return b;
        }
        if (type == InputStream.class) {
            return new ByteArrayInputStream(new byte[16]);
        }
        if (type == OutputStream.class) {
            return new ByteArrayOutputStream();
        }
        if (type == SequentialInput.class) {
            SequentialInput f = NativeFiles.openInput(new byte[16]);
            opened.add(f);
            return f;
        }
        if (type == SequentialOutput.class) {
            BufferOutput out = new BufferOutput(MemoryPool.defaultPool());
            opened.add(out);
            return out;
        }
        if (type == Map.class) {
            return Map.of();
        }
        if (type == StreamOptions.class) {
            return StreamOptions.uncompressed();
        }
        if (type == Codec.class) {
            return Codec.of(Compression.GZIP);
        }
        return null;
    }

    private void probe(Class<?> type, NullArgumentProbe probe) throws Exception {
        for (Method m : type.getMethods()) {
            if (!Modifier.isStatic(m.getModifiers()) || m.getDeclaringClass() != type) {
                continue; // Enum.valueOf(Class, String) is the JDK's
            }
            probe.probe(type.getSimpleName() + "." + m.getName() + List.of(m.getParameterTypes()),
                    m.getParameterTypes(), args -> m.invoke(null, args), null);
        }
    }

    @Test
    void everyNullArgumentIsNamedAtTheCall() throws Exception {
        long before = MemoryPool.defaultPool().bytesAllocated();
        NullArgumentProbe probe = new NullArgumentProbe(this::sample);
        for (Class<?> type : List.of(NativeFiles.class, Compression.class, QuiverFileSystem.class, OSFile.class,
                MemoryMappedFile.class, StreamOptions.class, Codec.class)) {
            probe(type, probe);
        }
        for (AutoCloseable c : opened) {
            c.close();
        }
        probe.assertEveryArgumentNamed();
        assertEquals(before, MemoryPool.defaultPool().bytesAllocated(), "nothing left allocated");
    }
}
