package org.quiver.internal.memory;

import java.lang.foreign.Arena;
import java.lang.foreign.MemorySegment;

/**
 * The API's only restricted FFM calls: turning an allocator's address into a segment. Gathered here so that a
 * JVM without native access for this module fails with a message that says what to add.
 */
final class NativeMemory {

    private static final String HOW_TO_ENABLE = "Quiver needs native access for the module org.quiver.api: add "
            + "--enable-native-access=org.quiver.api on the module path, --enable-native-access=ALL-UNNAMED on the "
            + "class path or in OSGi (or the manifest attribute Enable-Native-Access: ALL-UNNAMED in the launcher jar)";

    /** All of the address space, so a buffer's segment is one cheap {@code asSlice} away from its address. */
    private static final MemorySegment EVERYTHING;

    /** Where zero-size buffers of alignment 64 or less point: a 64-byte aligned, never written, never freed block. */
    private static final long ZERO_SIZE_AREA;

    static {
        try {
            EVERYTHING = MemorySegment.NULL.reinterpret(Long.MAX_VALUE);
        } catch (IllegalCallerException e) {
            throw new IllegalCallerException(HOW_TO_ENABLE, e);
        }
        ZERO_SIZE_AREA = Arena.global().allocate(64, 64).address();
    }

    private NativeMemory() {
    }

    /**
     * Where a zero-size buffer of {@code alignment} points: the zero-size area, or for larger alignments the
     * first multiple of the alignment after it. A zero-size buffer is never read or written, so the address only
     * has to be stable and aligned, as every buffer's address is.
     */
    static long zeroSizeArea(long alignment) {
        return (ZERO_SIZE_AREA + alignment - 1) & -alignment;
    }

    /** The segment of {@code size} bytes at {@code address}, with the global scope. */
    static MemorySegment at(long address, long size) {
        return EVERYTHING.asSlice(address, size);
    }

    /** All of the address space, alive as long as {@code arena}: a guard's segments are slices of it. */
    static MemorySegment everything(Arena arena) {
        try {
            return MemorySegment.NULL.reinterpret(Long.MAX_VALUE, arena, null);
        } catch (IllegalCallerException e) {
            throw new IllegalCallerException(HOW_TO_ENABLE, e);
        }
    }

    /** The segment of {@code size} bytes at {@code address}, alive as long as {@code arena}. */
    static MemorySegment scoped(long address, long size, Arena arena, Runnable onClose) {
        try {
            return MemorySegment.ofAddress(address).reinterpret(size, arena, ignored -> onClose.run());
        } catch (IllegalCallerException e) {
            throw new IllegalCallerException(HOW_TO_ENABLE, e);
        }
    }
}
