package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.DataAmount;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** An allocator was withdrawn (its bundle stopped, its configuration replaced it); its live buffers stay valid. */
@Name("org.quiver.BackendRetired")
@Label("Backend Retired")
@Category({"Quiver", "Memory"})
@Description("An allocator backend was unregistered; it allocates nothing more and closes after its last free")
@StackTrace(false)
public final class BackendRetiredEvent extends jdk.jfr.Event {
    @Label("Backend")
    public String backend;

    @Label("Bytes Outstanding")
    @Description("Bytes of its blocks still live when it was retired")
    @DataAmount
    public long bytesOutstanding;
}
