package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Period;
import jdk.jfr.StackTrace;

/** Periodic: one per open child pool and per bundle's view of the default pool. */
@Name("org.quiver.ChildPoolStatistics")
@Label("Child Pool Statistics")
@Category({"Quiver", "Memory"})
@Description("The usage of each open child pool and of each bundle's view of the default pool")
@Period("10 s")
@StackTrace(false)
public final class ChildPoolStatisticsEvent extends jdk.jfr.Event {
    @Label("Name")
    @Description("The child pool's name, or the bundle ('bundle com.acme.reader [12]')")
    public String name;

    @Label("Bytes Allocated")
    @DataAmount
    public long bytesAllocated;

    @Label("Peak Bytes Allocated")
    @DataAmount
    public long peakBytesAllocated;

    @Label("Live Buffers")
    public long liveBuffers;

    @Label("Limit")
    @Description("Its limit in bytes, or -1 for none")
    @DataAmount
    public long limit;
}
