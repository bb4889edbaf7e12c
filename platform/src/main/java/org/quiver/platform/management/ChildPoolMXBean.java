package org.quiver.platform.management;

/**
 * One open child pool ({@code org.quiver:type=ChildPool,name=<name>,id=<n>}) or one bundle's view of the default
 * pool ({@code org.quiver:type=BundlePool,name=<symbolic name>,id=<bundle id>}). Unregistered when it closes.
 *
 * @since 1.0
 */
public interface ChildPoolMXBean {

    /** The child pool's name, or the bundle's symbolic name. */
    String getName();

    /** How reports name it: {@code "child pool 'scratch'"}, {@code "bundle com.acme.reader [12]"}. */
    String getOwner();

    /** The backend its parent allocates from now. */
    String getBackend();

    long getBytesAllocated();

    long getPeakBytesAllocated();

    /** Buffers allocated through it and not yet freed. */
    long getLiveBuffers();

    /** Its limit in bytes, or -1 for none. */
    long getLimit();

    /**
     * Sets its limit in bytes ({@code -1} for none); bytes already allocated stay, only new requests are refused.
     * A bundle's limit is kept by symbolic name, also for the bundle's later views.
     *
     * @throws IllegalArgumentException for another negative value; nothing changes
     */
    void setLimit(long bytes);
}
