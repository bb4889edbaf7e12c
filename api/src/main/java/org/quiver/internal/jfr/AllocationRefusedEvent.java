package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** An allocator could not give a block: out of memory, retired, or it returned a misaligned block. */
@Name("org.quiver.AllocationRefused")
@Label("Allocation Refused")
@Category({"Quiver", "Memory"})
@Description("The allocator backend refused an allocation or reallocation")
public final class AllocationRefusedEvent extends jdk.jfr.Event {
    @Label("Backend")
    public String backend;

    @Label("Size")
    @DataAmount
    public long size;

    @Label("Alignment")
    @DataAmount
    public long alignment;

    @Label("Reason")
    public String reason;
}
