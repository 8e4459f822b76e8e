package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.Reduction;

/** Every {@code binary_cross_entropy_with_logits} golden case through the public API, in the case's dtype. */
class BinaryCrossEntropyWithLogitsGoldenTest {

    private static final String FUNCTION = "binary_cross_entropy_with_logits";

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        List<GoldenCase> cases = GoldenCase.all(FUNCTION);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c)));
    }

    @AfterAll
    static void printAccuracy() {
        assertTrue(AccuracyLog.print(FUNCTION) > 0);
    }

    private static void run(GoldenCase c) {
        int n = c.rows();
        int k = c.classes();
        if (c.isFloat32()) {
            float[] x = c.array("input").toFloats();
            float[] y = c.array("target").toFloats();
            float[] losses = new float[n * k];
            GoldenLosses.binaryWithLogits(c, Reduction.NONE).forward(x, 0, y, 0, n, k, losses, 0);
            c.checkNone(SoftCrossEntropyGoldenTest.toDoubles(losses));
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.binaryWithLogits(c, GoldenLosses.reduction(r)).forward(x, 0, y, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                float[] g = new float[n * k];
                float value = GoldenLosses.binaryWithLogits(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, y, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, SoftCrossEntropyGoldenTest.toDoubles(g));
            }
        } else {
            double[] x = c.array("input").toDoubles();
            double[] y = c.array("target").toDoubles();
            double[] losses = new double[n * k];
            GoldenLosses.binaryWithLogits(c, Reduction.NONE).forward(x, 0, y, 0, n, k, losses, 0);
            c.checkNone(losses);
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.binaryWithLogits(c, GoldenLosses.reduction(r)).forward(x, 0, y, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                double[] g = new double[n * k];
                double value = GoldenLosses.binaryWithLogits(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, y, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, g);
            }
        }
    }
}
