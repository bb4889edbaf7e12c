/**
 * Native files: Arrow's {@code NativeFile} family (input, output and random-access files) and the
 * in-memory files over {@link org.quiver.memory.Buffer}s.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("0.1.0")
package org.quiver.io;
