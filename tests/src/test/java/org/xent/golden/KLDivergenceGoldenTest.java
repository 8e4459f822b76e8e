package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Locale;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.KLDivergence;
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

    private static KLDivergence loss(GoldenCase c, Reduction reduction) {
        return KLDivergence.builder().reduction(reduction).logTarget(c.boolParam("log_target")).build();
    }

    private static Reduction reduction(String name) {
        return Reduction.valueOf(name.toUpperCase(Locale.ROOT));
    }

    private static void run(GoldenCase c) {
        int n = c.rows();
        int k = c.classes();
        if (c.isFloat32()) {
            float[] x = c.array("input").toFloats();
            float[] t = c.array("target").toFloats();
            float[] out = new float[n * k];
            loss(c, Reduction.NONE).forward(x, 0, t, 0, n, k, out, 0);
            c.checkNone(SoftCrossEntropyGoldenTest.toDoubles(out));
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, loss(c, reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                float[] g = new float[n * k];
                float value = loss(c, reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, SoftCrossEntropyGoldenTest.toDoubles(g));
            }
        } else {
            double[] x = c.array("input").toDoubles();
            double[] t = c.array("target").toDoubles();
            double[] out = new double[n * k];
            loss(c, Reduction.NONE).forward(x, 0, t, 0, n, k, out, 0);
            c.checkNone(out);
            for (String r : c.reducedOrder()) {
                c.checkReduced(r, loss(c, reduction(r)).forward(x, 0, t, 0, n, k, null, 0));
            }
            for (String r : c.gradReductions()) {
                double[] g = new double[n * k];
                double value = loss(c, reduction(r)).forwardBackward(x, 0, t, 0, n, k, null, 0, g, 0);
                c.checkReduced(r, value);
                c.checkGrad(r, g);
            }
        }
    }
}
