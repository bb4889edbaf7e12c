/**
 * The allocator SPI: what a backend bundle implements (a raw allocate, reallocate and free), and the
 * registry through which backends join the platform outside of OSGi.
 *
 * <p>Accounting, padding, alignment checks, limits and leak detection live once, in the API; a backend is
 * only the native calls.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.quiver.memory.spi;
