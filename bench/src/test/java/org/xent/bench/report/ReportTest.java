package org.xent.bench.report;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.xml.parsers.DocumentBuilderFactory;
import org.junit.jupiter.api.Test;
import org.w3c.dom.Document;
import org.xent.bench.results.JmhResult;

class ReportTest {

    private static JmhResult r(String method, String shape, double opsPerSecond, double error) {
        return new JmhResult("org.xent.bench.jmh." + method, shape, opsPerSecond, error, Map.of("shape", shape));
    }

    /** 1024x1000 is 1.024 M elements: 1000 ops/s is 1.024 G elements/s. */
    private static final List<JmhResult> RESULTS = List.of(
            r("RooflineBench.dot32", "1024x1000", 2000, 20),
            r("RooflineBench.stream32", "1024x1000", 1000, 10),
            r("SoftCrossEntropyBench.naiveForward32", "1024x1000", 25, 1),
            r("SoftCrossEntropyBench.vectorForward32", "1024x1000", 1000, 50),
            r("SoftCrossEntropyBench.vectorForwardBackward32", "1024x1000", 800, 8),
            r("RooflineBench.dot32", "256x32000", 100, 1),
            r("SoftCrossEntropyBench.vectorForward32", "256x32000", 40, 1));

    @Test
    void tableHasThroughputBandwidthSpeedupAndRooflineFraction() {
        String md = MarkdownReport.tables(RESULTS);
        assertTrue(md.indexOf("### 1024x1000") < md.indexOf("### 256x32000"), md);
        // 1000 ops/s * 1.024e6 elements = 1.024 Gelem/s; 8 bytes per element read; 40x naive; half the dot
        assertTrue(md.contains("| SoftCrossEntropy | vector fwd f32 | 1.024 ± 0.051 | 8.2 | 40.0x | 0.50 |"), md);
        // forward + gradient: 12 bytes per element, stream roofline, no naive fwd+grad in this run
        assertTrue(md.contains("| SoftCrossEntropy | vector fwd+grad f32 | 0.819 ± 0.008 | 9.8 |  | 0.80 |"), md);
        assertTrue(md.contains("| Roofline | roofline dot f32 | 2.048 ± 0.020 | 16.4 |  |  |"), md);
        // 40 ops/s * 8.192e6 elements
        assertTrue(md.contains("| SoftCrossEntropy | vector fwd f32 | 0.328 ± 0.008 | 2.6 |  | 0.40 |"), md);
    }

    @Test
    void rooflineFractionCountsBytesSoHardLabelsAreNotCreditedWithASecondArray() {
        String md = MarkdownReport.tables(List.of(
                r("RooflineBench.dot32", "1024x1000", 2000, 20),
                r("HardCrossEntropyBench.vectorForward32", "1024x1000", 2000, 20)));
        // as many elements per second as the dot, but it reads one array where the dot reads two
        assertTrue(md.contains("| HardCrossEntropy | vector fwd f32 | 2.048 ± 0.020 | 8.2 |  | 0.50 |"), md);
    }

    @Test
    void hotAndStreamedRunsOfOneShapeGetTablesOfTheirOwnAndTheirOwnRatios() {
        String md = MarkdownReport.tables(List.of(
                r("RooflineBench.dot32", "1024x1000", 2000, 20),
                r("SoftCrossEntropyBench.naiveForward32", "1024x1000", 25, 1),
                r("SoftCrossEntropyBench.vectorForward32", "1024x1000", 1000, 50),
                r("RooflineBench.dot32", "1024x1000:hot", 8000, 80),
                r("SoftCrossEntropyBench.naiveForward32", "1024x1000:hot", 20, 1),
                r("SoftCrossEntropyBench.vectorForward32", "1024x1000:hot", 1200, 50)));
        assertTrue(md.contains("### 1024x1000 (N=1024, C=1000)"), md);
        assertTrue(md.contains("### 1024x1000:hot (N=1024, C=1000)"), md);
        String hot = md.substring(md.indexOf("### 1024x1000:hot"));
        // 1200 / 20 naive, and a quarter of the hot dot's 8000 ops/s
        assertTrue(hot.contains("| SoftCrossEntropy | vector fwd f32 | 1.229 ± 0.051 | 9.8 | 60.0x | 0.15 |"), md);
    }

