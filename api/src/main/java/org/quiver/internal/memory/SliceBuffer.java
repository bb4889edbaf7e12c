package org.quiver.internal.memory;

import org.quiver.memory.Buffer;

/** A zero-copy view of part of another buffer; holds one reference to the root's memory. */
final class SliceBuffer extends AbstractBuffer {

    private final AbstractBuffer root;
    private final Buffer parent;

    SliceBuffer(AbstractBuffer parent, long offset, long length, boolean mutable) {
        super(parent.segment.asSlice(offset, length), mutable);
        this.parent = parent;
        this.root = parent.root();
        root.retain();
    }

    @Override
    AbstractBuffer root() {
        return root;
    }

    @Override
    void free() {
        throw new AssertionError("a slice owns no memory");
    }

    @Override
    public Buffer parent() {
        return parent;
    }
}
