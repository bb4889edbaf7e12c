package org.quiver.io.testing;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import org.junit.jupiter.api.Test;
import org.junit.platform.engine.TestExecutionResult;
import org.junit.platform.launcher.TestExecutionListener;
import org.junit.platform.launcher.TestIdentifier;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.quiver.io.SequentialInput;
import org.quiver.io.SequentialOutput;

/**
 * A file type gives {@code null} for a side it does not have (a reader cannot be written): every test of that side
 * must then be reported skipped, with the reason, and none may pass without having run.
 */
class NativeFileContractSkipsTest {

    /** A file type with neither side: the whole contract applies to nothing. Run only through the launcher below. */
    static class NoSides extends NativeFileContract {
        @Override
        protected SequentialInput openInput(byte[] content) {
            return null;
        }

        @Override
        protected SequentialOutput openOutput(int expectedSize) {
            return null;
        }

        @Override
        protected byte[] written(SequentialOutput file) {
            throw new UnsupportedOperationException();
        }
    }

    @Test
    void everyTestOfAMissingSideIsSkippedNoneSucceeds() {
        List<String> succeeded = new CopyOnWriteArrayList<>();
        List<String> skipped = new CopyOnWriteArrayList<>();
        List<String> failed = new CopyOnWriteArrayList<>();
        TestExecutionListener listener = new TestExecutionListener() {
            @Override
            public void executionFinished(TestIdentifier test, TestExecutionResult result) {
                if (test.isTest()) { // not a container: its tests are counted one by one
                    String name = test.getDisplayName();
                    switch (result.getStatus()) {
                        case SUCCESSFUL -> succeeded.add(name);
                        case ABORTED -> skipped.add(name + ": " + result.getThrowable().map(Throwable::getMessage)
                                .orElse("no reason given"));
                        case FAILED -> failed.add(name + ": " + result.getThrowable().orElse(null));
                    }
                }
            }
        };
        LauncherFactory.create().execute(LauncherDiscoveryRequestBuilder.request().selectors(selectClass(NoSides.class))
                .build(), listener);

        assertEquals(List.of(), succeeded, "tests that passed although the file type has no side to test");
        assertEquals(List.of(), failed);
        assertTrue(skipped.size() >= 20, "every test of the contract ran and skipped: " + skipped);
        for (String s : skipped) {
            assertTrue(s.contains("NoSides cannot be") || s.contains("not a random-access file"),
                    "skipped with the reason: " + s);
        }
    }
}
