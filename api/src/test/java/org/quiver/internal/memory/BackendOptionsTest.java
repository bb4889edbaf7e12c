package org.quiver.internal.memory;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.quiver.memory.MemoryPool;

/** A backend that has no options (the allocator SPI's default) refuses each, naming the option and the backend. */
class BackendOptionsTest {

    @Test
    void aBackendWithoutOptionsRefusesToSetOneNamingBoth() {
        MemoryPool backend = MemoryPool.pool("libc");
        assertTrue(backend.backendOptions().isEmpty());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> backend.setBackendOption("dirty_decay_ms", "0"));
        assertTrue(e.getMessage().contains("'libc'") && e.getMessage().contains("dirty_decay_ms"), e.getMessage());
        assertThrows(NullPointerException.class, () -> backend.setBackendOption(null, "0"));
    }
}
