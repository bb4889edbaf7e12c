/**
 * Quiver's JDK Flight Recorder events, all named {@code org.quiver.*} in the category "Quiver": what an operator
 * looks for after the fact (the default pool switched, a backend retired and closed, a leak, a limit exceeded, an
 * allocation the allocator refused), periodic statistics per backend and per child pool or bundle view, and a
 * sampled allocation event that is off by default. Not API: the event names and fields are (see the README,
 * "Operating Quiver"), this package is not.
 *
 * <p>The API module reads {@code jdk.jfr} only when the runtime has it ({@code requires static}; in OSGi an optional
 * import): {@code org.quiver.internal.memory.Telemetry} loads this package only then.
 */
package org.quiver.internal.jfr;
