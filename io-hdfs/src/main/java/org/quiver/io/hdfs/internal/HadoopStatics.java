package org.quiver.io.hdfs.internal;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.hadoop.util.ShutdownHookManager;
import org.apache.hadoop.util.concurrent.SubjectInheritingThread;

/**
 * What the Hadoop client keeps for the life of its class loader, tamed for a bundle that can stop:
 * <ul>
 * <li>a JVM shutdown hook (a {@link SubjectInheritingThread} that {@link ShutdownHookManager} registers when it is
 * first used). At exit the JVM calls its {@code start()}, which reads a class Hadoop had not needed before
 * ({@code SubjectUtil}); after the bundle stopped, its class loader can no longer load it, {@code start()} throws
 * {@code NoClassDefFoundError}, and that ends the JVM's loop over the shutdown hooks: every hook not yet started
 * never runs (the launcher's removal of its framework cache was one; 106 MB were left per run). So while the class
 * loader still works, {@link #release()} starts one such thread itself (which links what {@code start()} and
 * {@code run()} need), drops Hadoop's own hooks (the clients they would close are closed already), marks Hadoop's
 * shutdown as begun (the hook then returns at once) and quiets the one line the hook would log;</li>
 * <li>the {@code QuiverFileSystem.Statistics} cleaner thread, which runs until interrupted;</li>
 * <li>a warning on every start that Hadoop's optional native library is missing (it is not needed: the client
 * is pure Java here), unless the application configured that logger itself.</li>
 * </ul>
 */
final class HadoopStatics {

    private static final String CLEANER = "org.apache.hadoop.fs.FileSystem$Statistics$StatisticsDataReferenceCleaner";
    /** Held, so that the levels stick (java.util.logging keeps loggers weakly). */
    private static final Logger NATIVE_CODE_LOADER = Logger.getLogger("org.apache.hadoop.util.NativeCodeLoader");
    private static final Logger SHUTDOWN_HOOK_MANAGER = Logger.getLogger(ShutdownHookManager.class.getName());
    private static final System.Logger LOG = System.getLogger("org.quiver.io.hdfs");

    /** Whether a Hadoop client was made in this class loader (only then can Hadoop's hook be registered). */
    private static volatile boolean clientMade;

    private HadoopStatics() {
    }

    /** Quiets the native-library warning when nobody configured that logger. */
    static void quietNativeLibraryWarning() {
        if (NATIVE_CODE_LOADER.getLevel() == null) {
            NATIVE_CODE_LOADER.setLevel(Level.SEVERE);
        }
    }

    /** A Hadoop client is about to be made: from now on Hadoop may have registered its shutdown hook. */
    static void clientMade() {
        clientMade = true;
    }

    /** Called when the bundle stops: the shutdown hook and the cleaner thread let go of this class loader. */
    static void release() {
        if (clientMade) {
            // Without a client, ShutdownHookManager was never initialised: touching it now would register the hook.
            disarmShutdownHook();
        }
        ClassLoader ours = HadoopStatics.class.getClassLoader();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(CLEANER) && t.getContextClassLoader() == ours) {
                t.interrupt();
            }
        }
    }

    /** Held: the logger that swallows the line {@link #linkLogging} logs. */
    private static final Logger LINK = Logger.getLogger("org.quiver.io.hdfs.internal.link");

    /**
     * Logs one INFO line through SLF4J, to nowhere, while this class loader still works: the hook's line at exit may
     * still be logged (java.util.logging's own shutdown resets the level set above, and races the hook), and SLF4J
     * 2 (a framework's, which this bundle prefers to its own 1.7) loads the classes of an INFO line only then, from a
     * bundle that is gone: {@code NoClassDefFoundError: org/slf4j/event/Level}, measured in the distribution.
     */
    private static void linkLogging() throws ReflectiveOperationException {
        LINK.setUseParentHandlers(false);
        LINK.setLevel(Level.ALL);
        // By reflection, through Hadoop's class loader: the SLF4J Hadoop logs with (the module path has no SLF4J
        // of its own to read, and needs none of this).
        Class<?> factory = Class.forName("org.slf4j.LoggerFactory", true, ShutdownHookManager.class.getClassLoader());
        Object logger = factory.getMethod("getLogger", String.class).invoke(null, LINK.getName());
        Class<?> type = Class.forName("org.slf4j.Logger", true, ShutdownHookManager.class.getClassLoader());
        type.getMethod("info", String.class).invoke(logger, "linking the classes of an INFO line");
        type.getMethod("info", String.class, Object.class).invoke(logger, "linking the classes of an INFO line with {}",
                "an argument");
    }

    private static void disarmShutdownHook() {
        try {
            // The JVM starts the hook after this class loader is closed: link now what start() and run() load.
            Thread linker = new SubjectInheritingThread(() -> { }, "quiver-hdfs-link-shutdown-hook");
            linker.setDaemon(true);
            linker.start();
            linker.join(10_000);
            ShutdownHookManager manager = ShutdownHookManager.get();
            manager.clearShutdownHooks();
            Field progress = ShutdownHookManager.class.getDeclaredField("shutdownInProgress");
            progress.setAccessible(true);
            ((AtomicBoolean) progress.get(manager)).set(true);
            // The hook then logs "Shutdown process invoked a second time: ignoring" at INFO: not worth a line at exit.
            if (SHUTDOWN_HOOK_MANAGER.getLevel() == null) {
                SHUTDOWN_HOOK_MANAGER.setLevel(Level.WARNING);
            }
            linkLogging();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            LOG.log(System.Logger.Level.WARNING, "Hadoop's shutdown hook could not be disarmed (another Hadoop "
                    + "version?): it may fail at exit and keep other shutdown hooks from running", e);
        }
    }
}
