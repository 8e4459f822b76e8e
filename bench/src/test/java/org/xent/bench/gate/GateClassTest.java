package org.xent.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Machine classes in the gate: the baseline of the current file's class, never one of another class. */
class GateClassTest {

    @TempDir
    Path dir;

    private Path baselines;
    private String out;
    private String err;

    @BeforeEach
    void folderWithTwoClasses() throws IOException {
        baselines = Files.createDirectories(dir.resolve("baseline"));
        // the two classes' baselines differ, so that a wrong pick changes the verdict
        write(baselines.resolve("avx512.json"), JmhJsonBuilder.suite(1000, 500).machineClass("avx512-512"));
        write(baselines.resolve("avx2.json"), JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256"));
    }

    private static Path write(Path p, JmhJsonBuilder b) throws IOException {
        Files.writeString(p, b.build());
        return p;
    }

    private Path current(String name, JmhJsonBuilder b) throws IOException {
        return write(dir.resolve(name), b);
    }

    private int gate(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Gate.run(args, baselines, new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private String row(String name) {
        return out.lines().filter(l -> l.startsWith("| " + name + " ")).findFirst().orElse("");
    }

    @Test
    void oneFileFormPicksTheBaselineOfTheCurrentClass() throws IOException {
        // 350 is the avx2 baseline's own speed (same) but 30 % below the avx512 one (a regression)
        Path avx2Run = current("avx2-run.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256"));
        assertEquals(Gate.OK, gate(avx2Run.toString()));
        assertTrue(out.startsWith("Machine class avx2-256: baseline " + baselines.resolve("avx2.json")), out);
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("| same |"), out);

        Path avx512Run = current("avx512-run.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx512-512"));
        assertEquals(Gate.REGRESSION, gate(avx512Run.toString()));
        assertTrue(out.contains("baseline " + baselines.resolve("avx512.json")), out);
        assertEquals("", err);
    }

    @Test
    void baselineDirOptionOverridesTheDefaultFolder() throws IOException {
        Path other = Files.createDirectories(dir.resolve("other"));
        write(other.resolve("x.json"), JmhJsonBuilder.suite(1000, 700).machineClass("avx2-256"));
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256"));
        assertEquals(Gate.REGRESSION, gate(run.toString(), "--baseline-dir", other.toString()));
        assertTrue(out.contains("baseline " + other.resolve("x.json")), out);
    }

