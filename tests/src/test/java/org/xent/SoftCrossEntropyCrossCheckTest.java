package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.xent.internal.KernelProvider;
import org.xent.internal.SoftCrossEntropyKernel;
import org.xent.internal.vector.VectorLossKernels;

/**
 * Soft-label cross-entropy: the vector kernel, the scalar kernel and the public API against the float64
 * reference of {@link SoftCrossEntropyReference}, on random data with fixed seeds, for every C from 1 to 70
 * and larger C up to 128256, float32 and float64, forward, forward + backward and in place, with offsets and
 * guard values around every slice. The surefire setup runs this class at 512, 256 and 128 bits.
 *
 * <h2>Error bounds (u = 2^-24 for float32, 2^-53 for float64)</h2>
 * Notation per row (from the reference): z_c = x_c - max, coefficients a_c, A = sum a_c, log s the log-sum-exp
 * of z, {@code T = sum_c |a_c| (log s + |z_c|)} (the size of the loss's terms), {@code P = sum_c p_c |z_c|}.
 * The basis of a row bound is {@code B = T + |A| (1 + P) + |loss|}:
 * <ul>
 *   <li>each coefficient a_c is rounded up to 4 times in float (eps to float, the fma with k1 and k2, the
 *       weight product; PyTorch also rounds the smoothed target): at most 4u|a_c|, so 4uT;</li>
 *   <li>z_c is rounded (u|z_c|): at most uT in the dot, and e^{z_c} moves by u|z_c| relative, which moves
 *       log s by uP and the loss by uAP; FloatExp adds under 2 ulp per exp (see FloatExpTest): 2uA;</li>
 *   <li>the row result is rounded to float: u|loss|;</li>
 *   <li>the vector kernel sums s, A and the dot in float lanes, K = min(ceil(C / lanes), 16) terms per lane
 *       (it moves the lane sums to double every 16 vectors): the worst case is (K + log2 lanes) u times the
 *       sum of magnitudes, the typical (and observed) growth is like sqrt(K) because the rounding errors do
 *       not all go the same way.</li>
 * </ul>
 * So the vector bound is {@code k u B (1 + sqrt K)} and the scalar one (which sums in double) {@code k u B}; the
 * constants k below are the smallest round numbers above twice the largest ratio observed over all cases and
 * all three widths (printed by this class at the end of a run). Float64 uses u = 2^-53 and the worst-case
 * growth of its sums (see growth64), which is still about 1e-12 relative at C = 128256. A broken lane, a lost tail or a wrong coefficient gives
 * an error of the order of the values themselves, many orders above these bounds.
 *
 * <p>Gradient, element c (scale g): {@code k g (pA_c (2 + |z_c| + sqrt K) + |a_c|) u} plus
 * {@code 2 MIN_NORMAL (|A| g + 1)} for exps that underflow (FloatExp gives 0 below -87.33, the true value is
 * below MIN_NORMAL).
 */
class SoftCrossEntropyCrossCheckTest {

    private static final double U32 = 0x1p-24;
    private static final double U64 = 0x1p-53;

    // Bound constants; see the class comment. Largest observed ratios are printed by stats.
    // Bound constants; see the class comment. Largest ratios observed over 512, 256 and 128 bits (Emerald
    // Rapids, JDK 25.0.3): vector loss 0.69, scalar loss 1.01, vector gradient 3.7, scalar gradient 3.5,
    // float64 loss 0.34 and gradient 4.7 (against the worst-case growth of growth64).
    private static final double K_VECTOR_LOSS32 = 2;
    private static final double K_SCALAR_LOSS32 = 3;
    private static final double K_VECTOR_GRAD32 = 8;
    private static final double K_SCALAR_GRAD32 = 8;
    private static final double K_LOSS64 = 1;
    private static final double K_GRAD64 = 10;

