package org.quiver.memory;

import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.quiver.internal.memory.DebugPool;

/**
 * A child JVM's work for {@code DebugPoolTest}: writes past the end of a buffer through its raw address (as native
 * code or a segment reinterpreted wider would), then frees or resizes it, and prints what happened.
 */
public final class DebugPoolProbe {

    private DebugPoolProbe() {
    }

    public static void main(String[] args) {
        MemoryPool pool = MemoryPool.defaultPool();
        System.out.println("mode=" + DebugPool.MODE);
        switch (args[0]) {
            case "free" -> {
                ResizableBuffer b = pool.allocate(100);
                overflow(b, 3);
                try {
                    b.close();
                    System.out.println("closed without an exception");
                } catch (MemoryCorruptionException e) {
                    System.out.println("trapped: " + e.getMessage());
                    System.out.println("cause: " + e.getCause());
                }
                System.out.println("after close: bytes=" + pool.bytesAllocated());
            }
            case "resize" -> {
                ResizableBuffer b = pool.allocate(100);
                b.setByte(99, (byte) 7);
                overflow(b, 0);
                try {
                    b.resize(5000, false);
                    System.out.println("resized without an exception: size=" + b.size());
                } catch (MemoryCorruptionException e) {
                    System.out.println("trapped: " + e.getMessage());
                    System.out.println("unchanged: size=" + b.size() + " last=" + b.getByte(99));
                }
                b.close();
                System.out.println("closed again: bytes=" + pool.bytesAllocated());
            }
            case "clean" -> {
                // the normal semantics under the debug pool: data kept, growth within the capacity zeroed
                ResizableBuffer b = pool.allocate(10);
                for (int i = 0; i < 10; i++) {
                    b.setByte(i, (byte) (i + 1));
                }
                b.resize(40, false);
                boolean zeroed = true;
                for (int i = 10; i < 40; i++) {
                    zeroed &= b.getByte(i) == 0;
                }
                b.reserve(10_000);
                b.resize(9_000, false);
                b.resize(3, true);
                System.out.println("kept=" + (b.getByte(0) == 1 && b.getByte(2) == 3) + " zeroed=" + zeroed
                        + " capacity=" + b.capacity());
                b.close();
                pool.allocate(0).close();
                System.out.println("clean: bytes=" + pool.bytesAllocated());
            }
            default -> throw new IllegalArgumentException(args[0]);
        }
    }

    /** Writes 0x41 {@code past} bytes after the end, through the address. */
    private static void overflow(ResizableBuffer b, int past) {
        MemorySegment.ofAddress(b.asSegment().address()).reinterpret(b.size() + past + 1)
                .set(ValueLayout.JAVA_BYTE, b.size() + past, (byte) 0x41);
    }
}
