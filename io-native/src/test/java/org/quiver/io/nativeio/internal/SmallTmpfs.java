package org.quiver.io.nativeio.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.FileOutputStream;
import java.io.IOException;
import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;
import java.lang.invoke.MethodHandle;
import java.nio.file.Files;
import java.nio.file.Path;

import org.junit.jupiter.api.Assumptions;
import org.quiver.internal.kit.Libc;

/**
 * A tmpfs of a few pages mounted on a folder (of a test's {@code @TempDir}), for a real {@code ENOSPC} without
 * filling a disk: {@code mount(2)} needs root (or {@code CAP_SYS_ADMIN}). Where it cannot be mounted the test is
 * skipped, except on CI ({@code CI=true}), where it fails. {@link #close()} unmounts it, lazily when something
 * still holds it, so a failed test leaves no mount behind.
 */
final class SmallTmpfs implements AutoCloseable {

    private static final int MNT_DETACH = 2;
    private static final Linker LINKER = Linker.nativeLinker();
    private static final MethodHandle MOUNT = LINKER.downcallHandle(LINKER.defaultLookup().find("mount").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.ADDRESS, ValueLayout.ADDRESS,
                    ValueLayout.JAVA_LONG, ValueLayout.ADDRESS),
            Linker.Option.captureCallState("errno"));
    private static final MethodHandle UMOUNT2 = LINKER.downcallHandle(
            LINKER.defaultLookup().find("umount2").orElseThrow(),
            FunctionDescriptor.of(ValueLayout.JAVA_INT, ValueLayout.ADDRESS, ValueLayout.JAVA_INT),
            Linker.Option.captureCallState("errno"));

    /** Where it is mounted. */
    final Path dir;
    private boolean mounted;

    private SmallTmpfs(Path dir) {
        this.dir = dir;
    }

    /** Mounts a tmpfs of {@code bytes} (whole pages) on {@code dir}, which is created. */
    static SmallTmpfs mount(Path dir, long bytes) throws IOException {
        Files.createDirectories(dir);
        SmallTmpfs fs = new SmallTmpfs(dir);
        int errno;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            int rc = (int) MOUNT.invokeExact(state, arena.allocateFrom("quiver-test"),
                    arena.allocateFrom(dir.toString()), arena.allocateFrom("tmpfs"), 0L,
                    arena.allocateFrom("size=" + bytes + ",mode=0700"));
            errno = rc == 0 ? 0 : errno(state);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
        String why = "cannot mount a tmpfs on " + dir + ": " + Libc.strerror(errno) + " (errno " + errno
                + "); mount(2) needs root or CAP_SYS_ADMIN";
        if (errno != 0 && !"true".equalsIgnoreCase(System.getenv("CI"))) {
            Assumptions.abort(why);
        }
        assertEquals(0, errno, why);
        fs.mounted = true;
        return fs;
    }

    private static int errno(MemorySegment state) {
        return state.get(ValueLayout.JAVA_INT, Linker.Option.captureStateLayout().byteOffset(
                java.lang.foreign.MemoryLayout.PathElement.groupElement("errno")));
    }

    /** Fills the file system with {@code name} until a write fails with {@code ENOSPC}. */
    Path fill(String name) throws IOException {
        Path filler = dir.resolve(name);
        try (FileOutputStream out = new FileOutputStream(filler.toFile())) {
            byte[] page = new byte[4096];
            while (true) {
                out.write(page);
            }
        } catch (IOException full) {
            if (!String.valueOf(full.getMessage()).contains("No space left")) {
                throw full;
            }
        }
        assertEquals(0, Files.getFileStore(dir).getUsableSpace(), "the tmpfs is full");
        return filler;
    }

    @Override
    public void close() {
        if (!mounted) {
            return;
        }
        mounted = false;
        try (Arena arena = Arena.ofConfined()) {
            MemorySegment state = arena.allocate(Linker.Option.captureStateLayout());
            MemorySegment target = arena.allocateFrom(dir.toString());
            if ((int) UMOUNT2.invokeExact(state, target, 0) != 0) {
                int errno = errno(state);
                // still held (a file or a map left open by a failed test): detach it now, the kernel frees it later
                int detached = (int) UMOUNT2.invokeExact(state, target, MNT_DETACH);
                throw new AssertionError("unmount " + dir + ": " + Libc.strerror(errno) + " (errno " + errno + ")"
                        + (detached == 0 ? "; detached lazily" : "; not even detached: errno " + errno(state)));
            }
        } catch (Throwable t) {
            if (t instanceof AssertionError a) {
                throw a;
            }
            throw new IllegalStateException(t);
        }
    }
}
