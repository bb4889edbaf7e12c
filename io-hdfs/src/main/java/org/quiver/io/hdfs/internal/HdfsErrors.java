package org.quiver.io.hdfs.internal;

import java.io.FileNotFoundException;
import java.io.IOException;
import java.io.InterruptedIOException;
import java.net.ConnectException;
import java.net.NoRouteToHostException;
import java.net.SocketTimeoutException;
import java.net.UnknownHostException;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.util.Locale;

import org.apache.hadoop.fs.ParentNotDirectoryException;
import org.apache.hadoop.fs.PathIsNotEmptyDirectoryException;
import org.apache.hadoop.hdfs.BlockMissingException;
import org.apache.hadoop.hdfs.server.namenode.SafeModeException;
import org.apache.hadoop.ipc.RemoteException;
import org.apache.hadoop.ipc.RetriableException;
import org.apache.hadoop.security.AccessControlException;
import org.quiver.io.IsDirectoryException;
import org.quiver.io.NonEmptyDirectoryException;
import org.quiver.io.NotADirectoryException;

/**
 * Turns the Hadoop client's exceptions into the file system contract's: the {@code java.nio.file} types for
 * missing paths, permissions, existing paths and directories, and plain {@link IOException}s whose messages say
 * what happened in words (the NameNode cannot be reached, no DataNode holds a block), each naming the path, the
 * operation and the connection. Hadoop's own exception is the cause.
 */
final class HdfsErrors {

    private HdfsErrors() {
    }

    static IOException translate(IOException e, Connection c, String operation, String path, long elapsedNanos) {
        IOException cause = e instanceof RemoteException r ? r.unwrapRemoteException() : e;
        String message = firstLine(cause.getMessage());
        String lower = message.toLowerCase(Locale.ROOT);
        IOException out;
        if (cause instanceof AccessControlException) {
            out = new AccessDeniedException(path, null, operation + ": permission denied for user '" + c.user
                    + "' (" + message + ")");
        } else if (cause instanceof FileNotFoundException) {
            if (lower.contains("is not a file")) {
                out = new IsDirectoryException(path, operation);
            } else {
                String missing = lower.contains("parent") ? "parent directory not found" : "no such file or directory";
                out = new NoSuchFileException(path, null, operation + ": " + missing + " (" + message + ")");
            }
        } else if (cause instanceof org.apache.hadoop.fs.FileAlreadyExistsException) {
            out = lower.contains("as a directory") || lower.contains("is a directory")
                    ? new IsDirectoryException(path, operation)
                    : new FileAlreadyExistsException(path, null, operation + ": already exists (" + message + ")");
        } else if (cause instanceof ParentNotDirectoryException) {
            out = new NotADirectoryException(path, operation + ": a parent is a file (" + message + ")");
        } else if (cause instanceof PathIsNotEmptyDirectoryException || lower.contains("directory is not empty")) {
            out = new NonEmptyDirectoryException(path, operation + ": directory not empty (" + message + ")");
        } else if (cause instanceof BlockMissingException) {
            out = new IOException(c.nameNode + path + ": " + operation + ": no live DataNode holds a replica of a"
                    + " block (" + message + ")");
        } else if (isUnreachable(cause) || cause instanceof UnknownHostException) {
            String timeout = String.format(Locale.ROOT, "%.1f", c.options.connectTimeoutMillis() / 1000.0);
            String elapsed = String.format(Locale.ROOT, "%.1f", elapsedNanos / 1e9);
            String text = c.nameNode + ": " + operation + " " + path + ": NameNode unreachable, gave up after "
                    + elapsed + " s (connect_timeout=" + timeout + " s): " + rootMessage(cause);
            out = cause instanceof UnknownHostException ? new UnknownHostException(text)
                    : cause instanceof SocketTimeoutException ? new SocketTimeoutException(text)
                    : new ConnectException(text);
        } else if (isStarting(e)) {
            out = new IOException(c.nameNode + path + ": " + operation + ": " + message + " (the NameNode is"
                    + " starting; gave up after " + String.format(Locale.ROOT, "%.1f", elapsedNanos / 1e9)
                    + " s, connect_timeout=" + String.format(Locale.ROOT, "%.1f", c.options.connectTimeoutMillis()
                    / 1000.0) + " s)");
        } else if (cause instanceof InterruptedIOException) {
            return cause;
        } else if (cause instanceof FileSystemException) {
            return cause;
        } else {
            out = new IOException(c.nameNode + path + ": " + operation + ": " + message);
        }
        out.initCause(e);
        return out;
    }

    /** Whether {@code e} says no connection to the server could be made (so no request reached it). */
    static boolean isUnreachable(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof ConnectException || t instanceof NoRouteToHostException
                    || t instanceof org.apache.hadoop.net.ConnectTimeoutException) {
                return true;
            }
        }
        return false;
    }

    /**
     * Whether {@code e} is a NameNode that is starting: one that asks to be retried, or one in safe mode that
     * has no location yet for a block asked for (its DataNodes have not reported since it started).
     */
    static boolean isStarting(Throwable e) {
        if (e instanceof RemoteException r) {
            return r.getClassName().equals(RetriableException.class.getName())
                    || r.getClassName().equals(SafeModeException.class.getName());
        }
        return e instanceof RetriableException || e instanceof SafeModeException;
    }

    /** Whether {@code e} says an open connection was lost (closed or reset by the server). */
    static boolean isLostConnection(Throwable e) {
        for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
            if (t instanceof java.io.EOFException || t instanceof java.net.SocketException) {
                return true;
            }
        }
        return false;
    }

    /** The innermost message: Hadoop prefixes the JDK's with its own "Call From ... failed on ..." text. */
    private static String rootMessage(Throwable e) {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t) {
            t = t.getCause();
        }
        String m = firstLine(t.getMessage());
        return m.isEmpty() ? t.getClass().getSimpleName() : m;
    }

    private static String firstLine(String message) {
        if (message == null) {
            return "";
        }
        int nl = message.indexOf('\n');
        return (nl < 0 ? message : message.substring(0, nl)).trim();
    }
}
