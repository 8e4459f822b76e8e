package org.xent.bench.gate;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.bench.machine.ClassStamp;
import org.xent.bench.machine.MachineClass;

class GateTest {

    @TempDir
    Path dir;

    private String out;
    private String err;

    private Path file(String name, String text) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, text);
        return p;
    }

    private int gate(String... args) {
        ByteArrayOutputStream o = new ByteArrayOutputStream();
        ByteArrayOutputStream e = new ByteArrayOutputStream();
        int code = Gate.run(args, dir.resolve("no-baseline-folder"), new PrintStream(o, true, StandardCharsets.UTF_8),
                new PrintStream(e, true, StandardCharsets.UTF_8));
        out = o.toString(StandardCharsets.UTF_8);
        err = e.toString(StandardCharsets.UTF_8);
        return code;
    }

    private int gate(JmhJsonBuilder base, JmhJsonBuilder cur, String... options) throws IOException {
        String[] args = new String[2 + options.length];
        args[0] = file("base.json", base.build()).toString();
        args[1] = file("cur.json", cur.build()).toString();
        System.arraycopy(options, 0, args, 2, options.length);
        return gate(args);
    }

    /** The table row of a benchmark, e.g. "SoftCrossEntropyBench.vectorForward32". */
    private String row(String name) {
        return out.lines().filter(l -> l.startsWith("| " + name + " ")).findFirst().orElse("");
    }

    @Test
    void identicalRunsPass() throws IOException {
        assertEquals(Gate.OK, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 500)));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("| same |"), out);
        assertTrue(row("RooflineBench.dot32").contains("reference"), out);
        assertEquals("", err);
    }

    @Test
    void pyTorchIsAReferenceNeitherRequiredNorGated() throws IOException {
        // a baseline measured with --pytorch gates a run without it, and PyTorch at half speed is no regression
        JmhJsonBuilder withTorch = JmhJsonBuilder.suite(1000, 500)
                .add("SoftCrossEntropyBench.torchForward32", "1024x1000", 100, 1);
        assertEquals(Gate.OK, gate(withTorch, JmhJsonBuilder.suite(1000, 500)));
        assertFalse(out.contains("torchForward32"), out);
        JmhJsonBuilder slowTorch = JmhJsonBuilder.suite(1000, 500)
                .add("SoftCrossEntropyBench.torchForward32", "1024x1000", 50, 1);
        assertEquals(Gate.OK, gate(withTorch, slowTorch));
        assertTrue(row("SoftCrossEntropyBench.torchForward32").contains("reference"), out);
        // a kernel of xent's own that is missing is still unusable input
        JmhJsonBuilder noVector = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("RooflineBench.stream32", "1024x1000", 500, 5)
                .add("SoftCrossEntropyBench.naiveForward32", "1024x1000", 10, 0.1);
        assertEquals(Gate.BAD_INPUT, gate(withTorch, noVector));
    }

    /** A threaded run: each kernel normalised by the roofline at its own thread count; new rows pass. */
    private static JmhJsonBuilder threaded(double twoThreadKernel) {
        return new JmhJsonBuilder()
                .add("ParallelRooflineBench.dot32", "1024x1000", 1, 1000, 10)
                .add("ParallelRooflineBench.dot32", "1024x1000", 2, 1600, 16)
                .add("ParallelSoftCrossEntropyBench.parallelForward32", "1024x1000", 1, 500, 5)
                .add("ParallelSoftCrossEntropyBench.parallelForward32", "1024x1000", 2, twoThreadKernel, 8);
    }

    @Test
    void threadedKernelsAreNormalisedByTheRooflineAtTheirThreadCount() throws IOException {
        assertEquals(Gate.OK, gate(threaded(800), threaded(800)));
        // 800 / 1600 at 2 threads (not / 1000, the 1-thread roofline)
        assertTrue(row("ParallelSoftCrossEntropyBench.parallelForward32 threads=2")
                .contains("| 1024x1000 | 0.500 ± 0.007 | 0.500 ± 0.007 | +0.0 % | same |"), out);
        assertTrue(row("ParallelSoftCrossEntropyBench.parallelForward32 threads=1")
                .contains("| 1024x1000 | 0.500 ± 0.007 | 0.500 ± 0.007 |"), out);
        assertEquals(Gate.REGRESSION, gate(threaded(800), threaded(400)));
        // a threaded run against a baseline without threads: every row of it is new and passes
        assertEquals(Gate.OK, gate(new JmhJsonBuilder().add("RooflineBench.dot32", "4096x128", 100, 1), threaded(800)
                .add("RooflineBench.dot32", "4096x128", 100, 1)));
        assertTrue(out.contains("4 new"), out);
        assertTrue(row("ParallelSoftCrossEntropyBench.parallelForward32 threads=2")
                .contains("| 1024x1000 | - | 0.500 ± 0.007 |  | new |"), out);
    }

    @Test
    void improvementPassesAndIsReported() throws IOException {
        assertEquals(Gate.OK, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 700)));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("+40.0 %"), out);
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("faster"), out);
    }

    @Test
    void regressionFailsAndIsListedFirst() throws IOException {
        assertEquals(Gate.REGRESSION, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 350)));
        String firstRow = out.lines().filter(l -> l.startsWith("| ") && !l.startsWith("| benchmark"))
                .findFirst().orElse("");
        assertTrue(firstRow.startsWith("| SoftCrossEntropyBench.vectorForward32 ") && firstRow.contains("REGRESSION"),
                out);
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("-30.0 %"), out);
        assertTrue(out.contains("1 regression(s)"), out);
    }

    @Test
    void slowerMachineIsNotARegression() throws IOException {
        // everything, roofline included, at 60 %: a busier or slower machine, not a slower kernel
        JmhJsonBuilder slow = JmhJsonBuilder.suite(600, 300);
        assertEquals(Gate.OK, gate(JmhJsonBuilder.suite(1000, 500), slow));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("| same |"), out);
    }

    @Test
    void kernelThatKeepsItsSpeedWhileTheRooflineDoublesRegresses() throws IOException {
        // the normalisation is what the gate compares: same raw score on a machine twice as fast is a drop
        assertEquals(Gate.REGRESSION, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(2000, 500)));
    }

    @Test
    void overlappingConfidenceIntervalsAreNoise() throws IOException {
        JmhJsonBuilder base = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 150);
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 350, 100);
        assertEquals(Gate.OK, gate(base, cur));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("noise"), out);
    }

    @Test
    void rooflineErrorWidensTheInterval() throws IOException {
        // kernel errors alone are tight (1 %), but the current roofline is uncertain by 30 %: no verdict
        JmhJsonBuilder base = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 5);
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 300)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 400, 4);
        assertEquals(Gate.OK, gate(base, cur));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("noise"), out);
    }

    @Test
    void missingErrorCountsAsZero() throws IOException {
        JmhJsonBuilder base = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, -1)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, -1);
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, -1)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 400, -1);
        assertEquals(Gate.REGRESSION, gate(base, cur));
    }

    @Test
    void thresholdOption() throws IOException {
        // a 15 % drop with tight intervals
        assertEquals(Gate.REGRESSION, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425)));
        assertEquals(Gate.OK, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425),
                "--threshold", "20"));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("| same |"), out);
        assertEquals(Gate.REGRESSION, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425),
                "--threshold=5%"));
        assertEquals(Gate.BAD_INPUT, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425),
                "--threshold", "ten"));
        assertTrue(err.contains("--threshold"), err);
        assertEquals(Gate.BAD_INPUT, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425),
                "--threshold", "-5"));
        assertEquals(Gate.BAD_INPUT, gate(JmhJsonBuilder.suite(1000, 500), JmhJsonBuilder.suite(1000, 425),
                "--threshold"));
    }

    @Test
    void benchmarkMissingFromOneSideIsBadInput() throws IOException {
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("RooflineBench.stream32", "1024x1000", 500, 5)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 5);
        assertEquals(Gate.BAD_INPUT, gate(JmhJsonBuilder.suite(1000, 500), cur));
        assertTrue(err.contains("SoftCrossEntropyBench.naiveForward32") && err.contains("missing from"), err);
        assertEquals(1, err.lines().count(), err);
        assertEquals("", out);
    }

    @Test
    void sameBenchmarkAtAnotherShapeIsMissingAndTheOtherShapeNew() throws IOException {
        JmhJsonBuilder base = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 5);
        JmhJsonBuilder cur = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "256x32000", 500, 5);
        assertEquals(Gate.BAD_INPUT, gate(base, cur));
        // only the baseline's shape is a problem: the current file's other shape would be a new row
        assertEquals(1, err.lines().count(), err);
        assertTrue(err.contains("shape=1024x1000") && err.contains("missing from"), err);
    }

    @Test
    void kernelWithoutRooflineIsBadInput() throws IOException {
        JmhJsonBuilder onlyKernel = new JmhJsonBuilder()
                .add("SoftCrossEntropyBench.vectorForwardBackward32", "1024x1000", 500, 5);
        assertEquals(Gate.BAD_INPUT, gate(onlyKernel, onlyKernel));
        assertTrue(err.contains("RooflineBench.stream32"), err);
    }

    @Test
    void malformedOrMissingFilesAreBadInput() throws IOException {
        Path good = file("good.json", JmhJsonBuilder.suite(1000, 500).build());
        Path truncated = file("truncated.json", JmhJsonBuilder.suite(1000, 500).build().substring(0, 200));
        assertEquals(Gate.BAD_INPUT, gate(good.toString(), truncated.toString()));
        assertTrue(err.startsWith("gate: ") && err.contains("truncated.json") && err.contains("not a JMH JSON"), err);
        assertEquals(1, err.lines().count(), err);

        Path notResults = file("object.json", "{\"benchmark\": \"x\"}");
        assertEquals(Gate.BAD_INPUT, gate(good.toString(), notResults.toString()));
        assertTrue(err.contains("not an array"), err);

        Path empty = file("empty.json", "[]");
        assertEquals(Gate.BAD_INPUT, gate(empty.toString(), good.toString()));
        assertTrue(err.contains("no benchmark results"), err);

        Path noScore = file("noscore.json", "[{\"benchmark\": \"a.b.C.d\", \"mode\": \"thrpt\", \"primaryMetric\": {}}]");
        assertEquals(Gate.BAD_INPUT, gate(good.toString(), noScore.toString()));
        assertTrue(err.contains("score"), err);

        assertEquals(Gate.BAD_INPUT, gate(good.toString(), dir.resolve("absent.json").toString()));
        assertTrue(err.contains("absent.json") && err.contains("no such file"), err);
    }

    @Test
    void usageErrorsAreBadInput() {
        assertEquals(Gate.BAD_INPUT, gate());
        assertTrue(err.contains("usage"), err);
        assertEquals(Gate.BAD_INPUT, gate("a.json", "b.json", "--frobnicate"));
        assertTrue(err.contains("--frobnicate"), err);
    }

    @Test
    void averageTimeResultsAreConvertedToRates() throws IOException {
        // same measurements as suite(1000, 500) but in microseconds per op
        String avgt = """
                [ { "benchmark": "org.xent.bench.jmh.RooflineBench.dot32", "mode": "avgt",
                    "params": {"shape": "1024x1000"},
                    "primaryMetric": {"score": 1000.0, "scoreError": 10.0, "scoreUnit": "us/op"} },
                  { "benchmark": "org.xent.bench.jmh.SoftCrossEntropyBench.vectorForward32", "mode": "avgt",
                    "params": {"shape": "1024x1000"},
                    "primaryMetric": {"score": 2000.0, "scoreError": 20.0, "scoreUnit": "us/op"} } ]
                """;
        JmhJsonBuilder thrpt = new JmhJsonBuilder()
                .add("RooflineBench.dot32", "1024x1000", 1000, 10)
                .add("SoftCrossEntropyBench.vectorForward32", "1024x1000", 500, 5);
        Path a = file("avgt.json", ClassStamp.stamp(avgt, MachineClass.parseId(JmhJsonBuilder.DEFAULT_CLASS)));
        Path t = file("thrpt.json", thrpt.build());
        assertEquals(Gate.OK, gate(a.toString(), t.toString()));
        assertTrue(row("SoftCrossEntropyBench.vectorForward32").contains("+0.0 %"), out);
    }
}
