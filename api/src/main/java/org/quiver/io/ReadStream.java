package org.quiver.io;

import org.quiver.internal.kit.FileState;

/**
 * What the read-only, non-seekable streams over another file share ({@link RangeInput}, {@link TranscodingInput}):
 * the mode, the capabilities and the closed state.
 */
abstract class ReadStream implements SequentialInput {

    final FileState state = new FileState();

    @Override
    public final FileMode mode() {
        state.checkOpen();
        return FileMode.READ;
    }

    @Override
    public final boolean isClosed() {
        return state.isClosed();
    }

    @Override
    public final boolean isReadable() {
        state.checkOpen();
        return true;
    }

    @Override
    public final boolean isWritable() {
        state.checkOpen();
        return false;
    }

    /** A stream, as pyarrow's {@code get_stream} and {@code transcoding_input_stream} give: not seekable. */
    @Override
    public final boolean isSeekable() {
        state.checkOpen();
        return false;
    }
}
