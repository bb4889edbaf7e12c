package org.quiver.launcher;

import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.lang.reflect.InvocationTargetException;
import java.net.URISyntaxException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Pattern;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.wiring.BundleCapability;
import org.osgi.framework.wiring.BundleRevision;

/**
 * Boots an OSGi framework (Apache Felix, configured and provisioned by Felix Main's own code, see {@link Platform})
 * with every bundle of the distribution's {@code bundle/} folder.
 *
 * <ul>
 * <li>No argument: the Gogo shell ({@code g!} prompt) on the persistent state in {@code data/} (or
 * {@code QUIVER_DATA}, see {@link DataFolder}), logging to the log folder ({@link Logs}). The JVM exits when the
 * framework stops (the shell stops it when its input ends).</li>
 * <li>{@code server}: the same platform without a console; SIGTERM, SIGINT or SIGHUP stop the framework cleanly
 * and the JVM exits 0.</li>
 * <li>{@code clean}: removes the persistent state (a running platform holds its lock and is not disturbed).</li>
 * <li>Any other arguments: a single command, for example {@code pools}, {@code stats}, {@code usepool system} or
 * {@code lb}, in a framework of its own in a temporary folder that is removed at the end; a command without a
 * scope is looked up in the {@code quiver} scope first, then in any other. The Gogo shell bundle is not started;
 * the launcher waits for the {@code quiver} commands (registered asynchronously by Declarative Services), runs the
 * command through the Gogo {@code CommandProcessor}, prints its result on stdout and exits 0, or prints the error
 * on stderr and exits 1. A command whose effect would outlive it in the shell ({@code usepool}, {@code limit} ...)
 * says on stderr that here it ends with the process.</li>
 * <li>{@code help}, {@code -h}, {@code --help}: the usage, without starting the framework; {@code help COMMAND}
 * runs Gogo's help for that command.</li>
 * </ul>
 * The framework's own log goes to standard error (and to the log folder in the shell and the server), so that
 * standard output is the command's result only.
 *
 * The class path holds only the framework, so the Gogo API is used reflectively, through the classes of the
 * bundle that registered the command processor.
 */
public final class Main {

    /**
     * The process's own streams, taken before the framework starts: Gogo's runtime replaces System.out and
     * System.err with per-thread streams that forward to the session's, so handing those to a session would
     * make a command that writes to System.err forward to itself until the stack overflows.
     */
    private static final java.io.PrintStream STDOUT = System.out;
    private static final java.io.PrintStream STDERR = System.err;

    static final String COMMAND_SCOPE = "quiver";
    static final String SHELL_BSN = "org.apache.felix.gogo.shell";

    private static final String PROCESSOR = "org.apache.felix.service.command.CommandProcessor";
    private static final String SESSION = "org.apache.felix.service.command.CommandSession";
    private static final String ALLOCATOR = "org.quiver.memory.spi.Allocator";
    private static final String MEMORY_POOL = "org.quiver.memory.MemoryPool";
    private static final Pattern PLAIN_TOKEN = Pattern.compile("[A-Za-z0-9_.:/=+,@%^~-]+");

    private Main() {
    }

    public static void main(String[] args) {
        int status;
        try {
            status = run(args);
        } catch (LaunchException e) {
            System.err.println("quiver: " + e.getMessage());
            status = 1;
        } catch (Exception | LinkageError e) {
            // A signal stops the framework under a running command, which then fails in ways that say nothing
            // to the user (a stale BundleContext, a class of a stopped bundle): the exit status says it all.
            if (!RunFolder.signalled()) {
                System.err.println("quiver: unexpected failure: " + e);
                e.printStackTrace(System.err);
            }
            status = 1;
        }
        System.out.flush();
        System.err.flush();
        // Felix, SCR and Gogo leave non-daemon threads behind. The run's folder is gone already (run's finally).
        System.exit(RunFolder.signalled() ? RunFolder.signalStatus() : status);
    }

