package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** A retired allocator's last block was freed, and the allocator was closed. */
@Name("org.quiver.BackendClosed")
@Label("Backend Closed")
@Category({"Quiver", "Memory"})
@Description("A retired allocator backend freed its last block and was closed")
@StackTrace(false)
public final class BackendClosedEvent extends jdk.jfr.Event {
    @Label("Backend")
    public String backend;
}
