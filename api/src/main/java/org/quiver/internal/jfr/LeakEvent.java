package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A leak was found: a buffer collected unclosed, or a bundle or child pool that went away with live buffers. */
@Name("org.quiver.Leak")
@Label("Memory Leak")
@Category({"Quiver", "Memory"})
@Description("A buffer was garbage collected without being closed, or a consumer went away with live buffers")
@StackTrace(false)
public final class LeakEvent extends jdk.jfr.Event {
    @Label("Owner")
    @Description("The bundle or child pool that held the buffers, or null for a collected buffer")
    public String owner;

    @Label("Backend")
    @Description("The backend the memory came from (several, comma-separated, for a consumer)")
    public String backend;

    @Label("Buffers")
    public long buffers;

    @Label("Bytes")
    @DataAmount
    public long bytes;

    @Label("Allocation Site")
    @Description("Where the buffers were allocated (leak detection level paranoid), or null")
    public String allocationSite;
}
