package org.quiver.itests.app;

import java.util.Arrays;

import org.quiver.memory.MemoryBackend;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Prints {@code key=value} lines that ModulePathIT checks; exits 1 if something it checks itself is wrong.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) {
        Module api = MemoryPool.class.getModule();
        System.out.println("app.module=" + Main.class.getModule().getName());
        System.out.println("api.module=" + api.getName());
        System.out.println("pool.system.module=" + ModuleLayer.boot().findModule("org.quiver.pool.system")
                .map(Module::getName).orElse("absent"));
        System.out.println("class.path=" + System.getProperty("java.class.path", ""));
        System.out.println("api.native.access=" + api.isNativeAccessEnabled());

        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            System.out.println("backend." + b.name() + "=available:" + b.available() + ",default:" + b.isDefault()
                    + ",ranking:" + b.ranking() + (b.available() ? "" : ",reason:" + b.unavailableReason()));
        }

        MemoryPool pool = MemoryPool.defaultPool();
        System.out.println("default.backend=" + pool.backendName());
        long before = pool.bytesAllocated();
        long totalBefore = MemoryPool.totalAllocatedBytes();
        byte[] written = new byte[1000];
        for (int i = 0; i < written.length; i++) {
            written[i] = (byte) (i * 13 + 1);
        }
        boolean same;
        try (ResizableBuffer buffer = pool.allocate(written.length)) {
            System.out.println("buffer.capacity=" + buffer.capacity());
            System.out.println("buffer.aligned64=" + (buffer.address() % 64 == 0));
            System.out.println("allocated.delta=" + (pool.bytesAllocated() - before));
            buffer.put(0, written, 0, written.length);
            buffer.setLong(992, 0x1122334455667788L);
            byte[] read = buffer.toByteArray();
            same = Arrays.equals(Arrays.copyOf(written, 992), Arrays.copyOf(read, 992))
                    && buffer.getLong(992) == 0x1122334455667788L;
            buffer.resize(1 << 21); // the mmap path of the system allocator
            same &= buffer.getLong(992) == 0x1122334455667788L && buffer.getByte(5) == written[5];
        }
        System.out.println("readback=" + (same ? "ok" : "MISMATCH"));
        for (MemoryBackend b : MemoryPool.supportedBackends()) {
            if (b.available()) {
                MemoryPool named = MemoryPool.pool(b.name());
                boolean ok;
                try (ResizableBuffer buffer = named.allocate(100)) {
                    buffer.setLong(64, 42L);
                    buffer.resize(1 << 20);
                    ok = buffer.getLong(64) == 42L && buffer.address() % 64 == 0;
                }
                same &= ok;
                System.out.println("pool." + b.name() + "=" + (ok ? "ok" : "MISMATCH") + ",outstanding:"
                        + named.bytesAllocated());
            }
        }
        System.out.println("allocated.after.close=" + (pool.bytesAllocated() - before));
        System.out.println("total.after.close=" + (MemoryPool.totalAllocatedBytes() - totalBefore));
        System.out.println("done");
        if (!same) {
            System.exit(1);
        }
    }
}
