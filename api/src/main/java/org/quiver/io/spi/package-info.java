/**
 * The IO provider SPI: what an IO backend bundle implements (the local files and codecs, and file systems by
 * URI scheme), and through which backends join the platform outside of OSGi.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.quiver.io.spi;
