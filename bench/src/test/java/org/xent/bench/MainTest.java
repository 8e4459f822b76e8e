package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

/** Command-line errors are caught before any JVM is forked. */
class MainTest {

    private String err;
    private String out;

    private int run(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void helpAndUnknownCommands() {
        assertEquals(0, run("help"));
        assertTrue(out.contains("gate [BASELINE.json] CURRENT.json") && out.contains("--isa avx512|avx2|128"), out);
        assertEquals(BenchCommand.USAGE, run());
        assertEquals(BenchCommand.USAGE, run("benchmark"));
        assertTrue(err.contains("unknown command 'benchmark'"), err);
    }

    @Test
    void badBenchArguments() {
        assertEquals(BenchCommand.USAGE, run("bench", "--backend", "gpu"));
        assertTrue(err.contains("--backend must be scalar or vector"), err);
        assertEquals(BenchCommand.USAGE, run("bench", "--out"));
        assertTrue(err.contains("--out needs a value"), err);
        assertEquals(BenchCommand.USAGE, run("bench", "--fast"));
        assertTrue(err.contains("unknown argument '--fast'"), err);
        assertEquals(BenchCommand.USAGE, run("bench", "--full", "--smoke"));
        assertTrue(err.contains("exclude each other"), err);
        assertEquals(BenchCommand.USAGE, run("bench", "--loss", "NoSuchLoss"));
        assertTrue(err.contains("NoSuchLossBench"), err);
        assertEquals(BenchCommand.USAGE, run("bench", "--loss", "soft; rm"));
        assertEquals(BenchCommand.USAGE, run("bench", "--isa", "neon"));
        assertTrue(err.contains("--isa must be avx512, avx2 or 128, got 'neon'"), err);
    }
}
