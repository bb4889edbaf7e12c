package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Enabled;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.Throttle;

/**
 * A sample of pool allocations with their stack traces, in the spirit of {@code jdk.ObjectAllocationSample}: off
 * by default. When on ({@code jfr configure}, or {@code -XX:StartFlightRecording:...} with
 * {@code +org.quiver.AllocationSample#enabled=true}), one allocation in 64 on average is offered to a throttle of
 * 100 events a second.
 */
@Name("org.quiver.AllocationSample")
@Label("Allocation Sample")
@Category({"Quiver", "Memory"})
@Description("A throttled sample of memory pool allocations, with where they were made")
@Enabled(false)
@Throttle("100/s")
public final class AllocationSampleEvent extends jdk.jfr.Event {
    @Label("Backend")
    public String backend;

    @Label("Size")
    @Description("The bytes asked for (before the 64-byte padding)")
    @DataAmount
    public long size;

    @Label("Alignment")
    @DataAmount
    public long alignment;
}
