package org.quiver.io;

import java.util.Objects;

/**
 * Which entries {@link QuiverFileSystem#list(FileSelector)} returns: pyarrow's {@code FileSelector}.
 *
 * @param baseDir       the directory to list
 * @param allowNotFound whether a missing {@code baseDir} lists as empty instead of failing
 * @param recursive     whether to descend into subdirectories
 * @param maxRecursion  how many levels below {@code baseDir} to descend when recursive
 * @since 1.0
 */
public record FileSelector(String baseDir, boolean allowNotFound, boolean recursive, int maxRecursion) {

    /** Checks the operands. */
    public FileSelector {
        Objects.requireNonNull(baseDir, "baseDir");
        if (maxRecursion < 0) {
            throw new IllegalArgumentException("negative maxRecursion: maxRecursion=" + maxRecursion);
        }
    }

    /** The entries directly in {@code baseDir}. */
    public static FileSelector of(String baseDir) {
        return new FileSelector(baseDir, false, false, Integer.MAX_VALUE);
    }

    /** Every entry below {@code baseDir}, at any depth. */
    public static FileSelector recursive(String baseDir) {
        return new FileSelector(baseDir, false, true, Integer.MAX_VALUE);
    }

    /** This selector, listing a missing directory as empty. */
    public FileSelector allowingNotFound() {
        return new FileSelector(baseDir, true, recursive, maxRecursion);
    }
}
