package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.Reduction;

/** Every {@code cross_entropy_soft} golden case through the public API, in the case's dtype. */
class SoftCrossEntropyGoldenTest {

    private static final String FUNCTION = "cross_entropy_soft";

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
            float[] rows = new float[n];
            GoldenLosses.soft(c, Reduction.NONE).forward(x, 0, y, 0, n, k, rows, 0);
            c.checkNone(toDoubles(rows));
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.soft(c, GoldenLosses.reduction(r)).forward(x, 0, y, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                float[] g = new float[n * k];
                float value = GoldenLosses.soft(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, y, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, toDoubles(g));
            }
        } else {
            double[] x = c.array("input").toDoubles();
            double[] y = c.array("target").toDoubles();
            double[] rows = new double[n];
            GoldenLosses.soft(c, Reduction.NONE).forward(x, 0, y, 0, n, k, rows, 0);
            c.checkNone(rows);
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.soft(c, GoldenLosses.reduction(r)).forward(x, 0, y, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                double[] g = new double[n * k];
                double value = GoldenLosses.soft(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, y, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, g);
            }
        }
    }

    static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }
}