    /**
     * The vector kernel sums at most this many vectors in float lanes before moving the partial sums to double
     * (VectorSoftCrossEntropy.BLOCK), so its float rounding grows with min(K, this), not with K. A kernel that
     * summed whole rows in float again would fail the large-C cases: at C = 128256 that was measured at 2.4e-6
     * (row) and 7.8e-5 (gradient, normwise) relative, 40-700 times the error of the block-wise sums.
     */
    private static final int KERNEL_FLOAT_BLOCK = 16;

    private static final SoftCrossEntropyKernel VECTOR =
            KernelProvider.vector().orElseThrow().softCrossEntropy();
    private static final SoftCrossEntropyKernel SCALAR = KernelProvider.scalar().softCrossEntropy();
    private static final int FLOAT_LANES = VectorLossKernels.bits() / 32;
    private static final int DOUBLE_LANES = VectorLossKernels.bits() / 64;

    /** Guard written around output slices; checked bit for bit after each call. */
    private static final float OUT_GUARD32 = -7777.25f;
    private static final double OUT_GUARD64 = -7777.25;
    /** Guard around input slices: a kernel that read it as a logit or target would be far off. */
    private static final float IN_GUARD32 = 1e4f;
    private static final int TAIL_GUARD = 5;

    private static final ErrorStats STATS = new ErrorStats("SoftCrossEntropyCrossCheckTest, "
            + VectorLossKernels.bits() + "-bit vectors; ratio = error / (u * basis [* (1 + sqrt K)])");

    @AfterAll
    static void printStats() {
        STATS.print();
    }

    static Stream<Arguments> shapes() {
        List<Arguments> list = new ArrayList<>();
        int[] smallRows = {1, 2, 3, 5, 17, 64, 257};
        for (int c = 1; c <= 70; c++) {
            for (int n : smallRows) {
                list.add(Arguments.of(n, c));
            }
        }
        int[][] large = {{1, 100}, {5, 100}, {64, 100}, {1, 1000}, {3, 1000}, {17, 1000}, {1, 1023}, {2, 1023},
                {17, 1023}, {1, 4097}, {3, 4097}, {2, 32000}, {1, 128256}, {2, 128256}};
        for (int[] nc : large) {
            list.add(Arguments.of(nc[0], nc[1]));
        }
        return list.stream();
    }

    // ------------------------------------------------------------------------------------------ data

    /** One random problem in float32 and float64, with its options and slice offsets. */
    static final class Problem {
        final int rows, classes;
        final double eps;
        final float[] w32;
        final double[] w64;
        final int xOff, yOff, lossOff, gradOff;
        final float[] x32, y32; // with guards around the slice
        final double[] x64, y64;
        final float gradScale32;
        final double gradScale64;
        final String label;