    @Test
    void chartDrawsTheStreamedRegimeOnly() throws Exception {
        String svg = SvgChart.render("sub", List.of(
                r("SoftCrossEntropyBench.vectorForward32", "1024x1000", 1000, 20),
                r("SoftCrossEntropyBench.vectorForward32", "1024x1000:hot", 1200, 80)));
        // streamed: 1.024 Gelem/s; the hot point (1.229) must not replace it or share its curve
        assertTrue(svg.contains("1.024"), svg);
        assertFalse(svg.contains("1.229"), svg);
    }

    private static JmhResult threaded(String classAndMethod, int threads, double opsPerSecond, double error) {
        return new JmhResult("org.xent.bench." + classAndMethod, "1024x1000", opsPerSecond, error,
                Map.of("shape", "1024x1000", "threads", String.valueOf(threads)));
    }

    /** A threads run at 1024x1000 (1.024 M elements): xent, the rooflines on as many threads, PyTorch forward. */
    private static final List<JmhResult> THREADED = List.of(
            threaded("jmh.ParallelRooflineBench.dot32", 1, 2000, 20),
            threaded("jmh.ParallelRooflineBench.dot32", 2, 3000, 30),
            threaded("jmh.ParallelRooflineBench.stream32", 1, 1000, 10),
            threaded("jmh.ParallelRooflineBench.stream32", 2, 1500, 15),
            threaded("jmh.ParallelSoftCrossEntropyBench.parallelForward32", 1, 1000, 10),
            threaded("jmh.ParallelSoftCrossEntropyBench.parallelForward32", 2, 1800, 36),
            threaded("jmh.ParallelSoftCrossEntropyBench.parallelForwardBackward32", 1, 800, 8),
            threaded("jmh.ParallelSoftCrossEntropyBench.parallelForwardBackward32", 2, 1200, 12),
            threaded("torch.ParallelSoftCrossEntropyBench.torchForward32", 1, 250, 5),
            threaded("torch.ParallelSoftCrossEntropyBench.torchForward32", 2, 400, 8));

    /** a / b with the relative errors added in quadrature, as the report prints it. */
    private static String ratio(double a, double ea, double b, double eb) {
        double r = a / b;
        return String.format(java.util.Locale.ROOT, "%.2f ± %.2f", r, r * Math.hypot(ea / a, eb / b));
    }

    @Test
    void scalingTableHasSpeedupRooflineAndPyTorchRatioAtEachThreadCount() {
        String md = MarkdownReport.scaling(THREADED);
        assertTrue(md.startsWith("## Thread scaling\n"), md);
        assertTrue(md.contains("| threads | Gelem/s | x 1 thread | roofline Gelem/s | roofline x 1 thread | of roofline"
                + " | PyTorch Gelem/s | x PyTorch |"), md);
        // 2 threads: 1800 / 1000 over 1 thread, roofline 3000 / 2000, 1800 / 3000 of it, 1800 / 400 PyTorch
        String speedup = ratio(1800, 36, 1000, 10);
        String roofSpeedup = ratio(3000, 30, 2000, 20);
        String overTorch = ratio(1800, 36, 400, 8);
        assertEquals("1.80 ± 0.04", speedup);
        assertEquals("4.50 ± 0.13", overTorch);
        assertTrue(md.contains("| 1024x1000 | ParallelSoftCrossEntropy | parallel fwd f32 | 2 | 1.843 ± 0.037 | " + speedup
                + " | 3.072 ± 0.031 | " + roofSpeedup + " | 0.60 | 0.410 ± 0.008 | " + overTorch + " |"), md);
        // 1 thread: the base row, half the 1-thread dot, 4x PyTorch on 1 thread
        assertTrue(md.contains("| 1024x1000 | ParallelSoftCrossEntropy | parallel fwd f32 | 1 | 1.024 ± 0.010 | 1.00"
                + " | 2.048 ± 0.020 | 1.00 | 0.50 | 0.256 ± 0.005 | " + ratio(1000, 10, 250, 5) + " |"), md);
        // forward + gradient: the stream roofline at 2 threads; no PyTorch row for it in this run
        assertTrue(md.contains("| 1024x1000 | ParallelSoftCrossEntropy | parallel fwd+grad f32 | 2 | 1.229 ± 0.012 | "
                + ratio(1200, 12, 800, 8) + " | 1.536 ± 0.015 | " + ratio(1500, 15, 1000, 10) + " | 0.80 |  |  |"), md);
        // forward rows before forward + gradient, 1 thread before 2
        assertTrue(md.indexOf("parallel fwd f32 | 1 |") < md.indexOf("parallel fwd f32 | 2 |"), md);
        assertTrue(md.indexOf("parallel fwd f32 | 2 |") < md.indexOf("parallel fwd+grad f32 | 1 |"), md);
        // the per-shape table names the thread count and takes the roofline at the same count
        String tables = MarkdownReport.tables(THREADED);
        assertTrue(tables.contains("| ParallelSoftCrossEntropy | parallel fwd f32, 2 threads | 1.843 ± 0.037 | 14.7 |  | 0.60 |"),
                tables);
        assertEquals(MarkdownReport.scaling(THREADED) + tables, MarkdownReport.body(THREADED));
    }

