package org.quiver.internal.memory;

import java.lang.foreign.MemorySegment;
import java.nio.ByteBuffer;
import java.util.Objects;

import org.quiver.memory.Buffer;
import org.quiver.internal.kit.Checks;

/**
 * A buffer over memory the caller owns (an array, a byte buffer, a segment): zero-copy, and closing it frees
 * nothing. It keeps the owner reachable while open.
 */
public final class WrappedBuffer extends AbstractBuffer {

    private Object owner;
    private final Runnable release;

    private WrappedBuffer(MemorySegment segment, boolean mutable, Object owner) {
        this(segment, mutable, owner, null);
    }

    private WrappedBuffer(MemorySegment segment, boolean mutable, Object owner, Runnable release) {
        super(segment, mutable);
        this.owner = owner;
        this.release = release;
    }

    public static Buffer ofArray(byte[] bytes, int offset, int length) {
        Objects.requireNonNull(bytes, "bytes");
        Checks.checkRange(offset, length, bytes.length);
        return new WrappedBuffer(MemorySegment.ofArray(bytes).asSlice(offset, length), true, bytes);
    }

    public static Buffer ofByteBuffer(ByteBuffer byteBuffer) {
        Objects.requireNonNull(byteBuffer, "byteBuffer");
        return new WrappedBuffer(MemorySegment.ofBuffer(byteBuffer), !byteBuffer.isReadOnly(), byteBuffer);
    }

    public static Buffer ofSegment(MemorySegment segment) {
        checkAlive(segment);
        return new WrappedBuffer(segment, !segment.isReadOnly(), segment);
    }

    public static Buffer ofSegment(MemorySegment segment, Runnable release) {
        Objects.requireNonNull(release, "release");
        checkAlive(segment);
        return new WrappedBuffer(segment, !segment.isReadOnly(), segment, release);
    }

    /** A segment whose arena is closed is refused at the call, not at the first access. */
    private static void checkAlive(MemorySegment segment) {
        Objects.requireNonNull(segment, "segment");
        if (!segment.scope().isAlive()) {
            throw new IllegalStateException("cannot wrap a segment whose arena is already closed: segment="
                    + segment);
        }
    }

    @Override
    AbstractBuffer root() {
        return this;
    }

    /** Native memory of an arena that can close (not the global one): the JDK guards it. */
    @Override
    boolean guardedMemory() {
        return segment.isNative() && !segment.scope().equals(MemorySegment.NULL.scope());
    }

    @Override
    void free() {
        owner = null;
        if (release != null) {
            release.run();
        }
    }
}
