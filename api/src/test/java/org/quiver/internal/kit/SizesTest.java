package org.quiver.internal.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class SizesTest {

    @Test
    void parsesBytesAndUnits() {
        assertEquals(1048576, Sizes.parse("1048576"));
        assertEquals(64 << 10, Sizes.parse("64k"));
        assertEquals(256L << 20, Sizes.parse(" 256M "));
        assertEquals(2L << 30, Sizes.parse("2g"));
        assertEquals(1L << 30, Sizes.parse("1GiB"));
        assertEquals(5L << 40, Sizes.parse("5TB"));
    }

    @Test
    void rejectsWhatIsNotASize() {
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Sizes.parse("lots"));
        assertTrue(e.getMessage().contains("'lots'"), e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("-1"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse("99999999999t"));
        assertThrows(IllegalArgumentException.class, () -> Sizes.parse(""));
    }
}
