package org.quiver.internal.osgi;

import org.apache.felix.service.command.Descriptor;
import org.osgi.service.component.annotations.Component;
import org.quiver.internal.memory.PoolReport;
import org.quiver.memory.MemoryPool;

/**
 * Gogo shell commands of the {@code quiver} scope.
 */
@Component(service = PoolCommands.class, property = {
        "osgi.command.scope=quiver",
        "osgi.command.function=pools",
        "osgi.command.function=stats",
        "osgi.command.function=usepool",
        "osgi.command.function=trim"})
public final class PoolCommands {

    @Descriptor("list the memory pool backends: ranking, default, bytes allocated, peak, availability")
    public String pools() {
        return PoolReport.pools();
    }

    @Descriptor("show the statistics of the default pool and of every backend")
    public String stats() {
        return PoolReport.stats();
    }

    @Descriptor("make a backend serve the default pool (\"ranking\" goes back to service ranking)")
    public String usepool(@Descriptor("backend name: system, jemalloc, mimalloc, or ranking") String name) {
        MemoryPool.setDefault("ranking".equalsIgnoreCase(name) ? (String) null : name);
        return PoolReport.pools();
    }

    @Descriptor("return the default pool's unused memory to the operating system")
    public String trim() {
        MemoryPool.defaultPool().releaseUnused();
        return PoolReport.stats();
    }
}
