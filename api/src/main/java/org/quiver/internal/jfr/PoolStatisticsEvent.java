package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Periodic: one per registered backend. */
@Name("org.quiver.PoolStatistics")
@Label("Memory Pool Statistics")
@Category({"Quiver", "Memory"})
@Description("The counters of each allocator backend")
@Period("10 s")
@StackTrace(false)
public final class PoolStatisticsEvent extends jdk.jfr.Event {
    @Label("Backend")
    public String backend;

    @Label("Default")
    @Description("Whether it serves the default pool")
    public boolean isDefault;

    @Label("Bytes Allocated")
    @DataAmount
    public long bytesAllocated;

    @Label("Peak Bytes Allocated")
    @DataAmount
    public long peakBytesAllocated;

    @Label("Cumulative Bytes Allocated")
    @DataAmount
    public long cumulativeBytesAllocated;

    @Label("Allocations")
    public long allocations;

    @Label("Bytes Cached")
    @Description("Freed blocks kept in the threads' caches")
    @DataAmount
    public long bytesCached;
}
