package org.quiver.io.nativeio.internal;

import java.net.URI;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.quiver.io.QuiverFileSystem;
import org.quiver.io.spi.QuiverFileSystemProvider;

/** Registers the local file system for {@code file:} URIs (and paths without a scheme). */
@Component(service = QuiverFileSystemProvider.class, property = "service.ranking:Integer=0")
public final class LocalFileSystemProvider implements QuiverFileSystemProvider {

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public QuiverFileSystem newFileSystem(URI uri, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("the local file system takes no options: " + options.keySet());
        }
        if (uri.getQuery() != null) {
            throw new IllegalArgumentException("the local file system takes no options: ?" + uri.getQuery());
        }
        return LocalFileSystem.INSTANCE;
    }
}
