package org.quiver.io.nativeio.internal;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A fuzz input read front to back by the structured fuzz targets: each value takes the next bytes, and past the
 * end every number is 0 and every array empty, so that any input, even the empty one, is a valid program. Read in
 * this order, a seed is easy to write by hand (a name, then the file's bytes), which Jazzer's
 * {@code FuzzedDataProvider} (it takes numbers from the end) does not allow.
 */
final class FuzzInput {

    private final byte[] data;
    private int at;

    FuzzInput(byte[] data) {
        this.data = data;
    }

    /** Bytes not read yet. */
    int remaining() {
        return data.length - at;
    }

    boolean isEmpty() {
        return at >= data.length;
    }

    /** The next byte, unsigned; 0 past the end. */
    int u8() {
        return at < data.length ? data[at++] & 0xFF : 0;
    }

    /** The next two bytes, little endian, unsigned. */
    int u16() {
        return u8() | u8() << 8;
    }

    /** The next four bytes, little endian. */
    int i32() {
        return u16() | u16() << 16;
    }

    /** The next eight bytes, little endian. */
    long i64() {
        return (i32() & 0xFFFFFFFFL) | (long) i32() << 32;
    }

    /** A number from 0 to {@code bound - 1}, from one byte (two when {@code bound} is above 256). */
    int below(int bound) {
        return (bound <= 256 ? u8() : u16()) % bound;
    }

    boolean bool() {
        return (u8() & 1) != 0;
    }

    /** The next {@code length} bytes, fewer at the end of the input. */
    byte[] bytes(int length) {
        int n = Math.min(Math.max(length, 0), remaining());
        byte[] out = Arrays.copyOfRange(data, at, at + n);
        at += n;
        return out;
    }

    /** A length byte, then that many bytes as UTF-8 (malformed sequences become U+FFFD). */
    String string() {
        return new String(bytes(u8()), StandardCharsets.UTF_8);
    }

    /** Everything not read yet. */
    byte[] rest() {
        return bytes(remaining());
    }
}
