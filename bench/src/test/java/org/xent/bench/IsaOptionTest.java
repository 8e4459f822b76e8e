package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.bench.machine.JvmFacts;

/** {@code bench --isa}: refused before any JVM starts when the value is unknown or the machine cannot run it. */
class IsaOptionTest {

    @TempDir
    Path dir;

    private String out;
    private String err;

    private int bench(JvmFacts host, String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = BenchCommand.run(List.of(args), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8), host);
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void unknownValueIsAUsageError() {
        assertEquals(BenchCommand.USAGE, bench(JvmFacts.current(), "--isa", "sse4"));
        assertEquals("bench: --isa must be avx512, avx2 or 128, got 'sse4'", err.strip());
        assertEquals(BenchCommand.USAGE, bench(JvmFacts.current(), "--isa"));
        assertTrue(err.contains("--isa needs a value"), err);
    }

    @Test
    void avx512OnAnAvx2MachineIsOneLineAndExit2() {
        Path outDir = dir.resolve("never");
        assertEquals(2, bench(new JvmFacts("x86", 2, true, 256), "--isa", "avx512", "--smoke", "--out", outDir.toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("bench: --isa avx512 needs an x86 CPU with AVX-512"), err);
        assertEquals("", out);
        assertTrue(!Files.exists(outDir), "nothing is written for a refused request");
    }

    @Test
    void x86ClassesOnArmAreRefused() {
        JvmFacts neon = new JvmFacts("aarch64", -1, true, 128);
        assertEquals(2, bench(neon, "--isa", "avx2"));
        assertTrue(err.contains("--isa avx2 needs an x86 CPU with AVX2 and FMA") && err.contains("aarch64"), err);
        assertEquals(2, bench(neon, "--isa", "avx512"));
        assertEquals(1, err.lines().count(), err);
    }

    @Test
    void avx2OnACpuWithoutFmaIsRefused() {
        assertEquals(2, bench(new JvmFacts("x86", 2, false, 256), "--isa", "avx2"));
        assertTrue(err.contains("FMA"), err);
    }
}
