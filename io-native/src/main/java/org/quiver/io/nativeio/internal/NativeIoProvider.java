package org.quiver.io.nativeio.internal;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.channels.SeekableByteChannel;
import java.nio.file.Path;
import java.io.UncheckedIOException;
import java.util.Set;

import org.osgi.service.component.annotations.Component;
import org.quiver.io.BufferedSequentialInput;
import org.quiver.io.BufferedSequentialOutput;
import org.quiver.io.Compression;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialInput;
import org.quiver.io.MemoryMappedFile;
import org.quiver.io.OSFile;
import org.quiver.io.SequentialOutput;
import org.quiver.io.ReadWriteFile;
import org.quiver.io.spi.NativeIo;

/** The local IO backend: OS files and memory maps through FFM, buffers, codecs and the Java wrappers. */
@Component(service = NativeIo.class, property = "service.ranking:Integer=0")
public final class NativeIoProvider implements NativeIo {

    @Override
    public String name() {
        return "nativeio";
    }

    @Override
    public OSFile openFile(Path path, FileMode mode) throws IOException {
        return OsFileImpl.open(path, mode);
    }

    @Override
    public OSFile openFile(Path path, FileMode mode, Set<OSFile.Option> options) throws IOException {
        return OsFileImpl.open(path, mode, options);
    }

    @Override
    public OSFile openDescriptor(int descriptor, FileMode mode) throws IOException {
        return OsFileImpl.ofDescriptor(descriptor, mode);
    }

    @Override
    public MemoryMappedFile map(Path path, FileMode mode, long offset, long length) throws IOException {
        return MappedFileImpl.open(path, mode, offset, length);
    }

    @Override
    public MemoryMappedFile createMap(Path path, long size) throws IOException {
        return MappedFileImpl.create(path, size);
    }

    @Override
    public BufferedSequentialInput bufferedInput(SequentialInput raw, int bufferSize) {
        try {
            return new BufferedInput(raw, bufferSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public BufferedSequentialOutput bufferedOutput(SequentialOutput raw, int bufferSize) {
        try {
            return new BufferedOutput(raw, bufferSize);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public SequentialInput decompressing(SequentialInput raw, Compression compression) {
        String reason = Codecs.unavailableReason(compression);
        if (reason != null) {
            throw new IllegalStateException(reason);
        }
        return new CompressedInput(raw, compression);
    }

    @Override
    public SequentialOutput compressing(SequentialOutput raw, Compression compression, int level) throws IOException {
        return new CompressedOutput(raw, compression, level);
    }

    @Override
    public String codecUnavailableReason(Compression compression) {
        return Codecs.unavailableReason(compression);
    }

    @Override
    public SequentialInput wrap(InputStream in) {
        return new JavaInput(in);
    }

    @Override
    public SequentialOutput wrap(OutputStream out) {
        return new JavaOutput(out);
    }

    @Override
    public ReadWriteFile wrap(SeekableByteChannel channel) {
        return new ChannelFile(channel);
    }
}
