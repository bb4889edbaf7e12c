package org.quiver.io.nativeio.internal;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_INT;

import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.MemorySegment;
import java.lang.invoke.MethodHandle;

import org.quiver.internal.kit.Downcalls;
import org.quiver.internal.kit.NativeLibrary;

/**
 * Intel's ISA-L ({@code libisal.so.2}, Debian's {@code libisal2}): its {@code igzip} inflate through the FFM API.
 * Only what the gzip decoder needs is bound: the state's initialisation, reset and {@code isal_inflate}.
 *
 * <p>The state ({@code struct inflate_state}) is the caller's memory, so its size and the offsets of the fields
 * read and written here are part of the library's ABI: they were taken with {@code offsetof} from ISA-L 2.30's
 * {@code igzip_lib.h} (Debian 12), and a library that changed them would have to change its {@code soname} and
 * would not load under this name. {@link IsalGzipDecoder} checks what {@code isal_inflate_init} wrote before it
 * trusts the layout, and {@code Codecs} decodes a probe before gzip is used.
 */
final class Isal {

    /** The library's file name, as the dynamic linker searches for it. */
    static final String LIBRARY = "libisal.so.2";

    /** {@code sizeof(struct inflate_state)} in ISA-L 2.30 (87,368 bytes), rounded up to a page. */
    static final long STATE_SIZE = 90_112;
    static final long NEXT_OUT = 0;
    static final long AVAIL_OUT = 8;
    static final long NEXT_IN = 16;
    static final long AVAIL_IN = 32;
    static final long BLOCK_STATE = 21_160;
    static final long CRC_FLAG = 21_172;
    static final long HIST_BITS = 21_180;

    /**
     * {@code ISAL_GZIP_NO_HDR_VER}: raw deflate data followed by a gzip trailer, whose CRC-32 and length are
     * checked. The header is parsed in Java ({@link IsalGzipDecoder}): ISA-L's own parser accepts reserved flag
     * bits that {@code gzip} refuses, and finds some bad headers only when it is given them whole.
     */
    static final int GZIP_NO_HDR_VER = 6;
    /** {@code ISAL_BLOCK_FINISH}: the member is decoded, its trailer checked, and all its output written. */
    static final int BLOCK_FINISH = 5;

    private static final MethodHandle INFLATE_INIT;
    private static final MethodHandle INFLATE_RESET;
    private static final MethodHandle INFLATE;

    static {
        NativeLibrary library = NativeLibrary.openByName(LIBRARY);
        INFLATE_INIT = link(library, "isal_inflate_init", FunctionDescriptor.ofVoid(ADDRESS));
        INFLATE_RESET = link(library, "isal_inflate_reset", FunctionDescriptor.ofVoid(ADDRESS));
        // isal_inflate(state) reads its buffers through the state's pointers. The output and input segments go
        // along as two more arguments, which the function never reads: passing them makes the linker keep their
        // memory alive for the call (a buffer another thread closes meanwhile is freed after the call, not under
        // it). Arguments beyond a function's own are harmless in the x86-64 and AArch64 calling conventions: they
        // travel in registers the callee may clobber.
        INFLATE = link(library, "isal_inflate", FunctionDescriptor.of(JAVA_INT, ADDRESS, ADDRESS, ADDRESS));
    }

    private Isal() {
    }

    /**
     * Loads the library (once, when this class initialises).
     *
     * @throws UnsatisfiedLinkError with the dynamic linker's reason when it cannot be loaded; later calls throw
     *                              {@link NoClassDefFoundError}, whose cause is that first error
     */
    static void load() {
        // the static initialiser has run when this returns
    }

    private static MethodHandle link(NativeLibrary library, String name, FunctionDescriptor descriptor) {
        return Downcalls.link(symbol -> library.find(symbol), LIBRARY, name, descriptor);
    }

    static void inflateInit(MemorySegment state) {
        try {
            INFLATE_INIT.invokeExact(state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    static void inflateReset(MemorySegment state) {
        try {
            INFLATE_RESET.invokeExact(state);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    static int inflate(MemorySegment state, MemorySegment out, MemorySegment in) {
        try {
            return (int) INFLATE.invokeExact(state, out, in);
        } catch (Throwable t) {
            throw Downcalls.rethrow(t);
        }
    }

    /** What an error code of {@code isal_inflate} means, for a message. */
    static String error(int code) {
        return switch (code) {
            case -1 -> "invalid deflate block (ISAL_INVALID_BLOCK)";
            case -2 -> "invalid deflate symbol (ISAL_INVALID_SYMBOL)";
            case -3 -> "invalid back-reference distance (ISAL_INVALID_LOOKBACK)";
            case -4 -> "invalid gzip header (ISAL_INVALID_WRAPPER)";
            case -5 -> "compression method is not deflate (ISAL_UNSUPPORTED_METHOD)";
            case -6 -> "incorrect checksum (ISAL_INCORRECT_CHECKSUM)";
            default -> "isal_inflate error " + code;
        };
    }
}