    @Test
    void oneFileFormWithoutABaselineOfItsClassNamesTheClassAndTheFilesPresent() throws IOException {
        Path run = current("neon.json", JmhJsonBuilder.suite(1000, 350).machineClass("128-128"));
        assertEquals(Gate.BAD_INPUT, gate(run.toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.startsWith("gate: no baseline of class 128-128 in " + baselines), err);
        assertTrue(err.contains("avx2.json: class avx2-256") && err.contains("avx512.json: class avx512-512"), err);
        assertTrue(err.contains("./xent bench --isa 128"), err);
        assertEquals("", out);
    }

    @Test
    void oneFileFormRefusesTheOnlyBaselinePresentWhenItIsOfAnotherClass() throws IOException {
        Files.delete(baselines.resolve("avx512.json"));
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 500).machineClass("avx512-512"));
        assertEquals(Gate.BAD_INPUT, gate(run.toString()));
        assertTrue(err.contains("avx512-512") && err.contains("avx2.json: class avx2-256"), err);
        assertEquals("", out);
    }

    @Test
    void twoFileFormRefusesABaselineOfAnotherClass() throws IOException {
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 500).machineClass("avx2-256"));
        assertEquals(Gate.BAD_INPUT, gate(baselines.resolve("avx512.json").toString(), run.toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("is of class avx512-512") && err.contains("of class avx2-256"), err);
        assertEquals("", out);
        // the same pair in the same class passes
        assertEquals(Gate.OK, gate(baselines.resolve("avx2.json").toString(),
                current("same.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256")).toString()));
    }

    @Test
    void fileWithoutAClassRecordIsRefusedWithHowToLabelIt() throws IOException {
        Path old = current("old.json", JmhJsonBuilder.suite(1000, 500).withoutClass());
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 500));
        assertEquals(Gate.BAD_INPUT, gate(old.toString(), run.toString()));
        assertTrue(err.contains("old.json has no machine class record") && err.contains("./xent label"), err);
        assertEquals(Gate.BAD_INPUT, gate(run.toString(), old.toString()));
        assertTrue(err.contains("old.json has no machine class record"), err);
        assertEquals(Gate.BAD_INPUT, gate(old.toString()));
        assertTrue(err.contains("old.json has no machine class record"), err);
    }

    @Test
    void twoBaselinesOfOneClassAreAmbiguous() throws IOException {
        write(baselines.resolve("copy.json"), JmhJsonBuilder.suite(1000, 500).machineClass("avx2-256"));
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256"));
        assertEquals(Gate.BAD_INPUT, gate(run.toString()));
        assertTrue(err.contains("2 baselines of class avx2-256") && err.contains("copy.json")
                && err.contains("avx2.json"), err);
    }

    @Test
    void otherFilesInTheFolderAreListedButDoNotStopThePick() throws IOException {
        Files.writeString(baselines.resolve("notes.json"), "{\"not\": \"results\"}");
        write(baselines.resolve("old.json"), JmhJsonBuilder.suite(1000, 500).withoutClass());
        Path run = current("run.json", JmhJsonBuilder.suite(1000, 350).machineClass("avx2-256"));
        assertEquals(Gate.OK, gate(run.toString()));
        Path neon = current("neon.json", JmhJsonBuilder.suite(1000, 350).machineClass("128-128"));
        assertEquals(Gate.BAD_INPUT, gate(neon.toString()));
        assertTrue(err.contains("notes.json: not a results file") && err.contains("old.json: no machine class record"),
                err);
    }

    @Test
    void benchmarksOnlyTheCurrentFileHasAreNewAndPass() throws IOException {
        JmhJsonBuilder cur = JmhJsonBuilder.suite(1000, 500)
                .add("SoftCrossEntropyBench.vectorForwardBackward32", "1024x1000", 250, 2.5)
                .add("RooflineBench.dot32", "256x32000", 40, 0.4)
                .add("SoftCrossEntropyBench.vectorForward32", "256x32000", 20, 0.2);
        assertEquals(Gate.OK, gate(current("run.json", cur).toString()));
        // normalised by the current run's stream roofline (500): 0.5
        assertTrue(row("SoftCrossEntropyBench.vectorForwardBackward32").matches(
                "\\| \\S+ \\| 1024x1000 \\| - \\| 0\\.500 ± \\d\\.\\d+ \\|  \\| new \\|"), out);
        assertTrue(row("SoftCrossEntropyBench.vectorForward32 | 256x32000").contains("| new |"), out);
        assertTrue(out.lines().anyMatch(l -> l.startsWith("| RooflineBench.dot32 | 256x32000 ") && l.endsWith("| new |")),
                out);
        assertTrue(out.contains("4 benchmark(s) compared, 3 new, 0 regression(s)"), out);
        assertEquals("", err);
    }

    @Test
    void aBaselineBenchmarkMissingFromTheCurrentFileFailsEvenBesideNewOnes() throws IOException {
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("RooflineBench.stream32", "1024x1000", 500, 5)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 5)
                .add("SoftCrossEntropyBench.vectorForwardBackward32", "1024x1000", 250, 2.5);
        assertEquals(Gate.BAD_INPUT, gate(baselines.resolve("avx512.json").toString(), current("run.json", cur).toString()));
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("SoftCrossEntropyBench.naiveForward32") && err.contains("missing from"), err);
    }

    @Test
    void aFileMixingClassesIsUnusable() throws IOException {
        String avx512 = JmhJsonBuilder.suite(1000, 500).build();
        String first = "\"class\" : \"avx512-512\"";
        int second = avx512.indexOf(first, avx512.indexOf(first) + 1);
        // the second record, and only it, says avx2-256
        String mixed = avx512.substring(0, second) + "\"class\" : \"avx2-256\"" + avx512.substring(second + first.length());
        Path run = dir.resolve("mixed.json");
        Files.writeString(run, mixed);
        assertEquals(Gate.BAD_INPUT, gate(run.toString()));
        assertTrue(err.contains("mixed.json") && err.contains("avx2-256") && err.contains("avx512-512"), err);
    }
}
