/**
 * What the platform bundle ({@code org.quiver.platform}) plugs into the runtime: allocators and IO providers fed
 * from the OSGi service registry, the per-bundle views of the default pool, the reasons a backend is missing, and
 * the reports its shell commands print. Not API: it changes with Quiver, at any release.
 *
 * <p>Exported only to the platform. On the module path the export is qualified ({@code exports ... to
 * org.quiver.platform}); in OSGi the package carries the mandatory attribute {@code quiver.platform=true}, so that
 * only a bundle that asks for it by that attribute is wired to it, and {@code x-friends} names the platform for
 * Equinox's strict mode.
 */
package org.quiver.internal.hooks;