    static int run(String[] args) throws Exception {
        if (args.length == 1 && (args[0].equals("-h") || args[0].equals("--help") || args[0].equals("help"))) {
            System.out.print(usage());
            return 0;
        }
        Path home = home();
        if (!Files.isDirectory(home.resolve("bundle"))) {
            throw new LaunchException("no bundle folder at " + home.resolve("bundle")
                    + " (set -Dquiver.home to the distribution folder)");
        }
        if (args.length == 1 && args[0].equals("clean")) {
            return DataFolder.clean(home);
        }
        if (args.length == 0 || (args.length == 1 && args[0].equals("server"))) {
            return runPlatform(home, args.length == 0);
        }
        // One command: a throwaway framework in a temporary folder, never the platform's data/.
        try (RunFolder folder = RunFolder.create()) {
            Framework framework = Platform.start(home, folder.frameworkStorage(), true, folder);
            return execute(framework.getBundleContext(), args, Platform.allStarted(framework));
        }
    }

    /**
     * The shell ({@code interactive}) or the headless server, on the persistent data folder: what was installed
     * and configured stays for the next start. The server has no console, logs to the log folder, and stops cleanly
     * on SIGTERM or SIGINT with status 0; the shell ends with its input (Ctrl-D) or a signal.
     */
    private static int runPlatform(Path home, boolean interactive) throws Exception {
        DataFolder data = DataFolder.lock(home);
        Logs.toFolder(data.log());
        try (RunFolder run = RunFolder.forPlatform(interactive ? RunFolder.SIGNAL_STATUS : 0)) {
            Map<String, String> config = Platform.configuration(home);
            ConsoleLogin.Login login = ConsoleLogin.prepare(home, data.folder(), config);
            if (login.hashed() != null) {
                config.put(ConsoleLogin.PASSWORD_PROPERTY, login.hashed());
            }
            if (login.weak()) {
                System.err.println("quiver: warning: web console " + login.said());
            }
            if (login.made()) {
                System.err.println("quiver: web console password generated for this data folder (" + login.said()
                        + "; to choose yours, set password in etc/" + ConsoleLogin.CONFIGURATION + ")");
            }
            Framework framework = Platform.start(home, config, data.cache(), false, run);
            BundleContext context = framework.getBundleContext();
            System.Logger log = System.getLogger("org.quiver.launcher");
            log.log(System.Logger.Level.INFO, (interactive ? "shell" : "server") + " started (process "
                    + ProcessHandle.current().pid() + "): " + context.getBundles().length + " bundles, data "
                    + data.folder() + ", configuration " + home.resolve("etc") + ", deploy " + home.resolve("deploy")
                    + ", web console " + login.said());
            if (interactive) {
                // The shell last (start level 4), once the commands are there, so a first command finds them.
                try {
                    awaitCommands(context, Platform.allStarted(framework));
                } catch (LaunchException e) {
                    System.err.println("quiver: " + e.getMessage());
                }
                Platform.raise(framework, Platform.SHELL_LEVEL);
            } else {
                Platform.raise(framework, Platform.WEB_LEVEL);
                String console = Platform.webConsole(context);
                System.err.println("quiver: platform running headless: data " + data.folder() + ", log "
                        + data.log().resolve(Logs.FILE) + ", web console " + (console == null ? "not started"
                                : console + "quiver (" + login.said() + ")") + "; stop it with SIGTERM (kill "
                        + ProcessHandle.current().pid() + ")");
            }
            framework.waitForStop(0);
            return 0;
        }
    }

    /** The distribution folder: {@code -Dquiver.home}, else the parent of the launcher jar's folder (lib/). */
    static Path home() throws URISyntaxException {
        String property = System.getProperty("quiver.home");
        if (property != null && !property.isBlank()) {
            return Path.of(property).toAbsolutePath();
        }
        Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
        return jar.toAbsolutePath().getParent().getParent();
    }

