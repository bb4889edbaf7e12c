package org.quiver.io.hdfs.internal;

import java.lang.reflect.Field;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.logging.Level;
import java.util.logging.Logger;

import org.apache.hadoop.util.ShutdownHookManager;

/**
 * What the Hadoop client keeps for the life of its class loader, tamed for a bundle that can stop:
 * <ul>
 * <li>a JVM shutdown hook, which at exit loads more of Hadoop's classes; after the bundle stopped its class loader
 * is gone and the hook would die with a {@code NoClassDefFoundError}. Marking Hadoop's shutdown as begun makes the
 * hook return at once (the clients it would close are closed already);</li>
 * <li>the {@code FileSystem.Statistics} cleaner thread, which runs until interrupted;</li>
 * <li>a warning on every start that Hadoop's optional native library is missing (it is not needed: the client
 * is pure Java here), unless the application configured that logger itself.</li>
 * </ul>
 */
final class HadoopStatics {

    private static final String CLEANER = "org.apache.hadoop.fs.FileSystem$Statistics$StatisticsDataReferenceCleaner";
    /** Held, so that the level sticks (java.util.logging keeps loggers weakly). */
    private static final Logger NATIVE_CODE_LOADER = Logger.getLogger("org.apache.hadoop.util.NativeCodeLoader");

    private HadoopStatics() {
    }

    /** Quiets the native-library warning when nobody configured that logger. */
    static void quietNativeLibraryWarning() {
        if (NATIVE_CODE_LOADER.getLevel() == null) {
            NATIVE_CODE_LOADER.setLevel(Level.SEVERE);
        }
    }

    /** Called when the bundle stops: the shutdown hook and the cleaner thread let go of this class loader. */
    static void release() {
        try {
            Field progress = ShutdownHookManager.class.getDeclaredField("shutdownInProgress");
            progress.setAccessible(true);
            ((AtomicBoolean) progress.get(ShutdownHookManager.get())).set(true);
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            System.getLogger("org.quiver.io.hdfs").log(System.Logger.Level.DEBUG,
                    "Hadoop's shutdown hook could not be disarmed (another Hadoop version?)", e);
        }
        ClassLoader ours = HadoopStatics.class.getClassLoader();
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().equals(CLEANER) && t.getContextClassLoader() == ours) {
                t.interrupt();
            }
        }
    }
}
