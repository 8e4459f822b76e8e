package org.xent.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.bench.machine.MachineClass;
import org.xent.bench.results.JmhResults;

/** {@code label}: gives an old results file its machine class, once. */
class LabelCommandTest {

    @TempDir
    Path dir;

    private String err;

    private int run(String... args) {
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Main.run(args, new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    @Test
    void labelsAnOldFileOnceAndKeepsItsResults() throws Exception {
        Path old = dir.resolve("old.json");
        Files.writeString(old, """
                [ { "benchmark" : "org.xent.bench.jmh.RooflineBench.dot32", "mode" : "thrpt",
                    "params" : { "shape" : "4096x128" },
                    "primaryMetric" : { "score" : 10.0, "scoreError" : 1.0, "scoreUnit" : "ops/s" } } ]
                """);
        assertEquals(0, run("label", old.toString(), "avx512-512", "--cpu", "AMD EPYC"));
        MachineClass m = JmhResults.readFile(old).machine();
        assertEquals(new MachineClass("avx512", 512, false, "", "AMD EPYC"), m);
        assertEquals(1, JmhResults.read(old).size());

        assertEquals(2, run("label", old.toString(), "avx2-256"));
        assertTrue(err.contains("already records class avx512-512"), err);
        assertEquals("avx512-512", JmhResults.readFile(old).machine().id());
    }

    @Test
    void badArguments() {
        assertEquals(2, run("label", "x.json"));
        assertTrue(err.contains("usage: label FILE.json CLASS"), err);
        assertEquals(2, run("label", dir.resolve("x.json").toString(), "avx2"));
        assertTrue(err.contains("got 'avx2'"), err);
        assertEquals(2, run("label", dir.resolve("absent.json").toString(), "avx2-256"));
        assertTrue(err.contains("no such file"), err);
    }
}