    /** Runs one command line through the Gogo command processor; returns the exit status. */
    static int execute(BundleContext context, String[] args, boolean allStarted) throws Exception {
        Commands ready = awaitCommands(context, allStarted);
        ServiceReference<?> processorRef = ready.processor();

        String line = commandLine(args);
        Bundle gogo = processorRef.getBundle();
        Class<?> processorType = gogo.loadClass(PROCESSOR);
        Class<?> sessionType = gogo.loadClass(SESSION);
        Object processor = context.getService(processorRef);
        if (processor == null) {
            throw new LaunchException("the Gogo command processor went away");
        }
        try {
            Object session = processorType
                    .getMethod("createSession", InputStream.class, OutputStream.class, OutputStream.class)
                    .invoke(processor, InputStream.nullInputStream(), unclosable(STDOUT),
                            unclosable(STDERR));
            try {
                // A command without a scope: Quiver's first (start and stop take symbolic names), then any other
                // (felix:lb ...). Gogo's own scope is not there: the shell bundle is not started in this mode.
                sessionType.getMethod("put", String.class, Object.class).invoke(session, "SCOPE",
                        COMMAND_SCOPE + ":*");
                Object result;
                try {
                    result = sessionType.getMethod("execute", CharSequence.class).invoke(session, line);
                } catch (InvocationTargetException e) {
                    if (!RunFolder.signalled()) { // see main: after a signal, the exit status is the message
                        System.err.println("quiver: " + failure(e.getCause(), line, context));
                    }
                    return 1;
                }
                if (result != null) {
                    CharSequence text = result instanceof CharSequence cs ? cs
                            : (CharSequence) sessionType.getMethod("format", Object.class, int.class)
                                    .invoke(session, result, 0 /* Converter.INSPECT */);
                    System.out.print(text);
                    if (text.length() > 0 && text.charAt(text.length() - 1) != '\n') {
                        System.out.println();
                    }
                }
                System.out.flush();
                String note = oneCommandNote(args);
                if (note != null) {
                    System.err.println("quiver: note: " + note);
                }
                return 0;
            } finally {
                sessionType.getMethod("close").invoke(session);
            }
        } finally {
            context.ungetService(processorRef);
        }
    }

    /** The command service of the quiver scope and Gogo's command processor. */
    record Commands(ServiceReference<?> commands, ServiceReference<?> processor) {
    }

    /**
     * Waits (up to {@code -Dquiver.timeout.ms}, 10 s) for the quiver commands and Gogo's command processor, which
     * SCR and Gogo register asynchronously, then for the services the bundles advertise.
     */
    static Commands awaitCommands(BundleContext context, boolean allStarted) throws Exception {
        long timeoutMillis = Long.getLong("quiver.timeout.ms", 10_000);
        long deadline = System.nanoTime() + timeoutMillis * 1_000_000;
        ServiceReference<?> commands = awaitService(context, null,
                "(osgi.command.scope=" + COMMAND_SCOPE + ")", deadline);
        ServiceReference<?> processorRef = commands == null ? null : awaitService(context, PROCESSOR, null, deadline);
        if (commands == null || processorRef == null) {
            StringBuilder message = new StringBuilder(commands == null
                    ? "the quiver commands did not appear within " + timeoutMillis + " ms"
                    : "the Gogo command processor did not appear within " + timeoutMillis + " ms");
            if (!allStarted) {
                message.append(" (some bundles failed to start, see above)");
            }
            for (Bundle b : context.getBundles()) {
                boolean fragment = b.getHeaders().get(Constants.FRAGMENT_HOST) != null;
                if (b.getBundleId() != 0 && b.getState() != Bundle.ACTIVE && !fragment
                        && !SHELL_BSN.equals(b.getSymbolicName())) {
                    message.append("\n  bundle ").append(b.getSymbolicName()).append(' ').append(b.getVersion())
                            .append(" is ").append(stateName(b.getState()));
                }
            }
            throw new LaunchException(message.toString());
        }

        for (String missing : awaitAdvertisedServices(context, deadline)) {
            System.err.println("quiver: note: after " + timeoutMillis + " ms still no " + missing + "; going on");
        }
        return new Commands(commands, processorRef);
    }

    /** The Gogo command line: the arguments, odd ones quoted. */
    static String commandLine(String[] args) {
        StringBuilder line = new StringBuilder();
        for (int i = 0; i < args.length; i++) {
            if (i > 0) {
                line.append(' ');
            }
            line.append(quote(args[i]));
        }
        return line.toString();
    }

