package org.quiver.io.hdfs.internal;

import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.PrivilegedExceptionAction;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.DistributedFileSystem;
import org.apache.hadoop.security.UserGroupInformation;

/**
 * One Hadoop client ({@link DistributedFileSystem}) for one option set, shared by every {@link HdfsFileSystem}
 * handle and every open file made with those options. Each of them holds a reference; the client closes with the
 * last one (or when the provider goes away).
 *
 * <p>Every Hadoop call runs with this bundle's class loader as the thread's context class loader: Hadoop looks up
 * classes, {@code ServiceLoader} services and its {@code *-default.xml} files through it, and inside OSGi the
 * caller's would not see the embedded client.
 */
final class Connection {

    /** A call into Hadoop. */
    interface Call<T> {
        T run(DistributedFileSystem dfs) throws IOException;
    }

    private static final ClassLoader LOADER = Connection.class.getClassLoader();

    static {
        HadoopStatics.quietNativeLibraryWarning();
        HadoopStatics.clientMade();
    }

    final HdfsOptions options;
    final URI nameNode;
    final String user;
    private final DistributedFileSystem dfs;
    private final Runnable onLastRelease;
    private int references = 1;
    private boolean closed;

    private Connection(HdfsOptions options, URI nameNode, String user, DistributedFileSystem dfs,
            Runnable onLastRelease) {
        this.options = options;
        this.nameNode = nameNode;
        this.user = user;
        this.dfs = dfs;
        this.onLastRelease = onLastRelease;
    }

    /**
     * Creates the client with one reference. Nothing is sent to the NameNode yet: an unreachable one shows at
     * the first operation.
     */
    static Connection open(HdfsOptions options, Runnable onLastRelease) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(LOADER);
        try {
            Configuration conf = options.configuration(LOADER);
            URI nameNode = options.nameNode(conf);
            UserGroupInformation ugi = login(options, conf);
            DistributedFileSystem dfs = new DistributedFileSystem();
            try {
                ugi.doAs((PrivilegedExceptionAction<Void>) () -> {
                    dfs.initialize(nameNode, conf);
                    return null;
                });
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new java.io.InterruptedIOException("interrupted while connecting to " + nameNode);
            } catch (IllegalArgumentException e) {
                // Hadoop reports an unknown host this way
                if (e.getCause() instanceof java.net.UnknownHostException) {
                    var u = new java.net.UnknownHostException(nameNode + ": unknown NameNode host '"
                            + nameNode.getHost() + "'");
                    u.initCause(e);
                    throw u;
                }
                throw e;
            }
            return new Connection(options, nameNode, ugi.getShortUserName(), dfs, onLastRelease);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * The identity to act as: from the Kerberos ticket cache when one is given (and Kerberos is on), else the
     * named user, else Hadoop's current user.
     */
    private static UserGroupInformation login(HdfsOptions options, Configuration conf) throws IOException {
        if (options.kerberosTicketCache() != null) {
            Path cache = Path.of(options.kerberosTicketCache());
            if (!Files.isReadable(cache)) {
                throw new NoSuchFileException(cache.toString(), null,
                        "kerb_ticket: no readable Kerberos ticket cache here");
            }
            if ("kerberos".equalsIgnoreCase(conf.get("hadoop.security.authentication"))
                    && !UserGroupInformation.isSecurityEnabled()) {
                UserGroupInformation.setConfiguration(conf); // Hadoop's security mode is one per process
            }
            return UserGroupInformation.getBestUGI(cache.toString(), options.user());
        }
        if (options.user() != null) {
            return UserGroupInformation.createRemoteUser(options.user());
        }
        return UserGroupInformation.getCurrentUser();
    }

    /** Adds a reference (an open file or another handle). */
    synchronized void retain() {
        if (closed) {
            throw new IllegalStateException("closed");
        }
        references++;
    }

    /** Drops a reference; the last one closes the client. */
    void release() throws IOException {
        synchronized (this) {
            if (closed || --references > 0) {
                return;
            }
            closed = true;
        }
        onLastRelease.run();
        closeClient();
    }

    /** Closes the client now, whoever still holds it (the provider is going away). */
    void forceClose() throws IOException {
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
        }
        closeClient();
    }

