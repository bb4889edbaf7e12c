package org.quiver.webconsole.internal;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Which requests the console's login-refusal guard touches: only those under the console's own path. */
class LoginRefusalClosesTest {

    @Test
    void theConsolesPathAndBelowOnly() {
        assertTrue(LoginRefusalCloses.under("/system/console", "/system/console"));
        assertTrue(LoginRefusalCloses.under("/system/console/quiver/action", "/system/console"));
        assertTrue(LoginRefusalCloses.under("/system/console/quiver/action", "/system/console/"));
        assertFalse(LoginRefusalCloses.under("/system/consoleX/quiver", "/system/console"), "a sibling path");
        assertFalse(LoginRefusalCloses.under("/other", "/system/console"));
        assertFalse(LoginRefusalCloses.under(null, "/system/console"));
    }

    @Test
    void aConsoleAtTheRootCoversTheServer() {
        assertTrue(LoginRefusalCloses.under("/anything", "/"));
        assertTrue(LoginRefusalCloses.under("/anything", null));
    }
}
