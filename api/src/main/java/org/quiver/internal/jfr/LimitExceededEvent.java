package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;

/** An allocation was refused because it would exceed a pool's limit. The stack trace shows who asked. */
@Name("org.quiver.LimitExceeded")
@Label("Memory Limit Exceeded")
@Category({"Quiver", "Memory"})
@Description("An allocation or growth was refused because it would exceed a pool's limit")
public final class LimitExceededEvent extends jdk.jfr.Event {
    @Label("Pool")
    @Description("The bundle, child pool or capped pool whose limit it is")
    public String pool;

    @Label("Requested")
    @DataAmount
    public long requested;

    @Label("Allocated")
    @Description("Bytes the pool held when it refused")
    @DataAmount
    public long allocated;

    @Label("Limit")
    @DataAmount
    public long limit;
}
