package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.util.Random;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.quiver.memory.MemoryPool;

/**
 * What the OS-file tests share: a temporary folder per test, reproducible data, and a check after each test (after
 * the subclass's own clean-up) that the default pool holds no more bytes than before it.
 */
abstract class OsFileTestBase {

    @TempDir
    Path dir;

    private long startBytes;

    @BeforeEach
    final void rememberPoolBytes() {
        startBytes = MemoryPool.defaultPool().bytesAllocated();
    }

    @AfterEach
    final void nothingOutstanding() {
        assertEquals(startBytes, MemoryPool.defaultPool().bytesAllocated(), "bytes left allocated");
    }

    /** {@code n} pseudo-random bytes, the same for the same {@code n}. */
    static byte[] random(int n) {
        byte[] b = new byte[n];
        new Random(n).nextBytes(b);
        return b;
    }
}
