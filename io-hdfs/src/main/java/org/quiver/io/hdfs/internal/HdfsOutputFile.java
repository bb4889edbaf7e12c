package org.quiver.io.hdfs.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.ValueLayout;

import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.Path;
import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.SequentialOutput;
import org.quiver.memory.Buffer;

/**
 * An HDFS file open for writing (created or truncated) or appending. {@link #flush()} is Hadoop's
 * {@code hflush}: what was written is visible to new readers. {@link #close()} completes the file; only then
 * does the NameNode know its final length.
 */
final class HdfsOutputFile extends HdfsFile implements SequentialOutput {

    /** Native memory goes through this much heap at a time (the client takes arrays). */
    private static final int CHUNK = 64 << 10;

    private final FSDataOutputStream out;
    private byte[] chunk;

    private HdfsOutputFile(Connection connection, String path, FileMode mode, FSDataOutputStream out) {
        super(connection, path, mode, out);
        this.out = out;
    }

    /** Creates or truncates {@code path} (and its missing parents, as HDFS does). */
    static HdfsOutputFile create(Connection connection, String path) throws IOException {
        return withReference(connection, () -> new HdfsOutputFile(connection, path, FileMode.WRITE,
                connection.update("open for writing", path, dfs -> dfs.create(new Path(null, null, path), true))));
    }

    /** Opens {@code path} for appending, creating it when missing. */
    static HdfsOutputFile append(Connection connection, String path) throws IOException {
        Path p = new Path(null, null, path);
        Connection.Call<FSDataOutputStream> appendOrCreate = dfs -> {
            try {
                return dfs.append(p);
            } catch (FileNotFoundException missing) {
                try {
                    return dfs.create(p, false);
                } catch (org.apache.hadoop.fs.FileAlreadyExistsException raced) {
                    return dfs.append(p);
                }
            }
        };
        return withReference(connection, () -> new HdfsOutputFile(connection, path, FileMode.APPEND,
                connection.update("open for appending", path, appendOrCreate)));
    }

    /** The client's stream (tests). */
    FSDataOutputStream stream() {
        return out;
    }

    @Override
    public boolean isReadable() {
        requireOpen();
        return false;
    }

    @Override
    public boolean isWritable() {
        requireOpen();
        return true;
    }

    @Override
    public boolean isSeekable() {
        requireOpen();
        return false;
    }

    @Override
    public long tell() throws IOException {
        requireOpen();
        return connection.io("tell", path, dfs -> out.getPos());
    }

    @Override
    public void write(byte[] src, int offset, int length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        requireOpen();
        connection.io("write", path, dfs -> {
            out.write(src, offset, length);
            return null;
        });
    }

    @Override
    public synchronized void write(Buffer src, long offset, long length) throws IOException {
        Checks.checkRange(src, "src", offset, length);
        requireOpen();
        MemorySegment from = src.asSegment();
        if (chunk == null) {
            chunk = new byte[CHUNK];
        }
        connection.io("write", path, dfs -> {
            for (long done = 0; done < length; ) {
                int n = (int) Math.min(length - done, chunk.length);
                MemorySegment.copy(from, ValueLayout.JAVA_BYTE, offset + done, chunk, 0, n);
                out.write(chunk, 0, n);
                done += n;
            }
            return null;
        });
    }

    @Override
    public void flush() throws IOException {
        requireOpen();
        connection.io("flush", path, dfs -> {
            out.hflush();
            return null;
        });
    }
}
