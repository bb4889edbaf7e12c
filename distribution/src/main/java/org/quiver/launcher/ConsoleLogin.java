package org.quiver.launcher;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;

/**
 * The web console's login, so that a platform never answers to the console's built-in {@code admin}/{@code admin}.
 *
 * <p>Unless the operator chose a password (their own {@code password} line in
 * {@code etc/org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg}, or the framework property
 * {@code felix.webconsole.password} in {@code etc/config.properties} or {@code -D}), the first start of a data folder
 * generates one (20 characters, about 100 bits, from {@link SecureRandom}) and writes it to
 * {@code webconsole.password} in the data folder, readable by its owner only. Every start then sets its salted
 * hash as the framework property {@code felix.webconsole.password}: the console's default before its configuration
 * arrives, and the value File Install puts in the shipped configuration's {@code password = ${...}} line.
 * {@code quiver clean} removes the file with the rest of the data folder; the next start makes a new one.
 *
 * <p>The line must stay: the console writes its built-in password ({@code admin}) into a configuration that has no
 * password, over any default. A configuration file without one is therefore said at start, not hidden.
 */
final class ConsoleLogin {

    /** The file in the data folder that holds the generated password. */
    static final String FILE = "webconsole.password";
    /** The console's configuration file in {@code etc/}. */
    static final String CONFIGURATION = "org.apache.felix.webconsole.internal.servlet.OsgiManager.cfg";
    /** The framework properties the console reads as its defaults. */
    static final String PASSWORD_PROPERTY = "felix.webconsole.password";
    static final String USER_PROPERTY = "felix.webconsole.username";
    /**
     * The password line the distribution's configuration file ships: File Install puts the framework property in
     * its place. It must be there: the console writes its built-in password into a configuration without one.
     */
    static final String PLACEHOLDER = "${" + PASSWORD_PROPERTY + "}";

    private static final String ALPHABET = "abcdefghijkmnpqrstuvwxyz23456789"; // no l, o, 0, 1
    private static final int LENGTH = 20;
    /** As the console hashes a password it is given: salted SHA-256, iterated. */
    private static final int ITERATIONS = 1000;
    private static final SecureRandom RANDOM = new SecureRandom();

    /**
     * The login in force for this start.
     *
     * @param said   for the operator: who logs in and where the password is
     * @param hashed the framework property to give the console, or null when the operator chose the password
     * @param made   whether this start generated the password
     * @param weak   whether the console will take its built-in password
     */
    record Login(String said, String hashed, boolean made, boolean weak) {
    }

    private ConsoleLogin() {
    }

    /**
     * Decides the login of a platform started from {@code home} on {@code data}, generating the password at a data
     * folder's first start.
     *
     * @param config the framework properties as the launcher will pass them ({@code etc/config.properties} with
     *               {@code -D} on top)
     */
    static Login prepare(Path home, Path data, Map<String, String> config) throws IOException {
        Path cfg = home.resolve("etc").resolve(CONFIGURATION);
        boolean exists = Files.isRegularFile(cfg);
        Map<String, String> file = read(cfg);
        String user = file.getOrDefault("username", config.getOrDefault(USER_PROPERTY, "admin"));
        String chosen = file.get("password");
        if (chosen != null && !chosen.equals(PLACEHOLDER)) {
            return new Login("login " + user + ", password set in " + cfg, null, false, false);
        }
        if (exists && chosen == null) {
            // The console writes its built-in password into a configuration that has none, over any default.
            return new Login("login " + user + " with the console's built-in password 'admin': " + cfg
                    + " has no password line (password = " + PLACEHOLDER + " for a generated one, or your own)",
                    null, false, true);
        }
        if (config.get(PASSWORD_PROPERTY) != null) {
            return new Login("login " + user + ", password set by " + PASSWORD_PROPERTY, null, false, false);
        }
        Path stored = data.resolve(FILE);
        String password;
        boolean made;
        try {
            password = Files.exists(stored) ? Files.readString(stored, StandardCharsets.UTF_8).strip() : "";
            made = password.isEmpty();
            if (made) {
                password = generate();
                write(stored, password + "\n");
            }
        } catch (IOException e) {
            throw new Main.LaunchException("cannot keep the web console's password in " + stored + ": " + e
                    + " (or set your own: password in " + cfg + ")");
        }
        return new Login("login " + user + ", password in " + stored, hash(password), made, false);
    }

    /** The keys of a {@code .cfg} file (Karaf's format: {@code key = value}, {@code #} comments), or none. */
    static Map<String, String> read(Path cfg) throws IOException {
        if (!Files.isRegularFile(cfg)) {
            return Map.of();
        }
        java.util.Properties p = new java.util.Properties();
        try (var in = Files.newBufferedReader(cfg, StandardCharsets.UTF_8)) {
            p.load(in);
        }
        Map<String, String> out = new java.util.HashMap<>();
        for (String key : p.stringPropertyNames()) {
            String v = p.getProperty(key).strip();
            if (!v.isEmpty()) {
                out.put(key.strip(), v);
            }
        }
        return out;
    }

    static String generate() {
        StringBuilder b = new StringBuilder(LENGTH);
        for (int i = 0; i < LENGTH; i++) {
            b.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
        }
        return b.toString();
    }

    /**
     * The console's hashed form of {@code password}: {@code {sha-256}<salt>-<iterations>-<base64>}, the digest
     * applied {@code iterations} times to the salt followed by the password (UTF-8), as the console's own
     * configuration page stores a password.
     */
    static String hash(String password) {
        byte[] s = new byte[8];
        RANDOM.nextBytes(s);
        String salt = HexFormat.of().formatHex(s);
        return hash(password, salt, ITERATIONS);
    }

    static String hash(String password, String salt, int iterations) {
        try {
            MessageDigest sha = MessageDigest.getInstance("SHA-256");
            byte[] d = (salt + password).getBytes(StandardCharsets.UTF_8);
            for (int i = 0; i < iterations; i++) {
                sha.reset();
                d = sha.digest(d);
            }
            return "{sha-256}" + salt + "-" + iterations + "-" + Base64.getEncoder().encodeToString(d);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-256", e);
        }
    }

    /** Writes {@code text} readable by its owner only (where the file system has POSIX permissions), atomically. */
    private static void write(Path file, String text) throws IOException {
        Path tmp = file.resolveSibling(file.getFileName() + ".new");
        Files.deleteIfExists(tmp);
        try {
            if (file.getFileSystem().supportedFileAttributeViews().contains("posix")) {
                Files.createFile(tmp, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            } else {
                Files.createFile(tmp);
            }
            Files.writeString(tmp, text, StandardCharsets.UTF_8);
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (FileAlreadyExistsException e) {
            throw new IOException("cannot write the web console's password: " + tmp + " appeared meanwhile", e);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }
}
