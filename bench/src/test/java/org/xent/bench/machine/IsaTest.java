package org.xent.bench.machine;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.xent.bench.machine.IsaRequest.UnsupportedIsaException;

/** Which class a JVM generates code for, and which --isa requests each kind of machine can serve. */
class IsaTest {

    static final JvmFacts AVX512 = new JvmFacts("x86", 3, true, 512);
    static final JvmFacts AVX2 = new JvmFacts("x86", 2, true, 256);
    static final JvmFacts NEON = new JvmFacts("aarch64", -1, true, 128);
    static final JvmFacts SVE256 = new JvmFacts("aarch64", -1, true, 256);
    static final JvmFacts AVX1 = new JvmFacts("x86", 1, false, 128);

    @Test
    void classesFollowTheJvmsCodeGeneration() {
        assertEquals("avx512", Isa.classify(AVX512));
        assertEquals("avx2", Isa.classify(AVX2));
        assertEquals("128", Isa.classify(NEON));
        // an AVX-512 machine restricted by each --isa flag
        assertEquals("avx2", Isa.classify(new JvmFacts("x86", 2, true, 256)));
        assertEquals("128", Isa.classify(new JvmFacts("x86", 3, true, 128)));
        // machines that fit no class get one of their own rather than sharing a baseline
        assertEquals("aarch64", Isa.classify(SVE256));
        assertEquals("x86-avx1-nofma", Isa.classify(AVX1));
        assertEquals("x86-sse-nofma", Isa.classify(new JvmFacts("x86", 0, false, 128)));
    }

    @Test
    void flagsEmulateNarrowerClassesAndNoneForTheNativeOne() {
        assertEquals(List.of(), Isa.AVX512.flagsOn(AVX512));
        assertEquals(List.of("-XX:UseAVX=2"), Isa.AVX2.flagsOn(AVX512));
        assertEquals(List.of("-XX:MaxVectorSize=16"), Isa.V128.flagsOn(AVX512));
        assertEquals(List.of(), Isa.AVX2.flagsOn(AVX2));
        assertEquals(List.of("-XX:MaxVectorSize=16"), Isa.V128.flagsOn(AVX2));
        assertEquals(List.of(), Isa.V128.flagsOn(NEON));
        assertEquals(List.of("-XX:MaxVectorSize=16"), Isa.V128.flagsOn(SVE256));
    }

    @Test
    void classesTheMachineLacksAreRefused() {
        assertNull(Isa.AVX512.flagsOn(AVX2));
        assertNull(Isa.AVX512.flagsOn(NEON));
        assertNull(Isa.AVX2.flagsOn(NEON));
        assertNull(Isa.AVX2.flagsOn(AVX1));
        assertNull(Isa.V128.flagsOn(AVX1));
        String m = Isa.AVX512.unsupportedMessage(AVX2);
        assertTrue(m.startsWith("--isa avx512 needs an x86 CPU with AVX-512;") && m.contains("class avx2-256"), m);
        m = Isa.AVX2.unsupportedMessage(NEON);
        assertTrue(m.contains("needs an x86 CPU with AVX2 and FMA") && m.contains("aarch64"), m);
    }

    @Test
    void parseKnowsTheThreeNames() {
        assertEquals(Isa.AVX512, Isa.parse("avx512"));
        assertEquals(Isa.AVX2, Isa.parse("avx2"));
        assertEquals(Isa.V128, Isa.parse("128"));
        assertNull(Isa.parse("AVX2"));
        assertNull(Isa.parse("neon"));
    }

    @Test
    void requestRecordsNativeOrEmulatedAndChecksWhatTheForksGot() throws UnsupportedIsaException {
        IsaRequest avx2 = IsaRequest.of(Isa.AVX2, AVX512);
        MachineClass run = avx2.machineClass(new JvmFacts("x86", 2, true, 256), "Some CPU");
        assertEquals("avx2-256", run.id());
        assertTrue(run.emulated());
        assertEquals("-XX:UseAVX=2", run.jvmFlags());
        assertTrue(avx2.describe(run).contains("emulated with -XX:UseAVX=2 on an avx512-512 machine"),
                avx2.describe(run));

        MachineClass plain = IsaRequest.of(null, AVX512).machineClass(AVX512, "Some CPU");
        assertEquals("avx512-512", plain.id());
        assertEquals("avx512-512, native", IsaRequest.of(null, AVX512).describe(plain));

        // forks that did not take the flag (still AVX-512) are refused, naming what they have
        UnsupportedIsaException e = assertThrows(UnsupportedIsaException.class,
                () -> avx2.machineClass(AVX512, "Some CPU"));
        assertTrue(e.getMessage().contains("--isa avx2 was asked") && e.getMessage().contains("avx512-512"),
                e.getMessage());
        assertThrows(UnsupportedIsaException.class, () -> IsaRequest.of(Isa.AVX512, AVX2));
    }

    @Test
    void factsSurviveTheProbesKeyValueLines() {
        assertEquals(AVX512, JvmFacts.fromProperties(AVX512.toProperties()));
        assertEquals(NEON, JvmFacts.fromProperties(NEON.toProperties()));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> JvmFacts.fromProperties(java.util.Map.of("arch", "x86")));
        assertTrue(e.getMessage().contains("useAvx"), e.getMessage());
    }

    @Test
    void thisJvmReportsSomething() {
        JvmFacts here = JvmFacts.current();
        assertTrue(here.vectorBits() >= 64, here.describe());
        assertTrue(!here.arch().isBlank() && !here.arch().equals("amd64"), here.arch());
    }
}
