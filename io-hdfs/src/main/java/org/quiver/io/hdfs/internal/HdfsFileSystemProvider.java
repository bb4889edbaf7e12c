package org.quiver.io.hdfs.internal;

import java.io.IOException;
import java.net.URI;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.spi.QuiverFileSystemProvider;

/**
 * Registers the {@code hdfs:} file system. Equal option sets share one Hadoop client (a {@link Connection}),
 * which closes when the last file system handle and the last file using it are closed, or when this provider
 * is deactivated (its bundle stops), which also lets go of what Hadoop keeps per class loader
 * ({@link HadoopStatics}).
 */
@Component(service = QuiverFileSystemProvider.class, property = "service.ranking:Integer=0")
public final class HdfsFileSystemProvider implements QuiverFileSystemProvider {

    private static final System.Logger LOG = System.getLogger("org.quiver.io.hdfs");

    private final Map<HdfsOptions, Connection> connections = new HashMap<>();
    private boolean deactivated;

    @Override
    public String scheme() {
        return "hdfs";
    }

    @Override
    public String unavailableReason() {
        try {
            Class.forName("org.apache.hadoop.hdfs.DistributedFileSystem", false,
                    HdfsFileSystemProvider.class.getClassLoader());
            return null;
        } catch (ClassNotFoundException | LinkageError e) {
            return "the Hadoop client is missing: put hadoop-client-api and hadoop-client-runtime 3.5.0 next to"
                    + " quiver-io-hdfs (" + e + ")";
        }
    }

    @Override
    public QuiverFileSystem newFileSystem(URI uri, Map<String, String> options) throws IOException {
        HdfsOptions parsed = HdfsOptions.parse(uri, options);
        synchronized (connections) {
            if (deactivated) {
                throw new IllegalStateException("the hdfs: provider was stopped");
            }
            Connection shared = connections.get(parsed);
            if (shared != null) {
                try {
                    shared.retain();
                    return new HdfsFileSystem(shared);
                } catch (IllegalStateException closedMeanwhile) {
                    connections.remove(parsed, shared);
                }
            }
            Connection[] holder = new Connection[1];
            Connection created = Connection.open(parsed, () -> forget(parsed, holder[0]));
            holder[0] = created;
            connections.put(parsed, created);
            return new HdfsFileSystem(created);
        }
    }

    private void forget(HdfsOptions options, Connection connection) {
        synchronized (connections) {
            connections.remove(options, connection);
        }
    }

    /**
     * The bundle stops: every client closes, and Hadoop lets go of this bundle's class loader. (Outside OSGi
     * nothing deactivates the provider: Hadoop's statics live as long as the JVM, as Hadoop expects.)
     */
    @Deactivate
    void deactivate() {
        closeAll();
        HadoopStatics.release();
    }

    /** Closes every client: the files still open on them fail from now on; no new file system is made. */
    void closeAll() {
        List<Connection> open;
        synchronized (connections) {
            deactivated = true;
            open = new ArrayList<>(connections.values());
            connections.clear();
        }
        for (Connection c : open) {
            try {
                c.forceClose();
            } catch (IOException | RuntimeException e) {
                LOG.log(System.Logger.Level.WARNING, "closing the HDFS client of " + c + " failed", e);
            }
        }
    }

    /** The number of Hadoop clients open now (tests). */
    int openClients() {
        synchronized (connections) {
            return connections.size();
        }
    }
}