    @Test
    void scalingTableWithoutPyTorchHasNoPyTorchColumns() {
        String md = MarkdownReport.scaling(THREADED.stream().filter(r -> !r.benchmark().contains(".torch.")).toList());
        assertFalse(md.contains("PyTorch"), md);
        assertTrue(md.contains("| 0.60 |\n"), md);
    }

    @Test
    void reportsWithoutThreadedBenchmarksHaveNoScalingSection() {
        assertEquals("", MarkdownReport.scaling(RESULTS));
        assertEquals(MarkdownReport.tables(RESULTS), MarkdownReport.body(RESULTS));
        assertFalse(MarkdownReport.render("t", Map.of(), RESULTS).contains("Thread scaling"));
    }

    @Test
    void threadedRunsGetAScalingChart() throws Exception {
        String svg = SvgChart.render("threads 1,2", THREADED);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        assertTrue(svg.contains("ParallelSoftCrossEntropy, float32, threads 1,2: throughput against threads"), svg);
        // one panel: dot, stream, parallel fwd, parallel fwd+grad, torch fwd
        assertEquals(5, doc.getElementsByTagName("polyline").getLength(), svg);
        assertTrue(svg.contains("parallel fwd f32, 2 threads 1024x1000: 1.843 ± 0.037 Gelem/s"), svg);
        assertTrue(svg.contains("torch fwd f32, same intra-op threads"), svg);
        // a run that also has one-thread kernels (--full) keeps the chart against C
        List<JmhResult> mixed = new java.util.ArrayList<>(RESULTS);
        mixed.addAll(THREADED);
        assertFalse(SvgChart.render("sub", mixed).contains("against threads"));
    }

    @Test
    void fullReportStartsWithTheHeader() {
        Map<String, String> header = new LinkedHashMap<>();
        header.put("CPU", "Test CPU");
        header.put("Species bit width", "512");
        String md = MarkdownReport.render("title", header, RESULTS);
        assertTrue(md.startsWith("# title\n\n- **CPU**: Test CPU\n- **Species bit width**: 512\n"), md);
    }

    @Test
    void chartIsWellFormedSvgWithOneLinePerSeries() throws Exception {
        String svg = SvgChart.render("chart <&>", RESULTS);
        Document doc = DocumentBuilderFactory.newInstance().newDocumentBuilder()
                .parse(new ByteArrayInputStream(svg.getBytes(StandardCharsets.UTF_8)));
        assertEquals("svg", doc.getDocumentElement().getNodeName());
        // dot, stream, vector fwd, vector fwd+grad, naive fwd
        assertEquals(5, doc.getElementsByTagName("polyline").getLength(), svg);
        assertTrue(svg.contains("SoftCrossEntropy, float32, chart &lt;&amp;&gt;"), svg);
    }

    @Test
    void chartPlotsAnotherLossWhenSoftCrossEntropyIsAbsent() throws Exception {
        String svg = SvgChart.render("sub", List.of(
                r("RooflineBench.dot32", "1024x1000", 2000, 20),
                r("KLDivergenceBench.vectorForward32", "1024x1000", 1000, 10),
                r("KLDivergenceBench.naiveForward32", "1024x1000", 50, 1)));
        assertTrue(svg.contains("KLDivergence, float32, sub"), svg);
        assertEquals(3, svg.split("<polyline").length - 1, svg);
    }

    @Test
    void chartWithoutDataSaysSo() {
        assertTrue(SvgChart.render("t", List.of()).contains("no float32 loss results"));
    }
}