    synchronized boolean isClosed() {
        return closed;
    }

    private void closeClient() throws IOException {
        call(d -> {
            d.close();
            return null;
        });
    }

    /** Runs {@code call} with the bundle's class loader as context class loader; exceptions pass unchanged. */
    <T> T call(Call<T> call) throws IOException {
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        if (previous == LOADER) {
            return call.run(dfs);
        }
        thread.setContextClassLoader(LOADER);
        try {
            return call.run(dfs);
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /**
     * Runs a NameNode operation that changes state ({@code create}, {@code rename} ...), turning Hadoop's
     * exceptions into the specific ones of the file system contract. While the NameNode cannot be reached, the
     * call is repeated until {@code connect_timeout} has passed: a connection that was never made carried no
     * request, so a retry cannot do anything twice.
     */
    <T> T update(String operation, String path, Call<T> call) throws IOException {
        return run(operation, path, call, false);
    }

    /**
     * As {@link #update}, for an operation that only reads the NameNode's state: when the connection turns out
     * to be lost (the NameNode restarted or died since the last call), it is also tried once more; and while a
     * restarted NameNode does not know where the blocks are yet (in safe mode, before the DataNodes' reports),
     * it is repeated until {@code connect_timeout}.
     */
    <T> T query(String operation, String path, Call<T> call) throws IOException {
        return run(operation, path, call, true);
    }

    /**
     * Runs a read of an open file. The client retries DataNodes itself; the NameNode, which it asks for the
     * locations of blocks beyond those it fetched at open, is treated as for a {@link #query}: while it cannot be
     * reached or is starting the read is repeated until {@code connect_timeout}, and it is tried once more when
     * the connection turns out lost (the client finds a restarted NameNode's closed connection only at its next
     * call). A read that fails so has moved neither the data nor the position, so repeating it reads nothing
     * twice.
     */
    <T> T read(String operation, String path, Call<T> call) throws IOException {
        return run(operation, path, call, true);
    }

    /** Runs a stream operation (the client retries DataNodes itself), turning its exceptions. */
    <T> T io(String operation, String path, Call<T> call) throws IOException {
        long start = System.nanoTime();
        try {
            return call(call);
        } catch (IOException e) {
            throw HdfsErrors.translate(e, this, operation, path, System.nanoTime() - start);
        }
    }

    private <T> T run(String operation, String path, Call<T> call, boolean idempotent) throws IOException {
        long start = System.nanoTime();
        long bound = options.connectTimeoutMillis() * 1_000_000L;
        long pause = Math.clamp(bound / 10, 50_000_000L, 1_000_000_000L);
        boolean retriedLost = false;
        while (true) {
            try {
                return call(call);
            } catch (IOException e) {
                long elapsed = System.nanoTime() - start;
                if (HdfsErrors.isUnreachable(e) && elapsed + pause < bound) {
                    sleep(pause, operation, path);
                } else if (idempotent && !retriedLost && HdfsErrors.isLostConnection(e)) {
                    retriedLost = true;
                } else if (idempotent && HdfsErrors.isStarting(e) && elapsed + pause < bound) {
                    sleep(pause, operation, path);
                } else {
                    throw HdfsErrors.translate(e, this, operation, path, elapsed);
                }
            }
        }
    }

    private void sleep(long nanos, String operation, String path) throws java.io.InterruptedIOException {
        try {
            Thread.sleep(nanos / 1_000_000, (int) (nanos % 1_000_000));
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new java.io.InterruptedIOException(nameNode + ": " + operation + " " + path
                    + ": interrupted while waiting for the NameNode");
        }
    }

    @Override
    public String toString() {
        return nameNode + " as " + user;
    }
}
