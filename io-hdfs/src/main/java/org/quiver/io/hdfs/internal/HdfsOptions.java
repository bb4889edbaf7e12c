package org.quiver.io.hdfs.internal;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.hdfs.HdfsConfiguration;

/**
 * The options of one HDFS connection, as pyarrow's {@code HadoopFileSystem} takes them, from the URI (authority,
 * user info, query) and the option map (which wins). Two equal option sets share one client.
 *
 * @param host                 the NameNode host, or {@code "default"} for {@code fs.defaultFS} of the Hadoop
 *                             configuration
 * @param port                 the NameNode RPC port ({@code 8020} by default; ignored for {@code "default"})
 * @param user                 the user to act as, or {@code null} for Hadoop's choice ({@code HADOOP_USER_NAME},
 *                             then the login user)
 * @param replication          the replication of created files, 0 for the configuration's
 * @param bufferSize           the stream buffer size in bytes, 0 for the configuration's
 * @param blockSize            the block size of created files in bytes, 0 for the configuration's
 * @param kerberosTicketCache  the Kerberos ticket cache to log in from, or {@code null}
 * @param connectTimeoutMillis how long to keep trying to reach an unreachable NameNode before failing
 * @param extra                further Hadoop configuration (keys with a dot, such as {@code dfs.client.*})
 */
