package org.quiver.io.spi;

import java.io.IOException;
import java.net.URI;
import java.util.Map;

import org.osgi.annotation.versioning.ConsumerType;
import org.quiver.io.QuiverFileSystem;

/**
 * Makes {@link QuiverFileSystem}s for one URI scheme. Published like allocators: {@code provides
 * org.quiver.io.spi.QuiverFileSystemProvider with ...} on the module path ({@code META-INF/services} on the class
 * path), or as an OSGi service whose {@code service.ranking} overrides {@link #ranking()}. For each scheme the
 * best-ranked available provider serves {@link QuiverFileSystem#fromUri}.
 *
 * <p>Threading: every method may be called from many threads at once.
 *
 * @since 1.0
 */
@ConsumerType
public interface QuiverFileSystemProvider {

    /** The scheme, lower case ({@code "file"}, {@code "hdfs"}). */
    String scheme();

    /** The ranking when no service property gives one; higher wins. */
    default int ranking() {
        return 0;
    }

    /** Why this provider cannot work here, or {@code null} when it can. */
    default String unavailableReason() {
        return null;
    }

    /**
     * A file system for {@code uri} (its authority, user info and query select the instance; its path is
     * ignored).
     *
     * @param options provider options, which win over the URI's query parameters
     * @throws IllegalArgumentException for an option the provider does not know, naming it
     * @throws IOException              if the file system cannot be reached
     */
    QuiverFileSystem newFileSystem(URI uri, Map<String, String> options) throws IOException;
}
