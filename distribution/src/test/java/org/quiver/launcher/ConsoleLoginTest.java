package org.quiver.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The web console's login: a password generated at a data folder's first start, kept for the next, never made
 * when the operator chose one; its hash checked by the console's own code (the Felix Web Console's
 * {@code Password}, from the jar the distribution ships).
 */
class ConsoleLoginTest {

    @TempDir
    Path dir;
    private Path home;
    private Path data;

    @BeforeEach
    void distribution() throws Exception {
        home = dir.resolve("quiver");
        Files.createDirectories(home.resolve("etc"));
        Files.copy(Path.of("src/dist/etc", ConsoleLogin.CONFIGURATION),
                home.resolve("etc").resolve(ConsoleLogin.CONFIGURATION));
        data = Files.createDirectories(dir.resolve("data"));
    }

    @Test
    void theFirstStartMakesAPasswordOnlyItsOwnerReadsAndTheNextKeepsIt() throws Exception {
        ConsoleLogin.Login first = ConsoleLogin.prepare(home, data, Map.of());
        assertTrue(first.made());
        Path file = data.resolve(ConsoleLogin.FILE);
        String password = Files.readString(file, StandardCharsets.UTF_8).strip();
        assertTrue(password.matches("[a-km-np-z2-9]{20}"), password);
        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        assertEquals("login admin, password in " + file, first.said());
        assertTrue(consoleAccepts(first.hashed(), password), first.hashed());
        assertFalse(consoleAccepts(first.hashed(), "admin"), "the console's built-in password");
        assertEquals(List.of(ConsoleLogin.FILE), names(data), "nothing else in the data folder");

        ConsoleLogin.Login second = ConsoleLogin.prepare(home, data, Map.of());
        assertFalse(second.made());
        assertEquals(password, Files.readString(file, StandardCharsets.UTF_8).strip(), "kept");
        assertNotEquals(first.hashed(), second.hashed(), "salted anew");
        assertTrue(consoleAccepts(second.hashed(), password));

        ConsoleLogin.Login other = ConsoleLogin.prepare(home, Files.createDirectories(dir.resolve("data2")), Map.of());
        assertFalse(consoleAccepts(other.hashed(), password), "each data folder its own");
    }

    @Test
    void anEmptiedFileGetsANewPassword() throws Exception {
        Files.writeString(data.resolve(ConsoleLogin.FILE), "\n");
        ConsoleLogin.Login login = ConsoleLogin.prepare(home, data, Map.of());
        assertTrue(login.made());
        String password = Files.readString(data.resolve(ConsoleLogin.FILE)).strip();
        assertEquals(20, password.length());
        assertTrue(consoleAccepts(login.hashed(), password));
    }

    @Test
    void aPasswordThatCannotBeKeptStopsTheStartWithTheReason() throws Exception {
        Files.createDirectory(data.resolve(ConsoleLogin.FILE));
        Main.LaunchException e = org.junit.jupiter.api.Assertions.assertThrows(Main.LaunchException.class,
                () -> ConsoleLogin.prepare(home, data, Map.of()));
        assertTrue(e.getMessage().startsWith("cannot keep the web console's password in "
                + data.resolve(ConsoleLogin.FILE) + ": "), e.getMessage());
        assertTrue(e.getMessage().endsWith("(or set your own: password in "
                + home.resolve("etc").resolve(ConsoleLogin.CONFIGURATION) + ")"), e.getMessage());
        assertEquals(List.of(ConsoleLogin.FILE), names(data), "nothing else made");
    }

    @Test
    void aPasswordTheOperatorSetIsLeftToTheConsole() throws Exception {
        Path cfg = home.resolve("etc").resolve(ConsoleLogin.CONFIGURATION);
        Files.writeString(cfg, "username = ops\npassword = {sha-256}abc\n");
        ConsoleLogin.Login login = ConsoleLogin.prepare(home, data, Map.of());
        assertLeftToTheConsole(login, false);
        assertEquals("login ops, password set in " + cfg, login.said());

        Files.copy(Path.of("src/dist/etc", ConsoleLogin.CONFIGURATION), cfg,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        login = ConsoleLogin.prepare(home, data, Map.of(ConsoleLogin.PASSWORD_PROPERTY, "secret",
                ConsoleLogin.USER_PROPERTY, "root"));
        assertLeftToTheConsole(login, false); // File Install puts the operator's property in the shipped line
        assertEquals("login root, password set by felix.webconsole.password", login.said());
    }

    @Test
    void theShippedFileTakesTheGeneratedPasswordAndSoDoesNoFile() throws Exception {
        Path cfg = home.resolve("etc").resolve(ConsoleLogin.CONFIGURATION);
        assertEquals(ConsoleLogin.PLACEHOLDER, ConsoleLogin.read(cfg).get("password"), "the line as shipped");
        Files.delete(cfg);
        ConsoleLogin.Login login = ConsoleLogin.prepare(home, data, Map.of());
        assertTrue(login.made());
        assertFalse(login.weak());
    }

    @Test
    void aFileWithoutAPasswordLineIsSaidToLeaveTheBuiltInOne() throws Exception {
        // The console writes its built-in password into a configuration without one: generating would be a lie.
        Path cfg = home.resolve("etc").resolve(ConsoleLogin.CONFIGURATION);
        Files.writeString(cfg, "realm = Ours\n#password = x\n");
        ConsoleLogin.Login login = ConsoleLogin.prepare(home, data, Map.of());
        assertLeftToTheConsole(login, true);
        assertEquals("login admin with the console's built-in password 'admin': " + cfg + " has no password line"
                + " (password = ${felix.webconsole.password} for a generated one, or your own)", login.said());
    }

    @Test
    void theHashIsTheConsolesOwnFormat() throws Exception {
        String hashed = ConsoleLogin.hash("pw", "00ff", 1000);
        assertTrue(hashed.startsWith("{sha-256}00ff-1000-"), hashed);
        assertTrue(consoleAccepts(hashed, "pw"));
        assertFalse(consoleAccepts(hashed, "pW"));
    }

    /** Nothing generated, no property set: the console takes what the operator chose (or, weak, its own). */
    private void assertLeftToTheConsole(ConsoleLogin.Login login, boolean weak) throws Exception {
        assertNull(login.hashed(), login::said);
        assertFalse(login.made(), login::said);
        assertEquals(weak, login.weak(), login::said);
        assertEquals(List.of(), names(data), "nothing generated");
    }

    /** Whether the Felix Web Console's own password check accepts {@code password} for {@code hashed}. */
    private static boolean consoleAccepts(String hashed, String password) throws Exception {
        Class<?> type = Class.forName("org.apache.felix.webconsole.internal.servlet.Password");
        Constructor<?> make = type.getDeclaredConstructor(String.class);
        make.setAccessible(true);
        Method matches = type.getDeclaredMethod("matches", byte[].class);
        matches.setAccessible(true);
        return (Boolean) matches.invoke(make.newInstance(hashed), (Object) password.getBytes(StandardCharsets.UTF_8));
    }

    private static List<String> names(Path folder) throws Exception {
        try (var s = Files.list(folder)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