record HdfsOptions(String host, int port, String user, short replication, int bufferSize, long blockSize,
        String kerberosTicketCache, long connectTimeoutMillis, Map<String, String> extra) {

    static final String DEFAULT_HOST = "default";
    static final int DEFAULT_PORT = 8020;
    static final long DEFAULT_CONNECT_TIMEOUT_MILLIS = 20_000;
    static final int MIN_BUFFER_SIZE = 512;

    /** The option names (pyarrow's, plus {@code connect_timeout}); any key with a dot is Hadoop configuration. */
    static final Set<String> NAMES = Set.of("host", "port", "user", "replication", "buffer_size",
            "default_block_size", "kerb_ticket", "connect_timeout");

    /** Reads the options of {@code uri}: its authority and user, then its query, then {@code options}. */
    static HdfsOptions parse(URI uri, Map<String, String> options) {
        if (uri.getScheme() == null || !uri.getScheme().equalsIgnoreCase("hdfs")) {
            throw new IllegalArgumentException("not an hdfs: URI: " + uri);
        }
        Map<String, String> all = new LinkedHashMap<>();
        String host = uri.getHost();
        if (host == null && uri.getAuthority() != null && !uri.getAuthority().isEmpty()) {
            throw new IllegalArgumentException("not a host[:port] in " + uri + ": '" + uri.getAuthority() + "'");
        }
        all.put("host", host == null || host.isEmpty() ? DEFAULT_HOST : host);
        if (uri.getPort() >= 0) {
            all.put("port", Integer.toString(uri.getPort()));
        }
        if (uri.getUserInfo() != null) {
            all.put("user", uri.getUserInfo());
        }
        all.putAll(query(uri));
        all.putAll(options);

        String user = all.remove("user");
        String ticket = all.remove("kerb_ticket");
        return new HdfsOptions(
                all.remove("host"),
                (int) number(all.remove("port"), "port", DEFAULT_PORT, 0, 65_535),
                user == null || user.isEmpty() ? null : user,
                (short) number(all.remove("replication"), "replication", 0, 0, Short.MAX_VALUE),
                bufferSize(all.remove("buffer_size")),
                number(all.remove("default_block_size"), "default_block_size", 0, 0, Long.MAX_VALUE),
                ticket == null || ticket.isEmpty() ? null : ticket,
                seconds(all.remove("connect_timeout")),
                extra(all));
    }

    private static Map<String, String> query(URI uri) {
        Map<String, String> out = new LinkedHashMap<>();
        String q = uri.getRawQuery();
        if (q == null || q.isEmpty()) {
            return out;
        }
        for (String pair : q.split("&")) {
            if (pair.isEmpty()) {
                continue;
            }
            int eq = pair.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("query parameter without a value in " + uri + ": '" + pair + "'");
            }
            out.put(URLDecoder.decode(pair.substring(0, eq), StandardCharsets.UTF_8),
                    URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8));
        }
        return out;
    }

    private static long number(String value, String name, long absent, long min, long max) {
        if (value == null || value.isEmpty()) {
            return absent;
        }
        long n;
        try {
            n = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option " + name + " is not a number: '" + value + "'");
        }
        if (n < min || n > max) {
            throw new IllegalArgumentException("option " + name + " out of range: " + n + " (from " + min + " to "
                    + max + ")");
        }
        return n;
    }

    /** 0 for Hadoop's default; else at least 512 (the client sizes its small buffers at half of it). */
    private static int bufferSize(String value) {
        int n = (int) number(value, "buffer_size", 0, 0, Integer.MAX_VALUE);
        if (n > 0 && n < MIN_BUFFER_SIZE) {
            throw new IllegalArgumentException("option buffer_size out of range: " + n + " (0 for Hadoop's default,"
                    + " or from " + MIN_BUFFER_SIZE + ")");
        }
        return n;
    }

    private static long seconds(String value) {
        if (value == null || value.isEmpty()) {
            return DEFAULT_CONNECT_TIMEOUT_MILLIS;
        }
        double s;
        try {
            s = Double.parseDouble(value.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("option connect_timeout is not a number of seconds: '" + value + "'");
        }
        if (!(s > 0) || s > 86_400) {
            throw new IllegalArgumentException("option connect_timeout out of range: " + value
                    + " (seconds, more than 0 and at most 86400)");
        }
        return Math.max(1, Math.round(s * 1000));
    }

    /** What is left must be Hadoop configuration keys; a bare word is a misspelt option. */
    private static Map<String, String> extra(Map<String, String> rest) {
        for (String key : rest.keySet()) {
            if (key.indexOf('.') < 0) {
                throw new IllegalArgumentException("unknown HDFS option '" + key + "' (options: "
                        + String.join(", ", new TreeSet<>(NAMES))
                        + "; Hadoop configuration keys, which contain a dot, pass through)");
            }
        }
        return Map.copyOf(rest);
    }

    boolean isDefaultHost() {
        return DEFAULT_HOST.equalsIgnoreCase(host);
    }

    /**
     * The Hadoop configuration for this connection: the defaults and {@code core-site.xml}/{@code hdfs-site.xml}
     * (from the class path, and from {@code $HADOOP_CONF_DIR} when set), the options on top, and the retry
     * connection settings for the retries of an unreachable NameNode (see {@link Connection}).
     */
    Configuration configuration(ClassLoader loader) {
        Configuration conf = new HdfsConfiguration(false);
        conf.setClassLoader(loader);
        conf.addResource("core-default.xml");
        conf.addResource("hdfs-default.xml");
        conf.addResource("core-site.xml");
        conf.addResource("hdfs-site.xml");
        String confDir = System.getenv("HADOOP_CONF_DIR");
        if (confDir != null && !confDir.isEmpty()) {
            for (String name : new String[] {"core-site.xml", "hdfs-site.xml"}) {
                Path p = Path.of(confDir, name);
                if (Files.isReadable(p)) {
                    conf.addResource(new org.apache.hadoop.fs.Path(p.toUri()));
                }
            }
        }
        if (replication > 0) {
            conf.setInt("dfs.replication", replication);
        }
        if (bufferSize > 0) {
            conf.setInt("io.file.buffer.size", bufferSize);
        }
        if (blockSize > 0) {
            conf.setLong("dfs.blocksize", blockSize);
        }
        if (kerberosTicketCache != null) {
            conf.set("hadoop.security.kerberos.ticket.cache.path", kerberosTicketCache);
        }
        // An unreachable NameNode: every attempt gives up at once (refused) or after its timeout, and the
        // Connection retries until the bound (the client's own retry policies would multiply each other).
        conf.setInt("ipc.client.connect.max.retries", 0);
        conf.setInt("ipc.client.connect.max.retries.on.timeouts", 0);
        conf.setInt("ipc.client.connect.timeout", (int) Math.min(connectTimeoutMillis, 20_000));
        extra.forEach(conf::set);
        return conf;
    }

    /** The NameNode's URI: {@code hdfs://host:port}, or {@code fs.defaultFS} for the default host. */
    URI nameNode(Configuration conf) {
        if (!isDefaultHost()) {
            return URI.create("hdfs://" + hostPort());
        }
        String fs = conf.get("fs.defaultFS", "");
        URI uri = URI.create(fs);
        if (!"hdfs".equalsIgnoreCase(uri.getScheme()) || uri.getHost() == null) {
            throw new IllegalArgumentException("host 'default' needs fs.defaultFS to name an hdfs://host:port URI"
                    + " in the Hadoop configuration (core-site.xml on the class path or in $HADOOP_CONF_DIR, or"
                    + " the option fs.defaultFS), but it is '" + fs + "'");
        }
        return uri.getPort() < 0 ? URI.create("hdfs://" + uri.getHost() + ":" + DEFAULT_PORT) : URI.create(
                "hdfs://" + uri.getHost() + ":" + uri.getPort());
    }

    private String hostPort() {
        String h = host.indexOf(':') >= 0 && !host.startsWith("[") ? "[" + host + "]" : host;
        return h.toLowerCase(Locale.ROOT) + ":" + port;
    }
}
