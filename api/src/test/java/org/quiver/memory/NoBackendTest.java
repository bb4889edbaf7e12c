package org.quiver.memory;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.util.List;

import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.quiver.io.BufferInput;

/**
 * The API alone, with no allocator backend installed: wrapped memory works, and asking for a pool says what to
 * install instead of failing obscurely.
 */
@Tag("no-backend") // runs in a JVM of its own, where no backend is installed: see api/pom.xml
class NoBackendTest {

    @Test
    void everyKnownBackendIsListedWithWhatToInstall() {
        List<MemoryBackend> backends = MemoryPool.supportedBackends();
        assertEquals(List.of("mimalloc", "jemalloc", "system"), backends.stream().map(MemoryBackend::name).toList());
        for (MemoryBackend b : backends) {
            assertFalse(b.available());
            assertFalse(b.installed());
            assertTrue(b.unavailableReason().contains("org.quiver.pool." + b.name()), b.unavailableReason());
        }
    }

    @Test
    void allocatingSaysWhatToInstall() {
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> MemoryPool.defaultPool().allocate(1));
        assertTrue(e.getMessage().contains("org.quiver.pool.system"), e.getMessage());
        IllegalArgumentException p = assertThrows(IllegalArgumentException.class, () -> MemoryPool.pool("jemalloc"));
        assertTrue(p.getMessage().contains("not installed"), p.getMessage());
        assertEquals(0, MemoryPool.bytesAllocatedInAllPools());
    }

    @Test
    void wrappedMemoryNeedsNoBackend() throws IOException {
        byte[] bytes = "zero copy".getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        try (Buffer b = Buffer.wrap(bytes); Buffer s = b.slice(5, 4); BufferInput r = new BufferInput(b)) {
            assertArrayEquals("copy".getBytes(java.nio.charset.StandardCharsets.US_ASCII), s.toByteArray());
            bytes[5] = 'C';
            assertEquals('C', s.getByte(0), "the array is not copied");
            assertEquals(9, r.size());
            assertThrows(UnsupportedOperationException.class, b::address, "heap memory has no stable address");
        }
    }
}
