package org.quiver.memory.testing;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.InvocationTargetException;
import java.util.ArrayList;
import java.util.List;

/**
 * The hostile variant for arguments, shared by every suite that probes an API with {@code null}: a call with
 * {@code null} in one reference argument must fail at the call with a {@link NullPointerException} whose message
 * names the argument, never with the JDK's text about the implementation's internals ({@code Cannot read the array
 * length because "dst" is null}), and must never be accepted.
 */
public final class NullArgumentProbe {

    /** A value for a parameter of {@code type}, or {@code null} when the suite has none (the call is not probed). */
    @FunctionalInterface
    public interface Samples {
        Object of(Class<?> type) throws Exception;
    }

    /** A reflective call with these arguments: a method on a receiver, a static method or a constructor. */
    @FunctionalInterface
    public interface Call {
        Object invoke(Object[] args) throws Exception;
    }

    private final Samples samples;
    private final List<String> failures = new ArrayList<>();
    private int probed;

    public NullArgumentProbe(Samples samples) {
        this.samples = samples;
    }

    /** Whether {@code thrown} is a NullPointerException that names the argument. */
    public static boolean namesTheArgument(Throwable thrown) {
        String message = String.valueOf(thrown.getMessage());
        return thrown instanceof NullPointerException && !message.contains("because")
                && message.matches("[a-zA-Z]+.*");
    }

    /**
     * Calls {@code call} once per reference parameter, with null there and a sample everywhere else (skipping
     * those with a parameter the suite has no sample for), and records every call that does not fail with a
     * NullPointerException naming the argument. {@code after}, if given, runs after every call.
     */
    public void probe(String name, Class<?>[] types, Call call, AutoCloseable after) throws Exception {
        for (int i = 0; i < types.length; i++) {
            if (types[i].isPrimitive()) {
                continue;
            }
            Object[] args = new Object[types.length];
            boolean known = true;
            for (int j = 0; j < types.length; j++) {
                if (j != i) {
                    args[j] = samples.of(types[j]);
                    known &= args[j] != null;
                }
            }
            if (!known) {
                continue;
            }
            probed++;
            String what = name + " argument " + i + " (" + types[i].getSimpleName() + ")";
            try {
                Object result = call.invoke(args);
                failures.add(what + ": accepted null, returned " + result);
                if (result instanceof AutoCloseable c) {
                    c.close();
                }
            } catch (InvocationTargetException e) {
                if (!namesTheArgument(e.getCause())) {
                    failures.add(what + ": " + e.getCause());
                }
            } finally {
                if (after != null) {
                    after.close();
                }
            }
        }
    }

    /** How many calls were made. */
    public int probed() {
        return probed;
    }

    /** Fails listing every call that took null or failed the wrong way. */
    public void assertEveryArgumentNamed() {
        assertTrue(failures.isEmpty(), failures.size() + " call(s) with a null argument:\n" + String.join("\n",
                failures));
    }
}