        Problem(int rows, int classes, long seed) {
            SplittableRandom rnd = new SplittableRandom(seed);
            this.rows = rows;
            this.classes = classes;
            int choice = rnd.nextInt(3);
            this.eps = choice == 0 ? 0.0 : choice == 1 ? 0.1 : rnd.nextDouble();
            if (rnd.nextBoolean()) {
                w64 = new double[classes];
                w32 = new float[classes];
                for (int c = 0; c < classes; c++) {
                    // some exact zeros: weighted-out classes must contribute exactly 0
                    w32[c] = rnd.nextInt(10) == 0 ? 0f : (float) (0.25 + 1.75 * rnd.nextDouble());
                    w64[c] = rnd.nextInt(10) == 0 ? 0.0 : 0.25 + 1.75 * rnd.nextDouble();
                }
            } else {
                w32 = null;
                w64 = null;
            }
            xOff = rnd.nextInt(8);
            yOff = rnd.nextInt(8);
            lossOff = rnd.nextInt(8);
            gradOff = rnd.nextInt(8);
            int size = rows * classes;
            x32 = new float[xOff + size + TAIL_GUARD];
            y32 = new float[yOff + size + TAIL_GUARD];
            x64 = new double[xOff + size + TAIL_GUARD];
            y64 = new double[yOff + size + TAIL_GUARD];
            Arrays.fill(x32, IN_GUARD32);
            Arrays.fill(y32, IN_GUARD32);
            Arrays.fill(x64, IN_GUARD32);
            Arrays.fill(y64, IN_GUARD32);
            for (int n = 0; n < rows; n++) {
                // 1 row in 4 is sparse; without smoothing, some of its zero-target classes get -inf logits
                // (a masked vocabulary, finite by the documented deviation)
                boolean sparse = rnd.nextInt(4) == 0;
                boolean mask = sparse && eps == 0.0;
                double total32 = 0, total64 = 0;
                for (int c = 0; c < classes; c++) {
                    boolean zero = sparse && rnd.nextBoolean();
                    double t32 = zero ? 0 : -Math.log(1 - rnd.nextDouble()); // Dirichlet(1) before normalising
                    double t64 = zero ? 0 : -Math.log(1 - rnd.nextDouble());
                    y32[yOff + n * classes + c] = (float) t32;
                    y64[yOff + n * classes + c] = t64;
                    total32 += t32;
                    total64 += t64;
                    // class n % C is never masked: an all -inf row is NaN (tested with the edge cases)
                    boolean masked = mask && zero && c != n % classes && rnd.nextInt(3) == 0;
                    x32[xOff + n * classes + c] = masked ? Float.NEGATIVE_INFINITY : (float) (3 * rnd.nextGaussian());
                    x64[xOff + n * classes + c] = masked ? Double.NEGATIVE_INFINITY : 3 * rnd.nextGaussian();
                }
                for (int c = 0; c < classes; c++) {
                    int i = yOff + n * classes + c;
                    y32[i] = total32 == 0 ? 0f : (float) (y32[i] / total32);
                    y64[i] = total64 == 0 ? 0.0 : y64[i] / total64;
                }
            }
            boolean mean = rnd.nextBoolean();
            gradScale32 = mean ? (float) (1.0 / rows) : 1f;
            gradScale64 = mean ? 1.0 / rows : 1.0;
            label = "N=" + rows + " C=" + classes + " eps=" + eps + " weights=" + (w32 != null)
                    + " offsets=" + xOff + "/" + yOff + "/" + lossOff + "/" + gradOff + " gradScale=" + gradScale64;
        }
    }

    private static String range(int classes) {
        return classes <= 70 ? "C 1..70" : classes <= 1023 ? "C 100..1023" : "C 4097..128256";
    }

    // ------------------------------------------------------------------------------------------ bounds

    private static double basis(SoftCrossEntropyReference.Row r) {
        return r.termMagnitude + Math.abs(r.sumA) * (1 + r.softmaxSpread) + Math.abs(r.loss);
    }

    private static double vectorGrowth32(int classes) {
        return 1 + Math.sqrt(Math.min(KERNEL_FLOAT_BLOCK, Math.ceil(classes / (double) FLOAT_LANES)));
    }

    /**
     * Float64 uses the worst-case growth of a float sum, K + log2(lanes) for the vector kernel's lanes and C for
     * the scalar kernel's sequential sums: it is still ~1e-12 relative at C = 128256, and a sequential double sum
     * of 128k similar terms was measured at 0.1 of it (rounding errors of similar terms do not cancel).
     */
    private static double growth64(boolean vector, int classes) {
        if (vector) {
            return 2 + Math.ceil(classes / (double) DOUBLE_LANES) + Integer.numberOfTrailingZeros(DOUBLE_LANES);
        }
        return 2 + classes;
    }

    // ------------------------------------------------------------------------------------------ tests

    @ParameterizedTest(name = "N={0} C={1}")
    @MethodSource("shapes")
    void float32KernelsMatchReference(int rows, int classes) {
        Problem p = new Problem(rows, classes, 1_000_003L * classes + rows);
        SoftCrossEntropyReference.Row[] ref = SoftCrossEntropyReference.rows(p.x32, p.xOff, p.y32, p.yOff,
                rows, classes, p.w32, p.eps);
        checkFloat32Kernel("vector", VECTOR, p, ref);
        checkFloat32Kernel("scalar", SCALAR, p, ref);
    }

