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
