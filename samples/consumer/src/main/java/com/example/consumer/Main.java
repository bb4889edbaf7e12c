package com.example.consumer;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.quiver.io.NativeFiles;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * Allocates from the default pool, writes a zstd file through the native IO backend, reads it back, and checks
 * that every byte came back and every byte of memory was returned. Exits 1 with the reason otherwise.
 */
public final class Main {

    private Main() {
    }

    public static void main(String[] args) throws Exception {
        String where = args.length > 0 ? args[0] : "?";
        MemoryPool pool = MemoryPool.defaultPool();
        byte[] text = "Quiver from Maven\n".repeat(1000).getBytes(StandardCharsets.UTF_8);
        Path dir = Files.createTempDirectory("quiver-consumer-");
        Path file = dir.resolve("sample.txt.zst");
        try {
            try (ResizableBuffer buffer = pool.allocate(text.length)) {
                buffer.put(0, text, 0, text.length);
                try (SequentialOutput out = NativeFiles.openOutput(file)) {
                    out.write(buffer);
                }
            }
            byte[] back;
            try (SequentialInput in = NativeFiles.openInput(file)) {
                back = in.asInputStream().readAllBytes();
            }
            if (!java.util.Arrays.equals(text, back)) {
                fail(where + ": read back " + back.length + " bytes, not the " + text.length + " written");
            }
            if (MemoryPool.bytesAllocatedInAllPools() != 0) {
                fail(where + ": " + MemoryPool.bytesAllocatedInAllPools() + " bytes still allocated");
            }
            System.out.println("quiver consumer on the " + where + ": pool " + pool.backendName() + ", module "
                    + MemoryPool.class.getModule().getName() + ", " + Files.size(file) + " bytes of zstd for "
                    + text.length + ": ok");
        } finally {
            Files.deleteIfExists(file);
            Files.deleteIfExists(dir);
        }
    }

    private static void fail(String why) {
        System.err.println("quiver consumer: " + why);
        System.exit(1);
    }
}
