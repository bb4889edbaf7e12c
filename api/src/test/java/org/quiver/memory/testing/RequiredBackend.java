package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.fail;

import org.junit.jupiter.api.Assumptions;
import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;

/**
 * Tests that need a backend call {@link #require}: on a developer machine without it (mimalloc not installed)
 * they are skipped with the reason; in CI ({@code CI=true}) every backend must be there, so they fail.
 */
public final class RequiredBackend {

    private RequiredBackend() {
    }

    /** Fails (CI) or skips (elsewhere) the calling test when {@code backend} cannot allocate here. */
    public static void require(String backend) {
        MemoryBackend b = MemoryPool.supportedBackends().stream().filter(x -> x.name().equals(backend)).findFirst()
                .orElse(null);
        String reason = b == null ? "not installed" : b.available() ? null : b.unavailableReason();
        if (reason == null) {
            return;
        }
        String message = "memory pool backend '" + backend + "' is unavailable: " + reason;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: every backend must be available; .ci/run installs them)");
        }
        Assumptions.abort(message);
    }

    /** Like {@link #require}, for a file a test needs (a library from an operating-system package). */
    public static void requireFile(java.nio.file.Path file, String debianPackage) {
        if (java.nio.file.Files.isRegularFile(file)) {
            return;
        }
        String message = file + " is missing: install the Debian package " + debianPackage;
        if ("true".equalsIgnoreCase(System.getenv("CI"))) {
            fail(message + " (CI=true: .ci/run installs it)");
        }
        Assumptions.abort(message);
    }
}
