package org.quiver.internal.kit;

import java.lang.foreign.MemorySegment;

/**
 * Large blocks straight from the kernel: {@code mmap} with transparent huge pages, grown and shrunk with
 * {@code mremap}, which moves page mappings instead of copying bytes (a 1 GiB buffer grows in about a tenth of the
 * time a copy takes). Every pool's allocator takes its blocks of at least a threshold from here; whether a block
 * is mapped is decided from its size and alignment alone (a pool always frees and reallocates with the size and
 * alignment it allocated with), so no header and no lookup table are needed. Page-aligned blocks are aligned to
 * every alignment up to the page size; larger alignments stay with the allocator.
 */
public final class MappedBlocks {

    /**
     * The allocator's own allocation (below the threshold), for a reallocation that crosses it: the address, or 0
     * when out of memory. The allocators test {@link #mapped} on their hot path themselves, so that a small block
     * costs no call through this interface.
     */
    @FunctionalInterface
    public interface OwnAllocate {
        long allocate(long size, long alignment);
    }

    /** The allocator's own free of a block of {@code size} bytes (below the threshold), for a reallocation. */
    @FunctionalInterface
    public interface OwnFree {
        void free(long address, long size, long alignment);
    }

    /** The setting, under a backend's prefix ({@code quiver.jemalloc.mmap.threshold}), in bytes. */
    public static final String SETTING = "mmap.threshold";

    private final long threshold;
    private final OwnAllocate ownAllocate;
    private final OwnFree ownFree;

    /**
     * The blocks of a backend whose setting is {@code setting} ({@code null}: {@code defaultThreshold}). Where the
     * C library has no {@code mremap} (not Linux) nothing is mapped.
     *
     * @throws IllegalArgumentException if the setting is not a size of at least one page
     */
    public static MappedBlocks of(String setting, long defaultThreshold, OwnAllocate ownAllocate, OwnFree ownFree) {
        long t = setting == null ? defaultThreshold : threshold(setting);
        return new MappedBlocks(Libc.has("mremap") && Libc.has("mmap") ? t : Long.MAX_VALUE, ownAllocate, ownFree);
    }

    /**
     * A threshold as written in a setting: bytes, or a size such as {@code 8m}, of at least one page.
     *
     * @throws IllegalArgumentException naming the setting, the value and the page size
     */
    public static long threshold(String setting) {
        long t;
        try {
            t = Sizes.parse(setting);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(SETTING + " must be a number of bytes (or a size such as 8m): "
                    + setting);
        }
        if (t < Libc.PAGE_SIZE) {
            throw new IllegalArgumentException(SETTING + " must be at least one page (" + Libc.PAGE_SIZE
                    + " bytes): " + setting);
        }
        return t;
    }

    /**
     * Blocks of at least {@code threshold} bytes are mapped; the smaller ones are the allocator's own.
     *
     * @throws IllegalArgumentException if the threshold is below one page
     */
    public MappedBlocks(long threshold, OwnAllocate ownAllocate, OwnFree ownFree) {
        if (threshold < Libc.PAGE_SIZE) {
            throw new IllegalArgumentException("mmap threshold below the page size: threshold=" + threshold
                    + " pageSize=" + Libc.PAGE_SIZE);
        }
        this.threshold = threshold;
        this.ownAllocate = ownAllocate;
        this.ownFree = ownFree;
    }

    /**
     * Unmaps the block when it is a mapped one.
     *
     * @return whether it was (else the caller frees it as its own)
     */
    public boolean unmapIfMapped(long address, long size, long alignment) {
        if (!mapped(size, alignment)) {
            return false;
        }
        unmap(address, size);
        return true;
    }

    /** Whether a reallocation from {@code oldSize} to {@code newSize} is this class's (either side mapped). */
    public boolean takes(long oldSize, long newSize, long alignment) {
        return mapped(oldSize, alignment) || mapped(newSize, alignment);
    }

    /** The size from which blocks are mapped. */
    public long threshold() {
        return threshold;
    }

    /** Whether a block of this size and alignment is (or would be) mapped. */
    public boolean mapped(long size, long alignment) {
        return size >= threshold && alignment <= Libc.PAGE_SIZE;
    }

    private static long pages(long size) {
        long page = Libc.PAGE_SIZE;
        return (size + page - 1) & -page;
    }

    /** A mapped block of {@code size} bytes: its address, or 0 when the kernel refuses. */
    public long map(long size) {
        long length = pages(size);
        MemorySegment p = Libc.mmap(length, Libc.PROT_READ | Libc.PROT_WRITE, Libc.MAP_PRIVATE | Libc.MAP_ANONYMOUS,
                -1, 0L);
        if (p.address() == Libc.MAP_FAILED) {
            return 0;
        }
        // Best effort: transparent huge pages cut page faults about fourfold on large blocks.
        int ignored = Libc.madvise(p, length, Libc.MADV_HUGEPAGE);
        return p.address();
    }

    /**
     * Unmaps a block.
     *
     * @throws IllegalStateException if the kernel refuses (the address was not a mapped block of that size)
     */
    public void unmap(long address, long size) {
        int rc = Libc.munmap(MemorySegment.ofAddress(address), pages(size));
        if (rc != 0) {
            throw new IllegalStateException("munmap failed: address=0x" + Long.toHexString(address) + " size=" + size
                    + " errno=" + Libc.errno());
        }
    }

    /**
     * Reallocates a block of which at least one side ({@code oldSize} or {@code newSize}) is mapped: in place by
     * {@code mremap} when both are, else into a fresh block of the other kind, copying the bytes both hold.
     *
     * @return the new address, or 0 when no memory could be had (the old block is then untouched)
     */
    public long reallocate(long address, long oldSize, long newSize, long alignment) {
        boolean wasMapped = mapped(oldSize, alignment);
        boolean willMap = mapped(newSize, alignment);
        if (wasMapped && willMap) {
            long oldLength = pages(oldSize);
            long newLength = pages(newSize);
            if (oldLength == newLength) {
                return address;
            }
            MemorySegment p = Libc.mremap(MemorySegment.ofAddress(address), oldLength, newLength);
            if (p.address() == Libc.MAP_FAILED) {
                return 0;
            }
            if (newLength > oldLength) {
                int ignored = Libc.madvise(p, newLength, Libc.MADV_HUGEPAGE);
            }
            return p.address();
        }
        long fresh = willMap ? map(newSize) : ownAllocate.allocate(newSize, alignment);
        if (fresh == 0) {
            return 0;
        }
        long n = Math.min(oldSize, newSize);
        MemorySegment.copy(MemorySegment.ofAddress(address).reinterpret(n), 0, MemorySegment.ofAddress(fresh)
                .reinterpret(n), 0, n);
        if (wasMapped) {
            unmap(address, oldSize);
        } else {
            ownFree.free(address, oldSize, alignment);
        }
        return fresh;
    }
}
