package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.Reduction;

/** Every {@code kl_div} golden case through the public API, in the case's dtype (unreduced output is N x C). */
class KLDivergenceGoldenTest {

    private static final String FUNCTION = "kl_div";

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
            float[] t = c.array("target").toFloats();
            float[] out = new float[n * k];
            GoldenLosses.kl(c, Reduction.NONE).forward(x, 0, t, 0, n, k, out, 0);
            c.checkNone(SoftCrossEntropyGoldenTest.toDoubles(out));
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.kl(c, GoldenLosses.reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                float[] g = new float[n * k];
                float value = GoldenLosses.kl(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, SoftCrossEntropyGoldenTest.toDoubles(g));
            }
        } else {
            double[] x = c.array("input").toDoubles();
            double[] t = c.array("target").toDoubles();
            double[] out = new double[n * k];
            GoldenLosses.kl(c, Reduction.NONE).forward(x, 0, t, 0, n, k, out, 0);
            c.checkNone(out);
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, GoldenLosses.kl(c, GoldenLosses.reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                double[] g = new double[n * k];
                double value = GoldenLosses.kl(c, GoldenLosses.reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, g);
            }
        }
    }
}