    @ParameterizedTest(name = "N={0} C={1}")
    @MethodSource("shapes")
    void float64KernelsMatchReference(int rows, int classes) {
        Problem p = new Problem(rows, classes, 7_000_003L * classes + rows);
        SoftCrossEntropyReference.Row[] ref = SoftCrossEntropyReference.rows(p.x64, p.xOff, p.y64, p.yOff,
                rows, classes, p.w64, p.eps);
        checkFloat64Kernel("vector", VECTOR, p, ref);
        checkFloat64Kernel("scalar", SCALAR, p, ref);
    }

    @ParameterizedTest(name = "N={0} C={1}")
    @MethodSource("shapes")
    void publicApiMatchesReference(int rows, int classes) {
        Problem p = new Problem(rows, classes, 3_000_017L * classes + rows);
        SoftCrossEntropyReference.Row[] ref32 = SoftCrossEntropyReference.rows(p.x32, p.xOff, p.y32, p.yOff,
                rows, classes, p.w32, p.eps);
        SoftCrossEntropyReference.Row[] ref64 = SoftCrossEntropyReference.rows(p.x64, p.xOff, p.y64, p.yOff,
                rows, classes, p.w64, p.eps);
        for (Reduction reduction : new Reduction[] {Reduction.NONE, Reduction.SUM, Reduction.MEAN}) {
            checkPublicFloat32(p, ref32, reduction);
            checkPublicFloat64(p, ref64, reduction);
        }
    }

    // ------------------------------------------------------------------------------------------ float32

    private void checkFloat32Kernel(String name, SoftCrossEntropyKernel kernel, Problem p,
                                    SoftCrossEntropyReference.Row[] ref) {
        boolean vector = name.equals("vector");
        int rows = p.rows, classes = p.classes, size = rows * classes;
        float[] x = p.x32.clone(), y = p.y32.clone();
        float eps = (float) p.eps;
        String where = name + " float32 " + p.label;

        // forward
        float[] loss = guarded32(p.lossOff, rows);
        double sum = kernel.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, p.w32, eps, loss, p.lossOff, null, 0, 0);
        assertInputsUntouched(p, x, y, where);
        assertGuards(loss, p.lossOff, rows, where + " rowLoss");
        checkRowLosses32(name + " forward", vector, loss, p.lossOff, sum, ref, classes, where);

