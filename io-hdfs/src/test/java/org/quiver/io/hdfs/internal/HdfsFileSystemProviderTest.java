package org.quiver.io.hdfs.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URI;
import java.net.UnknownHostException;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;

/**
 * The provider's bookkeeping, without a cluster where none is needed: which option sets share a Hadoop client,
 * and that the client closes with its last handle and file. (No call reaches a NameNode before the first
 * operation, so these handles need none; the one that writes uses a short-lived cluster of one DataNode.)
 */
class HdfsFileSystemProviderTest {

    @Test
    void equalOptionsShareOneClientWhichClosesWithTheLastUser() throws IOException {
        HdfsFileSystemProvider provider = new HdfsFileSystemProvider();
        assertNull(provider.unavailableReason());
        URI uri = URI.create("hdfs://127.0.0.1:1/");
        QuiverFileSystem a = provider.newFileSystem(uri, Map.of("user", "ann"));
        QuiverFileSystem b = provider.newFileSystem(URI.create("hdfs://ann@127.0.0.1:1/x"), Map.of());
        assertEquals(1, provider.openClients(), "the same options, written two ways");
        QuiverFileSystem c = provider.newFileSystem(uri, Map.of("user", "ann", "replication", "2"));
        assertEquals(2, provider.openClients(), "other options, another client");
        a.close();
        c.close();
        assertEquals(1, provider.openClients());
        b.close();
        b.close();
        assertEquals(0, provider.openClients(), "the last handle closed the client");
        QuiverFileSystem d = provider.newFileSystem(uri, Map.of("user", "ann"));
        assertEquals(1, provider.openClients(), "a new client after the old one closed");
        provider.closeAll();
        assertEquals(0, provider.openClients());
        IllegalStateException stopped = assertThrows(IllegalStateException.class,
                () -> provider.newFileSystem(uri, Map.of()));
        assertTrue(stopped.getMessage().contains("stopped"), stopped.getMessage());
        d.close();
    }

    @Test
    void filesKeepTheirClientAfterTheHandleCloses() throws IOException {
        try (TestCluster cluster = new TestCluster(1)) {
            HdfsFileSystemProvider provider = new HdfsFileSystemProvider();
            QuiverFileSystem fs = provider.newFileSystem(cluster.uri, Map.of());
            SequentialOutput out = fs.openOutput("/f");
            fs.close();
            assertEquals(1, provider.openClients(), "the open file holds the client");
            out.write(new byte[] {1, 2, 3});
            out.close();
            assertEquals(0, provider.openClients(), "closed with the file");
            try (QuiverFileSystem again = provider.newFileSystem(cluster.uri, Map.of());
                    SequentialInput in = again.openInput("/f")) {
                assertEquals(3, in.readAll().length);
            }
            assertEquals(0, provider.openClients());
        }
    }

    @Test
    void anUnknownHostIsNamed() throws IOException {
        HdfsFileSystemProvider provider = new HdfsFileSystemProvider();
        try (QuiverFileSystem fs = provider.newFileSystem(URI.create("hdfs://no-such-host.invalid:8020/"),
                Map.of("connect_timeout", "1"))) {
            UnknownHostException e = assertThrows(UnknownHostException.class, () -> fs.info("/x"));
            assertTrue(e.getMessage().contains("no-such-host.invalid"), e.getMessage());
        } catch (UnknownHostException atConnect) {
            assertTrue(atConnect.getMessage().contains("no-such-host.invalid"), atConnect.getMessage());
        }
    }
}
