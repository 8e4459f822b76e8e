package org.xent.golden;

import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.TensorView;

/**
 * Every float32 and float64 golden case through the {@link Loss} API with views of plain Java arrays of the
 * compute type ({@code float[]} or {@code double[]}, {@code int[]} class indices): the views' direct path, one
 * kernel call on the caller's arrays, which the half set (always staged) does not reach.
 */
class GoldenArrayViewsTest {

    private static final List<String> FUNCTIONS = List.of("cross_entropy_soft", "cross_entropy_hard",
            "binary_cross_entropy", "binary_cross_entropy_with_logits", "kl_div", "distillation_kl");

    @TestFactory
    Stream<DynamicTest> goldenCases() {
        return FUNCTIONS.stream().flatMap(f -> GoldenCase.all(f).stream())
                .map(c -> DynamicTest.dynamicTest(c.id(), () -> run(c)));
    }

    private static void run(GoldenCase c) {
        int n = c.rows();
        int k = c.classes();
        boolean hard = c.function().equals("cross_entropy_hard");
        boolean elementwise = c.function().startsWith("binary") || c.function().equals("kl_div");
        int outSize = elementwise ? n * k : n;
        boolean f32 = c.isFloat32();
        TensorView x = f32 ? TensorView.of(c.array("input").toFloats()).matrix(n, k)
                : TensorView.of(c.array("input").toDoubles()).matrix(n, k);
        TensorView t = hard ? TensorView.of(c.array("target").toInts())
                : f32 ? TensorView.of(c.array("target").toFloats()).matrix(n, k)
                : TensorView.of(c.array("target").toDoubles()).matrix(n, k);

        float[] out32 = new float[outSize];
        double[] out64 = new double[outSize];
        TensorView out = f32 ? TensorView.of(out32) : TensorView.of(out64);
        if (elementwise) {
            out = out.matrix(n, k);
        }
        GoldenLosses.of(c, Reduction.NONE).forward(x, t, out);
        c.checkNone(f32 ? SoftCrossEntropyGoldenTest.toDoubles(out32) : out64);
        for (String r : c.reducedOrder()) {
            c.checkReduced(r, GoldenLosses.of(c, GoldenLosses.reduction(r)).forward(x, t));
        }
        for (String r : c.gradReductions()) {
            float[] g32 = new float[n * k];
            double[] g64 = new double[n * k];
            TensorView g = (f32 ? TensorView.of(g32) : TensorView.of(g64)).matrix(n, k);
            c.checkReduced(r, GoldenLosses.of(c, GoldenLosses.reduction(r)).forwardBackward(x, t, null, g));
            c.checkGrad(r, f32 ? SoftCrossEntropyGoldenTest.toDoubles(g32) : g64);
        }
    }
}
