/**
 * Memory pools and buffers: Arrow's memory layer on the Foreign Function and Memory API.
 *
 * <p>A {@link org.quiver.memory.MemoryPool} hands out {@link org.quiver.memory.Buffer}s of native memory,
 * 64-byte aligned and padded by default, with exact accounting. Buffers are {@link java.lang.AutoCloseable}
 * and reference counted across zero-copy slices. {@link org.quiver.memory.MemoryPool#defaultPool()} follows the
 * best-ranked allocator backend at run time.
 */
@org.osgi.annotation.bundle.Export
@org.osgi.annotation.versioning.Version("1.1.0")
package org.quiver.memory;
