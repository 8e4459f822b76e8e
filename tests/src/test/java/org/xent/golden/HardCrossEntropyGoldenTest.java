package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.Reduction;

/** Every {@code cross_entropy_hard} golden case through the public API, in the case's dtype. */
class HardCrossEntropyGoldenTest {

    private static final String FUNCTION = "cross_entropy_hard";

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
        int[] t = c.array("target").toInts();
        if (c.isFloat32()) {
            float[] x = c.array("input").toFloats();
            float[] rows = new float[n];
            GoldenLosses.hard(c, Reduction.NONE).forward(x, 0, t, 0, n, k, rows, 0);
            c.checkNone(SoftCrossEntropyGoldenTest.toDoubles(rows));
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.hard(c, GoldenLosses.reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                float[] g = new float[n * k];
                float value = GoldenLosses.hard(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, SoftCrossEntropyGoldenTest.toDoubles(g));
            }
        } else {
            double[] x = c.array("input").toDoubles();
            double[] rows = new double[n];
            GoldenLosses.hard(c, Reduction.NONE).forward(x, 0, t, 0, n, k, rows, 0);
            c.checkNone(rows);
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.hard(c, GoldenLosses.reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                double[] g = new double[n * k];
                double value = GoldenLosses.hard(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, g);
            }
        }
    }
}
