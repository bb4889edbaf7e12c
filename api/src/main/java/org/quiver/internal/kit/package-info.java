/**
 * The kit Quiver's own modules share: argument checks, the C library and native library bindings, and the
 * registry of ranked providers. Not API: it changes with Quiver, at any release.
 *
 * <p>It is exported only to Quiver's modules. On the module path the export is qualified
 * ({@code exports ... to}); in OSGi the package carries the mandatory attribute {@code quiver.kit=true}, so that
 * only a bundle that asks for it by that attribute is wired to it (Quiver's bundles do; any bundle could, but
 * none does by accident), and the {@code x-friends} directive names those bundles for Equinox's strict mode.
 */
package org.quiver.internal.kit;
