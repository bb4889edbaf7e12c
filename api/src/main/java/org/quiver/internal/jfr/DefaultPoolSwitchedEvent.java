package org.quiver.internal.jfr;

import jdk.jfr.Category;
import jdk.jfr.Description;
import jdk.jfr.Label;
import jdk.jfr.Name;
import jdk.jfr.StackTrace;

/** The default pool moved to another backend (or another allocator of the same backend). */
@Name("org.quiver.DefaultPoolSwitched")
@Label("Default Pool Switched")
@Category({"Quiver", "Memory"})
@Description("The backend that serves the default memory pool changed")
@StackTrace(false)
public final class DefaultPoolSwitchedEvent extends jdk.jfr.Event {
    @Label("From")
    @Description("The backend that served before, or null when none did")
    public String from;

    @Label("To")
    @Description("The backend that serves now, or null when none can")
    public String to;

    @Label("Reason")
    @Description("What changed, and why this backend serves now")
    public String reason;
}