    /**
     * For a command that changes the running platform, which in one-command mode ends with it, what to do
     * instead; null for the others. In the shell these changes last as long as the shell.
     */
    static String oneCommandNote(String[] args) {
        String command = args[0].startsWith(COMMAND_SCOPE + ":") ? args[0].substring(COMMAND_SCOPE.length() + 1)
                : args[0];
        String ends = " this process only, and it ends now: nothing outlives the command. ";
        return switch (command) {
            case "usepool" -> "usepool changed the default pool of" + ends + "To choose the pool for every run, set "
                    + "QUIVER_DEFAULT_MEMORY_POOL (or -Dquiver.memory.pool in QUIVER_OPTS); to switch while running, "
                    + "use the shell (quiver without arguments).";
            case "limit" -> "limit changed a bundle's limit in" + ends + "For every run, set "
                    + "-Dquiver.bundle.limit.<symbolic name>=<size> in QUIVER_OPTS, or use the shell.";
            case "option" -> args.length > 2 ? "option changed a backend's setting in" + ends + "For every run, "
                    + "set its system property in QUIVER_OPTS (README, Backend settings), or use the shell." : null;
            case "safety" -> args.length > 1 ? "safety changed what is guarded against a racing close in" + ends
                    + "For every run, set -Dquiver.memory.closeSafety=none|large|all (and "
                    + "-Dquiver.memory.closeSafety.largeSize) in QUIVER_OPTS, or use the shell." : null;
            case "start", "stop" -> command + " changed a bundle's state in" + ends + "Use the shell (quiver "
                    + "without arguments).";
            default -> null;
        };
    }

    private static String quote(String token) {
        if (PLAIN_TOKEN.matcher(token).matches()) {
            return token;
        }
        if (token.indexOf('\'') < 0) {
            return "'" + token + "'";
        }
        return '"' + token.replace("\\", "\\\\").replace("\"", "\\\"").replace("$", "\\$") + '"';
    }

    /** A readable message for a failed command. */
    private static String failure(Throwable cause, String line, BundleContext context) {
        // Gogo calls commands reflectively: the user wants the command's own exception, not the wrappers.
        while (cause instanceof InvocationTargetException && cause.getCause() != null) {
            cause = cause.getCause();
        }
        String message = cause.getMessage() == null ? cause.toString() : cause.getMessage();
        if (cause.getClass().getSimpleName().equals("CommandNotFoundException")
                || message.startsWith("Command not found")) {
            String name = line.split(" ", 2)[0];
            return "unknown command '" + name + "'. The quiver commands are: "
                    + String.join(", ", functions(context)) + "; the shell's others (lb, headers ...) work too;"
                    + " quiver --help says more.";
        }
        if (message.startsWith("Cannot coerce")) {
            message += " (wrong number or kind of arguments; see quiver --help)";
        }
        return line + ": " + message;
    }

