package org.quiver.io.nativeio.internal;

import java.io.IOException;

import org.quiver.io.QuiverFileSystem;

/**
 * Run by {@link FileSystemTest#anEmptyPathNeverReachesTheWorkingDirectory} in a JVM whose working directory is a
 * sandbox: calls the local file system's deleting operations with {@code ""} and prints, for each,
 * {@code <operation> refused: <message>} or {@code <operation> accepted}. Without the check these would empty or
 * delete the working directory, which is why they run only in a sandbox.
 */
public final class EmptyPathProbe {

    private EmptyPathProbe() {
    }

    private interface Call {
        void run() throws IOException;
    }

    private static void probe(String operation, Call call) throws IOException {
        try {
            call.run();
            System.out.println(operation + " accepted");
        } catch (IllegalArgumentException e) {
            System.out.println(operation + " refused: " + e.getMessage());
        }
    }

    public static void main(String[] args) throws IOException {
        QuiverFileSystem fs = QuiverFileSystem.local();
        probe("deleteDirectoryContents", () -> fs.deleteDirectoryContents("", false));
        probe("deleteDirectory", () -> fs.deleteDirectory(""));
    }
}
