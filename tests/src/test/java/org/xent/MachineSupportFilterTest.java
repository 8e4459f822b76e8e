package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import org.junit.jupiter.api.Test;

/** Which forced runs {@link MachineSupportFilter} skips, on machines this one is not. */
class MachineSupportFilterTest {

    private static String reason(String bits, String isa, int widest, String arch, String avxFma, boolean avx512) {
        return MachineSupportFilter.skipReason(bits, isa, () -> widest, arch, () -> avxFma, () -> avx512);
    }

    @Test
    void widthsUpToTheWidestVectorRun() {
        assertNull(reason("256", null, 512, "amd64", "3/true", true));
        assertNull(reason("128", null, 128, "aarch64", "absent/true", false));
        assertNull(reason(null, null, 128, "aarch64", "absent/true", false), "the default run asks for nothing");
    }

    @Test
    void aWidthWiderThanTheMachineIsSkippedSayingWhy() {
        assertEquals("this machine's widest vector is 128 bits", reason("256", null, 128, "aarch64", "absent/true", false));
        assertEquals("this machine's widest vector is 256 bits", reason("512", null, 256, "amd64", "2/true", false));
    }

    @Test
    void theAvx2RunNeedsAnX86MachineWhoseOwnCodeIsWider() {
        assertNull(reason(null, "avx2", 256, "amd64", "2/true", true));
        assertEquals("AVX2 is an x86 instruction set and this machine is aarch64",
                reason(null, "avx2", 128, "aarch64", "absent/true", false));
        assertEquals("AVX2 is this machine's own instruction set, which the default run already covers",
                reason(null, "avx2", 256, "amd64", "2/true", false));
        assertEquals("this CPU has no AVX2 with FMA (UseAVX/UseFMA 1/false)",
                reason(null, "avx2", 128, "x86_64", "1/false", false));
    }
}