    /** The functions of every service of the quiver scope (pools, files ...). */
    private static TreeSet<String> functions(BundleContext context) {
        TreeSet<String> names = new TreeSet<>();
        try {
            ServiceReference<?>[] all = context.getServiceReferences((String) null,
                    "(osgi.command.scope=" + COMMAND_SCOPE + ")");
            for (ServiceReference<?> commands : all == null ? new ServiceReference<?>[0] : all) {
                names.addAll(functions(commands));
            }
        } catch (org.osgi.framework.InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        return names;
    }

    private static TreeSet<String> functions(ServiceReference<?> commands) {
        TreeSet<String> names = new TreeSet<>();
        Object value = commands.getProperty("osgi.command.function");
        if (value instanceof String[] array) {
            names.addAll(Arrays.asList(array));
        } else if (value instanceof Iterable<?> iterable) {
            iterable.forEach(v -> names.add(String.valueOf(v)));
        } else if (value != null) {
            names.add(String.valueOf(value));
        }
        return names;
    }

    /**
     * Waits until every started bundle has registered the services it advertises ({@code Provide-Capability:
     * osgi.service}, which bnd writes for Declarative Services components), so that a command does not run
     * while SCR is still activating another bundle's components (the {@code quiver} commands can appear before
     * a backend's allocator). Then, if an allocator is registered, until the API has published the default
     * {@code MemoryPool}, which it does once it has bound an allocator. Returns what is still missing at the
     * deadline.
     */
    static List<String> awaitAdvertisedServices(BundleContext context, long deadline) throws InterruptedException {
        while (true) {
            List<String> missing = new ArrayList<>();
            for (Bundle b : context.getBundles()) {
                if (b.getBundleId() == 0 || b.getState() != Bundle.ACTIVE) {
                    continue;
                }
                BundleRevision revision = b.adapt(BundleRevision.class);
                if (revision == null) {
                    continue;
                }
                for (BundleCapability c : revision.getDeclaredCapabilities("osgi.service")) {
                    for (String type : objectClasses(c.getAttributes().get(Constants.OBJECTCLASS))) {
                        if (!registers(b, type)) {
                            missing.add("the service " + type + " of bundle " + b.getSymbolicName());
                        }
                    }
                }
            }
            if (missing.isEmpty() && context.getServiceReference(ALLOCATOR) != null
                    && context.getServiceReference(MEMORY_POOL) == null) {
                missing.add("the service " + MEMORY_POOL);
            }
            if (missing.isEmpty() || System.nanoTime() - deadline > 0) {
                return missing;
            }
            Thread.sleep(20);
        }
    }

    private static List<String> objectClasses(Object attribute) {
        if (attribute instanceof List<?> list) {
            return list.stream().map(String::valueOf).toList();
        }
        if (attribute instanceof String[] array) {
            return List.of(array);
        }
        return attribute == null ? List.of() : List.of(String.valueOf(attribute));
    }

    private static boolean registers(Bundle bundle, String type) {
        ServiceReference<?>[] refs = bundle.getRegisteredServices();
        if (refs != null) {
            for (ServiceReference<?> ref : refs) {
                if (ref.getProperty(Constants.OBJECTCLASS) instanceof String[] classes
                        && Arrays.asList(classes).contains(type)) {
                    return true;
                }
            }
        }
        return false;
    }

    /** Polls for a service (SCR registers components asynchronously); null on timeout. */
    /** The first service of {@code type} matching {@code filter}, waited for with a tracker until the deadline. */
    private static ServiceReference<?> awaitService(BundleContext context, String type, String filter,
            long deadline) throws InvalidSyntaxException, InterruptedException {
        String match = type == null ? filter : filter == null ? "(" + Constants.OBJECTCLASS + "=" + type + ")"
                : "(&(" + Constants.OBJECTCLASS + "=" + type + ")" + filter + ")";
        org.osgi.util.tracker.ServiceTracker<?, ?> tracker = new org.osgi.util.tracker.ServiceTracker<>(context,
                context.createFilter(match), null);
        tracker.open(true);
        try {
            long millis = Math.max(1, (deadline - System.nanoTime()) / 1_000_000);
            return tracker.waitForService(millis) == null ? null : tracker.getServiceReference();
        } finally {
            tracker.close();
        }
    }

    /**
     * The temporary folder of one run, which holds the framework's cache (about 100 MB: every bundle, unpacked,
     * with its native libraries), and the framework that uses it. Closing it stops the framework and deletes
     * the folder; it closes at the end of {@link #run} whatever way the run ends, before the JVM exits, so no
     * shutdown hook is needed for it. On SIGINT, SIGTERM and SIGHUP it closes in the signal's handler, before
     * the JVM runs its shutdown hooks: the JVM stops starting hooks at the first hook whose {@code start()}
     * throws (Hadoop's did, at every exit, once its bundle had stopped), so a hook of ours might never run. A
     * shutdown hook remains only for an exit that comes neither way ({@code System.exit} from a bundle). A
     * second signal during the clean-up exits at once.
     */
    static final class RunFolder implements AutoCloseable {

        /** As the exit status on a signal: the shell's convention, 128 + the signal's number. */
        static final int SIGNAL_STATUS = -1;

        private static volatile int signal;
        private static volatile int exitOnSignal;

        /** The temporary folder to remove, or null (the platform's data folder stays). */
        private final Path folder;
        private final int statusOnSignal;
        private Framework framework;
        private boolean closed;

        private RunFolder(Path folder, int statusOnSignal) {
            this.folder = folder;
            this.statusOnSignal = statusOnSignal;
        }

        /** A temporary folder for one command's framework, removed at the end, also on a signal. */
        static RunFolder create() throws IOException {
            return handlingSignals(new RunFolder(Files.createTempDirectory("quiver-run-"), SIGNAL_STATUS));
        }

        /**
         * No folder of its own (the platform keeps its data): a signal stops the framework cleanly and exits with
         * {@code statusOnSignal} ({@link #SIGNAL_STATUS} for 128 + the signal's number).
         */
        static RunFolder forPlatform(int statusOnSignal) {
            return handlingSignals(new RunFolder(null, statusOnSignal));
        }

        private static RunFolder handlingSignals(RunFolder run) {
            // sun.misc.Signal (module jdk.unsupported, open to the class path without flags) is the JDK's only way
            // to act on a signal before the shutdown hooks run.
            for (String name : List.of("INT", "TERM", "HUP")) {
                try {
                    sun.misc.Signal.handle(new sun.misc.Signal(name), run::onSignal);
                } catch (IllegalArgumentException | UnsupportedOperationException e) {
                    // The JVM keeps this signal (-Xrs) or the platform lacks it: the shutdown hook covers it.
                }
            }
            Runtime.getRuntime().addShutdownHook(new Thread(run::close, "quiver-run-folder"));
            return run;
        }

        /** Where the framework keeps its cache. */
        Path frameworkStorage() {
            return folder.resolve("felix-cache");
        }

        /** The framework to stop before the folder goes. */
        synchronized void stopsWithIt(Framework f) {
            this.framework = f;
        }

        /** Whether a signal ended the run. */
        static boolean signalled() {
            return signal != 0;
        }

        /** The exit status after a signal: 128 + its number (the shell's convention), or the server's 0. */
        static int signalStatus() {
            return exitOnSignal;
        }

        private void onSignal(sun.misc.Signal s) {
            if (signal != 0) {
                Runtime.getRuntime().halt(128 + s.getNumber());
            }
            exitOnSignal = statusOnSignal == SIGNAL_STATUS ? 128 + s.getNumber() : statusOnSignal;
            signal = s.getNumber();
            close();
            System.exit(exitOnSignal);
        }

        @Override
        public synchronized void close() {
            if (closed) {
                return;
            }
            closed = true;
            if (framework != null) {
                boolean logged = Logs.toFolder() && framework.getState() == Bundle.ACTIVE;
                if (logged) { // while the log is open: a signal's exit closes it right after this
                    System.getLogger("org.quiver.launcher").log(System.Logger.Level.INFO, "stopping"
                            + (signal != 0 ? " on signal " + signal : ""));
                }
                stop(framework);
                if (logged) {
                    System.getLogger("org.quiver.launcher").log(System.Logger.Level.INFO, "stopped");
                }
            }
            if (folder != null) {
                deleteTree(folder);
            }
        }
    }

    private static void stop(Framework framework) {
        try {
            if ((framework.getState() & (Bundle.STARTING | Bundle.ACTIVE | Bundle.STOPPING)) != 0) {
                framework.stop();
                framework.waitForStop(10_000);
            }
        } catch (BundleException | InterruptedException | RuntimeException e) {
            System.err.println("quiver: stopping the framework failed: " + e);
        }
    }

    static void deleteTree(Path dir) {
        if (!Files.exists(dir)) {
            return;
        }
        try {
            Files.walkFileTree(dir, new SimpleFileVisitor<>() {
                @Override
                public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                    Files.deleteIfExists(file);
                    return FileVisitResult.CONTINUE;
                }

                @Override
                public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
                    Files.deleteIfExists(d);
                    return FileVisitResult.CONTINUE;
                }
            });
        } catch (IOException | UncheckedIOException e) {
            System.err.println("quiver: could not remove the run's temporary folder " + dir + ": " + e);
        }
    }

    private static OutputStream unclosable(OutputStream out) {
        return new FilterOutputStream(out) {
            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
            }

            @Override
            public void close() throws IOException {
                flush();
            }
        };
    }

    private static String stateName(int state) {
        return switch (state) {
            case Bundle.UNINSTALLED -> "UNINSTALLED";
            case Bundle.INSTALLED -> "INSTALLED (not resolved)";
            case Bundle.RESOLVED -> "RESOLVED (not started)";
            case Bundle.STARTING -> "STARTING";
            case Bundle.STOPPING -> "STOPPING";
            case Bundle.ACTIVE -> "ACTIVE";
            default -> Integer.toString(state);
        };
    }

    /** The usage; LauncherIT checks that it names every command of the quiver scope. */
    static String usage() {
        return """
                usage: quiver                  open the shell (g! prompt; help lists every command, Ctrl-D leaves)
                       quiver server           run the platform headless (logs in log/, stops on SIGTERM)
                       quiver COMMAND [ARG...] run one command and exit: 0, or 1 with the error on standard error
                       quiver help [COMMAND]   this text, or a command's parameters

                commands (quiver scope; in the shell too):
                  pools                      the memory pool backends: ranking, default, bytes, peak, status
                  stats                      statistics of the default pool, every backend and every bundle
                  usepool NAME               make backend NAME serve the default pool ("ranking" resets) *
                  trim [BACKEND]             return unused memory to the OS: the default pool's, or BACKEND's
                  option BACKEND             a backend's library, version and tuning
                  option BACKEND NAME VALUE  change a backend's tuning, e.g. option jemalloc dirty_decay_ms 0 *
                  limit BUNDLE SIZE|none     limit what a bundle (symbolic name) may hold: 64m, 2g, none *
                  safety [LEVEL [SIZE]]      what is guarded against a racing close: none, large (from SIZE,
                                             default 1m, and maps), all *
                  cat SRC                    print a file or URI, decompressed by its extension (.gz .zst ...)
                  cp SRC DST                 copy between paths or URIs, re-compressing by each extension
                  start BUNDLE...            start bundles, by symbolic name or id *
                  stop BUNDLE...             stop bundles, by symbolic name or id *
                A command without a scope is looked up in the quiver scope first, then in the others: the shell's
                own commands work too (lb, headers ID, scr:list ...).
                * changes the running platform: in one command it ends with the process, in the shell it lasts.
                  To choose the pool for every run: default.pool in etc/org.quiver.memory.cfg (applied
                  while a platform runs too), or QUIVER_DEFAULT_MEMORY_POOL=NAME.

                the platform (persistent state in data/, or QUIVER_DATA; log in log/):
                  quiver                     the shell, as above
                  quiver server              headless; SIGTERM stops it cleanly (status 0)
                  quiver clean               forget the bundles installed and configurations made while it ran
                etc/*.cfg apply at start and when edited; bundles dropped in deploy/ are installed and started.
                The server and the shell serve the web console: http://127.0.0.1:8181/system/console/quiver,
                user admin, password generated at the first start in data/webconsole.password.
                """;
    }

    /**
     * Felix's log on standard error (Felix writes it to standard output): in one-command mode standard output is
     * the command's result, and a script reading it must not get the framework's errors mixed in.
     */
    static final class FrameworkLog extends org.apache.felix.framework.Logger {
        @Override
        protected void doLogOut(int level, String message, Throwable throwable) {
            if (Logs.toFolder()) {
                java.util.logging.Logger.getLogger("org.apache.felix.framework").log(switch (level) {
                    case LOG_ERROR -> java.util.logging.Level.SEVERE;
                    case LOG_WARNING -> java.util.logging.Level.WARNING;
                    case LOG_INFO -> java.util.logging.Level.INFO;
                    default -> java.util.logging.Level.FINE;
                }, message, throwable);
                return;
            }
            String prefix = switch (level) {
                case LOG_ERROR -> "ERROR: ";
                case LOG_WARNING -> "WARNING: ";
                case LOG_INFO -> "INFO: ";
                default -> "DEBUG: ";
            };
            synchronized (STDERR) {
                STDERR.println(prefix + message);
                if (throwable != null) {
                    Throwable shown = throwable instanceof BundleException && throwable.getCause() != null
                            ? throwable.getCause() : throwable;
                    shown.printStackTrace(STDERR);
                }
            }
        }
    }

    /** A failure with a message meant for the user (no stack trace). */
    static final class LaunchException extends IOException {
        private static final long serialVersionUID = 1L;

        LaunchException(String message) {
            super(message);
        }
    }
}
