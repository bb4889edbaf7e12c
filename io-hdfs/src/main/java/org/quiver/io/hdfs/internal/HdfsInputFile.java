package org.quiver.io.hdfs.internal;

import java.io.EOFException;
import java.io.IOException;
import java.lang.foreign.MemorySegment;
import java.time.Instant;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Objects;

import org.apache.hadoop.fs.FSDataInputStream;
import org.apache.hadoop.fs.FileStatus;
import org.apache.hadoop.fs.Path;
import org.apache.hadoop.hdfs.client.HdfsDataInputStream;
import org.quiver.internal.kit.Checks;
import org.quiver.io.FileMode;
import org.quiver.io.RandomAccessInput;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;
import org.quiver.memory.ResizableBuffer;

/**
 * An HDFS file open for reading. Reads go straight into the caller's memory through the client's
 * {@code ByteBuffer} paths ({@code read(ByteBuffer)} sequentially, {@code read(long, ByteBuffer)} positionally):
 * a pool buffer is viewed as a direct {@code ByteBuffer}, with no array in between. Positional reads neither use
 * nor move the position and run in parallel (the client's {@code pread}); a DataNode that dies mid-read is left
 * for another replica by the client, and a read that needs the NameNode while it restarts waits for it up to
 * {@code connect_timeout} ({@link Connection#read}).
 *
 * <p>The size is the visible length when the file was opened (for a file still being written: what its writer
 * has flushed by then).
 */
final class HdfsInputFile extends HdfsFile implements RandomAccessInput {

    /** The largest single read the client takes ({@code ByteBuffer}s are int-indexed). */
    private static final int MAX_READ = 1 << 30;

    private final FSDataInputStream in;
    private final long size;

    private HdfsInputFile(Connection connection, String path, FSDataInputStream in, long size) {
        super(connection, path, FileMode.READ, in);
        this.in = in;
        this.size = size;
    }

    static HdfsInputFile open(Connection connection, String path) throws IOException {
        return withReference(connection, () -> {
            FSDataInputStream in = connection.query("open for reading", path,
                    dfs -> dfs.open(new Path(null, null, path)));
            long size = in instanceof HdfsDataInputStream h ? h.getVisibleLength()
                    : connection.query("open for reading", path, dfs -> dfs.getFileStatus(new Path(null, null, path)).getLen());
            return new HdfsInputFile(connection, path, in, size);
        });
    }

    @Override
    String details() {
        return ", size=" + size;
    }

    /** The client's stream (tests). */
    FSDataInputStream stream() {
        return in;
    }

    @Override
    public boolean isReadable() {
        requireOpen();
        return true;
    }

    @Override
    public boolean isWritable() {
        requireOpen();
        return false;
    }

    @Override
    public boolean isSeekable() {
        requireOpen();
        return true;
    }

    /**
     * The file's status, asked of the NameNode at the call: size (the current length, which may have grown
     * since the open), times, owner, group, permissions, and HDFS's own replication, block size, erasure coding
     * and encryption.
     */
    @Override
    public Map<String, String> metadata() throws IOException {
        requireOpen();
        FileStatus status = connection.query("metadata", path, dfs -> dfs.getFileStatus(new Path(null, null, path)));
        Map<String, String> m = new LinkedHashMap<>();
        m.put("size", Long.toString(status.getLen()));
        m.put("mtime", Instant.ofEpochMilli(status.getModificationTime()).toString());
        m.put("atime", Instant.ofEpochMilli(status.getAccessTime()).toString());
        m.put("owner", status.getOwner());
        m.put("group", status.getGroup());
        m.put("permissions", status.getPermission().toString());
        m.put("replication", Short.toString(status.getReplication()));
        m.put("block_size", Long.toString(status.getBlockSize()));
        m.put("erasure_coded", Boolean.toString(status.isErasureCoded()));
        m.put("encrypted", Boolean.toString(status.isEncrypted()));
        return Collections.unmodifiableMap(m);
    }

    @Override
    public long size() {
        requireOpen();
        return size;
    }

    @Override
    public long tell() throws IOException {
        requireOpen();
        return connection.io("tell", path, dfs -> in.getPos());
    }

    @Override
    public void seek(long position) throws IOException {
        Checks.checkPosition(position);
        requireOpen();
        if (position > size) {
            throw Checks.beyondEnd(path, "seek", position, size);
        }
        connection.io("seek", path, dfs -> {
            in.seek(position);
            return null;
        });
    }

    // ---- sequential -----------------------------------------------------------------------------------------

    @Override
    public int read(byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        requireOpen();
        if (length == 0) {
            return 0;
        }
        return connection.read("read", path, dfs -> in.read(dst, offset, length));
    }

    @Override
    public long read(Buffer dst, long offset, long length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        requireOpen();
        if (!dst.isMutable()) {
            throw new UnsupportedOperationException("read into a read-only buffer: size=" + dst.size());
        }
        if (length == 0) {
            return 0;
        }
        MemorySegment target = dst.asSegment().asSlice(offset, Math.min(length, MAX_READ));
        return connection.read("read", path, dfs -> in.read(target.asByteBuffer()));
    }

    @Override
    public Buffer readBuffer(long length, MemoryPool pool) throws IOException {
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        requireOpen();
        long n = Math.max(0, Math.min(length, size - connection.io("readBuffer", path, dfs -> in.getPos())));
        ResizableBuffer buffer = pool.allocate(n);
        try {
            long done = 0;
            while (done < n) {
                // one read at a time, each repeatable on its own: what earlier ones read is in the buffer
                MemorySegment rest = buffer.asSegment().asSlice(done, Math.min(n - done, MAX_READ));
                int r = connection.read("readBuffer", path, dfs -> in.read(rest.asByteBuffer()));
                if (r < 0) {
                    break;
                }
                done += r;
            }
            if (done < n) {
                buffer.resize(done, true);
            }
            return buffer;
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }

    // ---- positional -----------------------------------------------------------------------------------------

    @Override
    public int readAt(long position, byte[] dst, int offset, int length) throws IOException {
        Checks.checkRange(dst, "dst", offset, length);
        Checks.checkPosition(position);
        requireOpen();
        if (position > size) {
            throw Checks.beyondEnd(path, "readAt", position, size);
        }
        if (position == size) {
            return length == 0 ? 0 : -1;
        }
        int n = (int) Math.min(length, size - position);
        if (n == 0) {
            return 0;
        }
        return connection.read("readAt", path, dfs -> in.read(position, dst, offset, n));
    }

    @Override
    public Buffer readBufferAt(long position, long length, MemoryPool pool) throws IOException {
        Checks.checkPosition(position);
        Checks.checkLength(length);
        Objects.requireNonNull(pool, "pool");
        requireOpen();
        if (position > size) {
            throw Checks.beyondEnd(path, "readBufferAt", position, size);
        }
        long n = Math.min(length, size - position);
        ResizableBuffer buffer = pool.allocate(n);
        try {
            MemorySegment memory = buffer.asSegment();
            connection.read("readBufferAt", path, dfs -> {
                for (long done = 0; done < n; ) {
                    int chunk = (int) Math.min(n - done, MAX_READ);
                    in.readFully(position + done, memory.asSlice(done, chunk).asByteBuffer());
                    done += chunk;
                }
                return null;
            });
            return buffer;
        } catch (EOFException e) {
            buffer.close();
            throw new EOFException(path + ": readBufferAt: the file ended early: position=" + position + " length="
                    + n + " size=" + size + " (" + e.getMessage() + ")");
        } catch (IOException | RuntimeException | Error e) {
            buffer.close();
            throw e;
        }
    }
}
