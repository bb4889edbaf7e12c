package org.quiver.io.nativeio.internal;

import java.net.URI;
import java.util.Map;

import org.osgi.service.component.annotations.Component;
import org.quiver.io.FileSystem;
import org.quiver.io.spi.FileSystemProvider;

/** Registers the local file system for {@code file:} URIs (and paths without a scheme). */
@Component(service = FileSystemProvider.class, property = "service.ranking:Integer=0")
public final class LocalFileSystemProvider implements FileSystemProvider {

    @Override
    public String scheme() {
        return "file";
    }

    @Override
    public FileSystem newFileSystem(URI uri, Map<String, String> options) {
        if (!options.isEmpty()) {
            throw new IllegalArgumentException("the local file system takes no options: " + options.keySet());
        }
        if (uri.getQuery() != null) {
            throw new IllegalArgumentException("the local file system takes no options: ?" + uri.getQuery());
        }
        return LocalFileSystem.INSTANCE;
    }
}