        // forward without a row-loss buffer returns the same sum
        double sumNoBuffer = kernel.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, p.w32, eps, null, 0, null, 0, 0);
        assertClose(sum, sumNoBuffer, rowBoundSum32(vector, ref, classes) * 2, where + " sum without rowLoss");

        // forward + backward into a separate gradient buffer
        float[] loss2 = guarded32(p.lossOff, rows);
        float[] grad = guarded32(p.gradOff, size);
        double sum2 = kernel.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, p.w32, eps, loss2, p.lossOff,
                grad, p.gradOff, p.gradScale32);
        assertInputsUntouched(p, x, y, where);
        assertGuards(loss2, p.lossOff, rows, where + " rowLoss (forwardBackward)");
        assertGuards(grad, p.gradOff, size, where + " gradient");
        checkRowLosses32(name + " forwardBackward", vector, loss2, p.lossOff, sum2, ref, classes, where);
        checkGradient32(name, vector, grad, p.gradOff, p.gradScale32, ref, classes, where);

        // in place: the gradient overwrites the logits slice
        float[] xInPlace = p.x32.clone();
        double sum3 = kernel.forwardBackward(xInPlace, p.xOff, y, p.yOff, rows, classes, p.w32, eps, null, 0,
                xInPlace, p.xOff, p.gradScale32);
        for (int i = 0; i < p.xOff; i++) {
            assertEquals(IN_GUARD32, xInPlace[i], where + " in place: guard before the slice");
        }
        for (int i = p.xOff + size; i < xInPlace.length; i++) {
            assertEquals(IN_GUARD32, xInPlace[i], where + " in place: guard after the slice");
        }
        assertClose(ref(ref), sum3, rowBoundSum32(vector, ref, classes), where + " in-place sum");
        checkGradient32(name + " in place", vector, xInPlace, p.xOff, p.gradScale32, ref, classes, where);
    }

    private static double rowBound32(boolean vector, SoftCrossEntropyReference.Row r, int classes) {
        return vector ? K_VECTOR_LOSS32 * U32 * basis(r) * vectorGrowth32(classes) : K_SCALAR_LOSS32 * U32 * basis(r);
    }

    private static double rowBoundSum32(boolean vector, SoftCrossEntropyReference.Row[] ref, int classes) {
        double b = 0;
        for (SoftCrossEntropyReference.Row r : ref) {
            b += rowBound32(vector, r, classes);
        }
        return b;
    }

    private static double ref(SoftCrossEntropyReference.Row[] ref) {
        return SoftCrossEntropyReference.sum(ref);
    }

    private void checkRowLosses32(String what, boolean vector, float[] loss, int off, double sum,
                                  SoftCrossEntropyReference.Row[] ref, int classes, String where) {
        double growth = vector ? vectorGrowth32(classes) : 1;
        String kernel = vector ? "vector" : "scalar";
        double maxErr = 0, maxRef = 0;
        for (int n = 0; n < ref.length; n++) {
            double e = ref[n].loss;
            double err = Math.abs(loss[off + n] - e);
            double bound = rowBound32(vector, ref[n], classes);
            if (!(err <= bound)) {
                fail(where + " " + what + ": row " + n + " loss " + loss[off + n] + ", reference " + e
                        + ", error " + err + " > bound " + bound);
            }
            STATS.record(kernel + " f32 row loss ratio", err / (U32 * basis(ref[n]) * growth));
            maxErr = Math.max(maxErr, err);
            maxRef = Math.max(maxRef, Math.abs(e));
        }
        if (maxRef > 0) {
            STATS.record(kernel + " f32 row loss normwise error, " + range(classes), maxErr / maxRef);
        }
        assertClose(ref(ref), sum, rowBoundSum32(vector, ref, classes), where + " " + what + " returned sum");
    }

    private void checkGradient32(String what, boolean vector, float[] grad, int off, float scale,
                                 SoftCrossEntropyReference.Row[] ref, int classes, String where) {
        double growth = vector ? vectorGrowth32(classes) - 1 : 0;
        double k = vector ? K_VECTOR_GRAD32 : K_SCALAR_GRAD32;
        String kernel = vector ? "vector" : "scalar";
        double maxErr = 0, maxRef = 0;
        for (int n = 0; n < ref.length; n++) {
            SoftCrossEntropyReference.Row r = ref[n];
            for (int c = 0; c < classes; c++) {
                double e = r.grad[c] * scale;
                double actual = grad[off + n * classes + c];
                double err = Math.abs(actual - e);
                double zc = Double.isInfinite(r.z[c]) ? 0 : Math.abs(r.z[c]);
                double basis = scale * (r.pA[c] * (2 + zc + growth) + Math.abs(r.a[c]));
                double bound = k * U32 * basis + 2 * Float.MIN_NORMAL * (Math.abs(r.sumA) * scale + 1);
                if (!(err <= bound)) {
                    fail(where + " " + what + ": gradient row " + n + " class " + c + " = " + actual
                            + ", reference " + e + ", error " + err + " > bound " + bound);
                }
                if (basis > 0) {
                    STATS.record(kernel + " f32 gradient ratio", err / (U32 * basis));
                }
                maxErr = Math.max(maxErr, err);
                maxRef = Math.max(maxRef, Math.abs(e));
            }
        }
        if (maxRef > 0) {
            STATS.record(kernel + " f32 gradient normwise error, " + range(classes), maxErr / maxRef);
        }
    }

    // ------------------------------------------------------------------------------------------ float64

    private void checkFloat64Kernel(String name, SoftCrossEntropyKernel kernel, Problem p,
                                    SoftCrossEntropyReference.Row[] ref) {
        boolean vector = name.equals("vector");
        int rows = p.rows, classes = p.classes, size = rows * classes;
        double[] x = p.x64.clone(), y = p.y64.clone();
        String where = name + " float64 " + p.label;

        double[] loss = guarded64(p.lossOff, rows);
        double sum = kernel.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, p.w64, p.eps, loss, p.lossOff, null, 0, 0);
        assertTrue(Arrays.equals(p.x64, x) && Arrays.equals(p.y64, y), where + ": inputs modified");
        assertGuards(loss, p.lossOff, rows, where + " rowLoss");
        checkRowLosses64(name + " forward", vector, loss, p.lossOff, sum, ref, classes, where);

        double[] loss2 = guarded64(p.lossOff, rows);
        double[] grad = guarded64(p.gradOff, size);
        double sum2 = kernel.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, p.w64, p.eps, loss2, p.lossOff,
                grad, p.gradOff, p.gradScale64);
        assertTrue(Arrays.equals(p.x64, x) && Arrays.equals(p.y64, y), where + ": inputs modified");
        assertGuards(loss2, p.lossOff, rows, where + " rowLoss (forwardBackward)");
        assertGuards(grad, p.gradOff, size, where + " gradient");
        checkRowLosses64(name + " forwardBackward", vector, loss2, p.lossOff, sum2, ref, classes, where);
        checkGradient64(name, vector, grad, p.gradOff, p.gradScale64, ref, classes, where);

        double[] xInPlace = p.x64.clone();
        double sum3 = kernel.forwardBackward(xInPlace, p.xOff, y, p.yOff, rows, classes, p.w64, p.eps, null, 0,
                xInPlace, p.xOff, p.gradScale64);
        for (int i = 0; i < p.xOff; i++) {
            assertEquals(IN_GUARD32, xInPlace[i], where + " in place: guard before the slice");
        }
        for (int i = p.xOff + size; i < xInPlace.length; i++) {
            assertEquals(IN_GUARD32, xInPlace[i], where + " in place: guard after the slice");
        }
        assertClose(ref(ref), sum3, rowBoundSum64(vector, ref, classes), where + " in-place sum");
        checkGradient64(name + " in place", vector, xInPlace, p.xOff, p.gradScale64, ref, classes, where);
    }

    private static double rowBound64(boolean vector, SoftCrossEntropyReference.Row r, int classes) {
        return K_LOSS64 * U64 * basis(r) * growth64(vector, classes);
    }

    private static double rowBoundSum64(boolean vector, SoftCrossEntropyReference.Row[] ref, int classes) {
        double b = 0;
        for (SoftCrossEntropyReference.Row r : ref) {
            b += rowBound64(vector, r, classes);
        }
        return b;
    }

    private void checkRowLosses64(String what, boolean vector, double[] loss, int off, double sum,
                                  SoftCrossEntropyReference.Row[] ref, int classes, String where) {
        String kernel = vector ? "vector" : "scalar";
        double maxErr = 0, maxRef = 0;
        for (int n = 0; n < ref.length; n++) {
            double e = ref[n].loss;
            double err = Math.abs(loss[off + n] - e);
            double bound = rowBound64(vector, ref[n], classes);
            if (!(err <= bound)) {
                fail(where + " " + what + ": row " + n + " loss " + loss[off + n] + ", reference " + e
                        + ", error " + err + " > bound " + bound);
            }
            STATS.record(kernel + " f64 row loss ratio", err / (U64 * basis(ref[n]) * growth64(vector, classes)));
            maxErr = Math.max(maxErr, err);
            maxRef = Math.max(maxRef, Math.abs(e));
        }
        if (maxRef > 0) {
            STATS.record(kernel + " f64 row loss normwise error, " + range(classes), maxErr / maxRef);
        }
        assertClose(ref(ref), sum, rowBoundSum64(vector, ref, classes), where + " " + what + " returned sum");
    }

    private void checkGradient64(String what, boolean vector, double[] grad, int off, double scale,
                                 SoftCrossEntropyReference.Row[] ref, int classes, String where) {
        String kernel = vector ? "vector" : "scalar";
        double growth = growth64(vector, classes);
        for (int n = 0; n < ref.length; n++) {
            SoftCrossEntropyReference.Row r = ref[n];
            for (int c = 0; c < classes; c++) {
                double e = r.grad[c] * scale;
                double actual = grad[off + n * classes + c];
                double err = Math.abs(actual - e);
                double zc = Double.isInfinite(r.z[c]) ? 0 : Math.abs(r.z[c]);
                double basis = scale * (r.pA[c] * (2 + zc + growth) + Math.abs(r.a[c]));
                double bound = K_GRAD64 * U64 * basis + 2 * Double.MIN_NORMAL * (Math.abs(r.sumA) * scale + 1);
                if (!(err <= bound)) {
                    fail(where + " " + what + ": gradient row " + n + " class " + c + " = " + actual
                            + ", reference " + e + ", error " + err + " > bound " + bound);
                }
                if (basis > 0) {
                    STATS.record(kernel + " f64 gradient ratio", err / (U64 * basis));
                }
            }
        }
    }

    // ------------------------------------------------------------------------------------------ public API

    private void checkPublicFloat32(Problem p, SoftCrossEntropyReference.Row[] ref, Reduction reduction) {
        SoftCrossEntropy loss = SoftCrossEntropy.builder().reduction(reduction).labelSmoothing(p.eps)
                .classWeights(p.w32).build();
        int rows = p.rows, classes = p.classes, size = rows * classes;
        String where = "public float32 " + reduction + " " + p.label;
        double divisor = reduction == Reduction.MEAN ? rows : 1;
        double expected = ref(ref) / divisor;
        // the kernel's (vector) bound on the sum, then the final rounding of the result to float
        double bound = rowBoundSum32(true, ref, classes) / divisor + U32 * Math.abs(expected);
        float[] x = p.x32.clone(), y = p.y32.clone();
        float[] rowLosses = reduction == Reduction.NONE ? guarded32(p.lossOff, rows) : null;

        float value = loss.forward(x, p.xOff, y, p.yOff, rows, classes, rowLosses, p.lossOff);
        assertClose(expected, value, bound, where + " forward");
        assertInputsUntouched(p, x, y, where);
        if (rowLosses != null) {
            assertGuards(rowLosses, p.lossOff, rows, where + " rowLosses");
            for (int n = 0; n < rows; n++) {
                assertClose(ref[n].loss, rowLosses[p.lossOff + n], rowBound32(true, ref[n], classes),
                        where + " rowLosses[" + n + "]");
            }
        }
        if (rows > 0 && size <= 100_000 && reduction == Reduction.SUM && p.xOff == 0 && p.yOff == 0) {
            // the short overload reads from index 0
            float shortValue = SoftCrossEntropy.builder().reduction(Reduction.SUM).labelSmoothing(p.eps)
                    .classWeights(p.w32).build().forward(x, y, rows, classes);
            assertClose(expected, shortValue, bound, where + " forward(x, y, rows, classes)");
        }

        float[] grad = guarded32(p.gradOff, size);
        float value2 = loss.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, rowLosses, p.lossOff,
                grad, p.gradOff);
        assertClose(expected, value2, bound, where + " forwardBackward");
        assertInputsUntouched(p, x, y, where);
        assertGuards(grad, p.gradOff, size, where + " gradient");
        float scale = (float) (1.0 / divisor);
        checkGradient32("public " + reduction, true, grad, p.gradOff, scale, ref, classes, where);
        // no stats for the public API: same kernel as above

        // in place through the public API
        float[] xInPlace = p.x32.clone();
        float value3 = loss.forwardBackward(xInPlace, p.xOff, y, p.yOff, rows, classes, null, 0,
                xInPlace, p.xOff);
        assertClose(expected, value3, bound, where + " forwardBackward in place");
        checkGradient32("public in place " + reduction, true, xInPlace, p.xOff, scale, ref, classes, where);
    }

    private void checkPublicFloat64(Problem p, SoftCrossEntropyReference.Row[] ref, Reduction reduction) {
        SoftCrossEntropy loss = SoftCrossEntropy.builder().reduction(reduction).labelSmoothing(p.eps)
                .classWeights(p.w64).build();
        int rows = p.rows, classes = p.classes, size = rows * classes;
        String where = "public float64 " + reduction + " " + p.label;
        double divisor = reduction == Reduction.MEAN ? rows : 1;
        double expected = ref(ref) / divisor;
        double bound = rowBoundSum64(true, ref, classes) / divisor + U64 * Math.abs(expected);
        double[] x = p.x64.clone(), y = p.y64.clone();
        double[] rowLosses = reduction == Reduction.NONE ? guarded64(p.lossOff, rows) : null;
        double value = loss.forward(x, p.xOff, y, p.yOff, rows, classes, rowLosses, p.lossOff);
        assertClose(expected, value, bound, where + " forward");
        if (rowLosses != null) {
            assertGuards(rowLosses, p.lossOff, rows, where + " rowLosses");
            for (int n = 0; n < rows; n++) {
                assertClose(ref[n].loss, rowLosses[p.lossOff + n], rowBound64(true, ref[n], classes),
                        where + " rowLosses[" + n + "]");
            }
        }
        double[] grad = guarded64(p.gradOff, size);
        double value2 = loss.forwardBackward(x, p.xOff, y, p.yOff, rows, classes, rowLosses, p.lossOff,
                grad, p.gradOff);
        assertClose(expected, value2, bound, where + " forwardBackward");
        assertTrue(Arrays.equals(p.x64, x) && Arrays.equals(p.y64, y), where + ": inputs modified");
        assertGuards(grad, p.gradOff, size, where + " gradient");
        checkGradient64("public " + reduction, true, grad, p.gradOff, 1.0 / divisor, ref, classes, where);
    }

    // ------------------------------------------------------------------------------------------ helpers

    static void assertClose(double expected, double actual, double bound, String what) {
        double err = Math.abs(actual - expected);
        if (!(err <= bound)) {
            fail(what + ": got " + actual + ", expected " + expected + ", error " + err + " > bound " + bound);
        }
    }

    private static float[] guarded32(int offset, int length) {
        float[] a = new float[offset + length + TAIL_GUARD];
        Arrays.fill(a, OUT_GUARD32);
        return a;
    }

    private static double[] guarded64(int offset, int length) {
        double[] a = new double[offset + length + TAIL_GUARD];
        Arrays.fill(a, OUT_GUARD64);
        return a;
    }

    private static void assertGuards(float[] a, int offset, int length, String what) {
        for (int i = 0; i < a.length; i++) {
            if ((i < offset || i >= offset + length) && Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(OUT_GUARD32)) {
                fail(what + ": guard at index " + i + " overwritten with " + a[i]
                        + " (slice [" + offset + ", " + (offset + length) + "))");
            }
        }
    }

    private static void assertGuards(double[] a, int offset, int length, String what) {
        for (int i = 0; i < a.length; i++) {
            if ((i < offset || i >= offset + length)
                    && Double.doubleToRawLongBits(a[i]) != Double.doubleToRawLongBits(OUT_GUARD64)) {
                fail(what + ": guard at index " + i + " overwritten with " + a[i]
                        + " (slice [" + offset + ", " + (offset + length) + "))");
            }
        }
    }

    private static void assertInputsUntouched(Problem p, float[] x, float[] y, String where) {
        assertTrue(Arrays.equals(p.x32, x), where + ": logits modified");
        assertTrue(Arrays.equals(p.y32, y), where + ": targets modified");
    }
}
