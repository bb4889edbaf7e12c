package org.quiver.itests.osgi;

import static org.junit.Assert.assertArrayEquals;
import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertThrows;
import static org.junit.Assert.assertTrue;

import java.io.File;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.junit.Test;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceReference;
import org.quiver.io.Compression;
import org.quiver.io.FileInfo;
import org.quiver.io.FileMode;
import org.quiver.io.FileSelector;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.NativeFiles;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.spi.QuiverFileSystemProvider;
import org.quiver.io.spi.NativeIo;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * io-native inside the framework: it resolves with its codec bundles (zstd-jni and lz4-java with their own
 * natives, Commons Compress, and brotli4j embedded), registers its services through DS, and serves
 * {@code file:} URIs through the registry; every codec works here, and the registry follows the bundle.
 */
public abstract class NativeIoTests extends AllocatorLifecycleTests {

    private Path scratch() throws Exception {
        File data = context().getDataFile("io-" + System.nanoTime());
        Files.createDirectories(data.toPath());
        return data.toPath();
    }

    @Test
    public void ioNativeResolvesWithItsCodecsAndRegistersItsServices() throws Exception {
        for (String bsn : List.of(IO_NATIVE_BSN, "org.apache.commons.commons-compress", "com.github.luben.zstd-jni",
                "lz4-java", "org.apache.commons.commons-io", "org.apache.commons.lang3")) {
            assertEquals(bsn + " state", Bundle.ACTIVE, installed(bsn).getState());
        }
        await(() -> context().getServiceReference(NativeIo.class) != null
                && context().getServiceReference(QuiverFileSystemProvider.class) != null, "the io-native services");
        ServiceReference<NativeIo> io = context().getServiceReference(NativeIo.class);
        assertEquals(IO_NATIVE_BSN, io.getBundle().getSymbolicName());
        assertTrue(QuiverFileSystem.supportedSchemes().contains("file"));
        for (Compression c : Compression.values()) {
            assertEquals(c + " available in OSGi", null, c.unavailableReason());
        }
    }

    @Test
    public void fileUrisOpenThroughTheRegistryAndEveryCodecWorks() throws Exception {
        await(() -> context().getServiceReference(QuiverFileSystemProvider.class) != null, "the file: provider");
        Path dir = scratch();
        URI base = dir.toUri();
        QuiverFileSystem fs = QuiverFileSystem.fromUri(base);
        assertEquals("file", fs.scheme());
        fs.createDirectory(base + "sub", false);
        byte[] data = pattern(300_000, 11);
        for (Compression c : Compression.values()) {
            String name = "sub/data" + (c == Compression.NONE ? ".bin" : c.extensions().get(0));
            try (SequentialOutput out = NativeFiles.openOutput(base + name)) {
                out.write(data);
            }
            try (SequentialInput in = NativeFiles.openInput(base.resolve(name))) {
                assertArrayEquals(c + " through a file: URI", data, in.readAll());
            }
        }
        List<FileInfo> listed = fs.list(FileSelector.recursive(base.toString()));
        assertEquals(listed.toString(), 8, listed.size()); // sub and its seven files
        try (OSFile f = OSFile.open(dir.resolve("sub/data.bin"), FileMode.READ);
                Buffer b = f.readBufferAt(1000, 10, MemoryPool.defaultPool())) {
            assertEquals(data[1005], b.getByte(5));
        }
        try (MemoryMappedFile m = MemoryMappedFile.open(dir.resolve("sub/data.bin"), FileMode.READ);
                Buffer b = m.readBufferAt(2000, 10)) {
            assertEquals(data[2003], b.getByte(3));
        }
        fs.deleteDirectory(base + "sub");
        assertFalse(Files.exists(dir.resolve("sub")));
    }

    @Test
    public void theRegistryFollowsTheIoNativeBundle() throws Exception {
        Bundle ioNative = installed(IO_NATIVE_BSN);
        Path dir = scratch();
        Path file = Files.write(dir.resolve("kept.bin"), pattern(10_000, 3));
        MemoryMappedFile map = MemoryMappedFile.open(file, FileMode.READ);
        Buffer view = map.readBufferAt(0, 100);
        ioNative.stop();
        try {
            IllegalArgumentException gone = assertThrows(IllegalArgumentException.class,
                    () -> QuiverFileSystem.fromUri(dir.toUri()));
            assertTrue(gone.getMessage(), gone.getMessage().contains("'file'"));
            IllegalStateException none = assertThrows(IllegalStateException.class,
                    () -> OSFile.open(file, FileMode.READ));
            assertTrue(none.getMessage(), none.getMessage().contains("org.quiver.io.nativeio"));
            assertEquals("a mapping made before the stop stays valid", pattern(10_000, 3)[42], view.getByte(42));
        } finally {
            ioNative.start();
        }
        view.close();
        map.close();
        await(() -> context().getServiceReference(QuiverFileSystemProvider.class) != null, "the file: provider again");
        assertNotNull(QuiverFileSystem.fromUri(dir.toUri()));
        try (SequentialInput in = NativeFiles.openInput(file)) {
            assertArrayEquals(pattern(10_000, 3), in.readAll());
        }
    }
}
