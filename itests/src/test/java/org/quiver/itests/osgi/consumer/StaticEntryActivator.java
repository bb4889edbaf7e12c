package org.quiver.itests.osgi.consumer;

import java.util.Hashtable;
import java.util.function.Function;

import org.osgi.framework.BundleActivator;
import org.osgi.framework.BundleContext;
import org.quiver.memory.Buffer;
import org.quiver.memory.MemoryPool;

/**
 * The activator of a bundle the integration tests build at run time: a bundle with code of its own that allocates
 * only through the static entry points, as the README's first example does. It registers a
 * {@code Function<String, Object>} the test drives: {@code "defaultPool <bytes>"} allocates through
 * {@code MemoryPool.defaultPool()}, {@code "allocate <bytes>"} through {@code Buffer.allocate}, and
 * {@code "pool"} returns the pool the bundle sees. The buffers are returned to the test, which closes them.
 */
public final class StaticEntryActivator implements BundleActivator {

    @Override
    public void start(BundleContext context) {
        Function<String, Object> commands = command -> {
            String[] words = command.split(" ");
            return switch (words[0]) {
                case "defaultPool" -> MemoryPool.defaultPool().allocate(Long.parseLong(words[1]));
                case "allocate" -> Buffer.allocate(Long.parseLong(words[1]));
                case "pool" -> MemoryPool.defaultPool();
                default -> throw new IllegalArgumentException("unknown command: " + command);
            };
        };
        Hashtable<String, Object> properties = new Hashtable<>();
        properties.put("itest", "static-entry");
        context.registerService(Function.class, commands, properties);
    }

    @Override
    public void stop(BundleContext context) {
    }
}
