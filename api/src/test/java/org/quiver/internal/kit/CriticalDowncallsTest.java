package org.quiver.internal.kit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.function.IntSupplier;

import org.junit.jupiter.api.Test;
import org.quiver.memory.testing.ChildJvm;

/**
 * When the allocators' short calls are critical downcalls: everywhere but on an Intel CPU whose JVM runs with
 * AVX-512, where a critical call pays the SSE/AVX transition penalty on every SSE instruction of the library.
 */
class CriticalDowncallsTest {

    private static final String AVX512 = "fpu sse sse2 avx avx2 avx512f avx512dq";
    private static final String AVX2 = "fpu sse sse2 avx avx2";
    /** UseAVX must be read only where it decides something: reading it starts the management beans. */
    private static final IntSupplier NOT_ASKED = () -> {
        throw new AssertionError("UseAVX read where the vendor or the flags decide");
    };

    @Test
    void amdAndUnknownCpusUseCriticalCallsWithoutAskingTheJvm() {
        assertTrue(Downcalls.decide("auto", "AuthenticAMD", AVX512, NOT_ASKED).critical());
        Downcalls.Decision unknown = Downcalls.decide(null, null, null, NOT_ASKED);
        assertTrue(unknown.critical());
        assertTrue(unknown.reason().contains("unknown"), unknown.reason());
    }

    @Test
    void intelWithAvx512InUseGetsOrdinaryCalls() {
        Downcalls.Decision d = Downcalls.decide("auto", "GenuineIntel", AVX512, () -> 3);
        assertFalse(d.critical());
        assertTrue(d.reason().contains("UseAVX=3"), d.reason());
    }

    @Test
    void intelWithoutAvx512OrWithTheJvmAtAvx2KeepsCriticalCalls() {
        assertTrue(Downcalls.decide("auto", "GenuineIntel", AVX2, NOT_ASKED).critical());
        Downcalls.Decision avx2 = Downcalls.decide("auto", "GenuineIntel", AVX512, () -> 2);
        assertTrue(avx2.critical());
        assertTrue(avx2.reason().contains("UseAVX=2"), avx2.reason());
    }

    @Test
    void intelWithAvx512AndAnUnreadableJvmOptionPlaysSafe() {
        assertFalse(Downcalls.decide("auto", "GenuineIntel", AVX512, () -> -1).critical());
        assertFalse(Downcalls.decide("auto", "GenuineIntel", null, () -> -1).critical());
    }

    @Test
    void thePropertyOverridesAndABadValueIsRefusedWithTheChoices() {
        assertTrue(Downcalls.decide("true", "GenuineIntel", AVX512, NOT_ASKED).critical());
        assertFalse(Downcalls.decide(" FALSE ", "AuthenticAMD", AVX512, NOT_ASKED).critical());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> Downcalls.decide("sometimes", "AuthenticAMD", AVX512, NOT_ASKED));
        assertTrue(e.getMessage().contains("auto, true or false: sometimes"), e.getMessage());
    }

    /** A bad setting is logged and the automatic choice stands: libc and the pools keep working. */
    @Test
    void aBadSettingIsLoggedAndTheLibraryStillLoads() {
        ChildJvm.Result r = ChildJvm.run(PrintChoice.class,
                List.of("-D" + Downcalls.CRITICAL_PROPERTY + "=sometimes", "--enable-native-access=ALL-UNNAMED"),
                List.of(), 60);
        assertEquals(0, r.exitStatus(), r::describe);
        assertTrue(r.stderr().contains(Downcalls.CRITICAL_PROPERTY + " must be auto, true or false: sometimes"),
                r::describe);
        assertTrue(r.stdout().contains("allocated"), r::describe);
    }

    /** The child: frees what libc allocated, and prints the choice. */
    public static final class PrintChoice {
        public static void main(String[] args) {
            long p = Libc.alignedAlloc(64, 64);
            Libc.free(p);
            System.out.println((p != 0 ? "allocated; " : "no memory; ") + Downcalls.criticalDecision().reason());
        }
    }

    @Test
    void thisJvmsChoiceIsTheOneShortCallGives() {
        Downcalls.Decision here = Downcalls.criticalDecision();
        assertEquals(here.critical() ? 1 : 0, Downcalls.shortCall().length, here.reason());
    }
}
