/**
 * Quiver's JMX management: MXBeans for the platform, each allocator backend and each child pool or bundle view,
 * under the {@code org.quiver} domain, and {@link org.quiver.platform.management.QuiverManagement} to register them
 * on the module path or class path. Inside OSGi the platform bundle registers them itself.
 *
 * <p>The object names:
 * <ul>
 * <li>{@code org.quiver:type=Platform}: {@link org.quiver.platform.management.QuiverPlatformMXBean}</li>
 * <li>{@code org.quiver:type=MemoryBackend,name=<backend>}:
 * {@link org.quiver.platform.management.MemoryBackendMXBean}, one per known or registered backend</li>
 * <li>{@code org.quiver:type=ChildPool,name=<name>,id=<n>}: {@link org.quiver.platform.management.ChildPoolMXBean},
 * one per open child pool ({@code id}: its number in opening order; {@code name} quoted when it needs it)</li>
 * <li>{@code org.quiver:type=BundlePool,name=<symbolic name>,id=<bundle id>}: the same, for each bundle's view
 * of the default pool (OSGi)</li>
 * </ul>
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.0.0")
package org.quiver.platform.management;
