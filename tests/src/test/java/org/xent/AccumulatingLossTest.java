package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * What a training loop does around the loss: {@link Loss#accumulating} (g += scale * dloss/dx, a combined
 * objective on one gradient buffer) and {@link Loss#withDenominator} (micro-batches that add up to the whole
 * batch's mean). Compared with the plain loss on the same values; tolerances are the rounding of the one extra
 * addition (2 ulps of the larger term) plus the cancellation floor of a gradient element (4 float ulps, 16 double
 * ulps, of its row's largest gradient), since the scale is folded into the kernel's gradient.
 */
class AccumulatingLossTest {

    private static final int ROWS = 40;
    private static final int CLASSES = 600;

    @Test
    void accumulatingAddsTheScaledGradientIntoTheBuffer() {
        List<String> failures = new ArrayList<>();
        for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(ROWS, CLASSES)) {
            for (boolean f64 : new boolean[] {false, true}) {
                Data d = new Data(lc, 3);
                double[] initial = new double[ROWS * CLASSES];
                SplittableRandom rnd = new SplittableRandom(11);
                for (int i = 0; i < initial.length; i++) {
                    initial[i] = (float) rnd.nextDouble(-1e-3, 1e-3); // representable in both types
                }
                double[] plainGrad = new double[ROWS * CLASSES];
                double[] accGrad = initial.clone();
                double plain = d.call(lc.loss(), f64, plainGrad);
                double acc = d.call(lc.loss().accumulating(0.3), f64, accGrad);
                if (Math.abs(acc - plain) > 1e-6 * Math.max(1, Math.abs(plain))) {
                    failures.add(lc + (f64 ? " f64" : " f32") + ": value " + acc + " against " + plain);
                }
                for (int i = 0; i < accGrad.length; i++) {
                    double want = initial[i] + 0.3 * plainGrad[i];
                    double big = Math.max(Math.abs(initial[i]), Math.abs(0.3 * plainGrad[i]));
                    // the scale is folded into the kernel's gradient, which near cancellation (p A - a) is accurate
                    // to a few ulps of its row's largest terms (the floor of ViewsCrossCheckTest)
                    double row = 0.3 * rowMax(plainGrad, i / CLASSES);
                    double tol = f64 ? 4 * Math.ulp(big) + 16 * Math.ulp(row)
                            : 2 * Math.ulp((float) big) + 4 * Math.ulp((float) row);
                    if (!(Math.abs(accGrad[i] - want) <= tol)) {
                        failures.add(lc + (f64 ? " f64" : " f32") + ": gradient " + i + " " + accGrad[i]
                                + " against " + want);
                        break;
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** alpha * distillation + (1 - alpha) * soft CE on one zeroed buffer, against the two gradients summed. */
    @Test
    void aCombinedObjectiveIsTwoCallsOnOneGradient() {
        List<ViewsCrossCheckTest.LossCase> all = ViewsCrossCheckTest.losses(ROWS, CLASSES);
        ViewsCrossCheckTest.LossCase soft = all.get(0);
        ViewsCrossCheckTest.LossCase distill = all.get(all.size() - 1);
        Data student = new Data(soft, 5);
        float[] teacher = new Data(distill, 6).t;
        double alpha = 0.7;
        TensorView x = TensorView.of(student.x).matrix(ROWS, CLASSES);
        float[] g = new float[ROWS * CLASSES];
        TensorView gv = TensorView.of(g).matrix(ROWS, CLASSES);
        Loss d = distill.loss().parallel(2).accumulating(alpha);
        Loss h = soft.loss().accumulating(1 - alpha);
        d.forwardBackward(x, TensorView.of(teacher).matrix(ROWS, CLASSES), null, gv);
        h.forwardBackward(x, TensorView.of(student.t).matrix(ROWS, CLASSES), null, gv);
        float[] gd = new float[g.length];
        float[] gh = new float[g.length];
        distill.loss().forwardBackward(x, TensorView.of(teacher).matrix(ROWS, CLASSES), null,
                TensorView.of(gd).matrix(ROWS, CLASSES));
        soft.loss().forwardBackward(x, TensorView.of(student.t).matrix(ROWS, CLASSES), null,
                TensorView.of(gh).matrix(ROWS, CLASSES));
        for (int i = 0; i < g.length; i++) {
            double want = alpha * gd[i] + (1 - alpha) * gh[i];
            double big = Math.max(Math.abs(alpha * gd[i]), Math.abs((1 - alpha) * gh[i]));
            double floor = 4 * Math.ulp((float) (alpha * rowMax(gd, i / CLASSES)))
                    + 4 * Math.ulp((float) ((1 - alpha) * rowMax(gh, i / CLASSES)));
            assertTrue(Math.abs(g[i] - want) <= 3 * Math.ulp((float) big) + floor, "element " + i + ": " + g[i]
                    + " against " + want);
        }
    }

    @Test
    void accumulatingInPlaceIsRejected() {
        Data d = new Data(ViewsCrossCheckTest.losses(ROWS, CLASSES).get(0), 3);
        TensorView x = TensorView.of(d.x).matrix(ROWS, CLASSES);
        TensorView t = TensorView.of(d.t).matrix(ROWS, CLASSES);
        float[] before = d.x.clone();
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                () -> SoftCrossEntropy.create().accumulating(1).forwardBackward(x, t, null, x));
        assertEquals("gradient", e.parameter());
        assertTrue(java.util.Arrays.equals(before, d.x), "nothing written");
        e = assertThrows(InvalidArgumentException.class, () -> SoftCrossEntropy.create().accumulating(Double.NaN));
        assertEquals("scale", e.parameter());
    }

    /**
     * A batch of 300 rows as micro-batches of 100 and 200, each given the whole batch's denominator and accumulated
     * into one gradient: their losses add up to the whole batch's mean and their gradient is its gradient. Soft
     * cross-entropy (a mean over rows) and BCE with logits (a mean over elements: the denominator is N * C).
     */
    @Test
    void microBatchesWithTheWholeDenominatorAddUpToTheWholeBatch() {
        int rows = 300;
        int classes = 200;
        for (int which : new int[] {0, 5}) {
            ViewsCrossCheckTest.LossCase lc = ViewsCrossCheckTest.losses(rows, classes).get(which);
            Loss loss = which == 0 ? SoftCrossEntropy.builder().reduction(Reduction.MEAN).build()
                    : BinaryCrossEntropyWithLogits.builder().reduction(Reduction.MEAN).build();
            double denominator = which == 0 ? rows : (double) rows * classes;
            Data d = new Data(lc, 9, rows, classes);
            TensorView x = TensorView.of(d.x).matrix(rows, classes);
            TensorView t = TensorView.of(d.t).matrix(rows, classes);
            double[] whole = new double[rows * classes];
            float[] gw = new float[rows * classes];
            double wholeValue = loss.forwardBackward(x, t, null, TensorView.of(gw).matrix(rows, classes));
            float[] gm = new float[rows * classes];
            TensorView gmv = TensorView.of(gm).matrix(rows, classes);
            Loss micro = loss.withDenominator(denominator).accumulating(1);
            double sum = 0;
            for (int[] r : new int[][] {{0, 100}, {100, 200}}) {
                sum += micro.forwardBackward(x.rows(r[0], r[1]), t.rows(r[0], r[1]), null, gmv.rows(r[0], r[1]));
            }
            assertTrue(Math.abs(sum - wholeValue) <= 1e-6 * Math.abs(wholeValue), lc + ": " + sum + " against "
                    + wholeValue);
            for (int i = 0; i < gw.length; i++) {
                assertTrue(Math.abs(gm[i] - gw[i]) <= 2 * Math.ulp(gw[i]), lc + " element " + i + ": " + gm[i]
                        + " against " + gw[i]);
            }
            assertEquals(whole.length, gw.length);
        }
    }

    @Test
    void aDenominatorIsForAMeanAndPositive() {
        Loss mean = SoftCrossEntropy.create();
        Loss sum = SoftCrossEntropy.builder().reduction(Reduction.SUM).build();
        for (double bad : new double[] {0, -1, Double.NaN, Double.POSITIVE_INFINITY}) {
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> mean.withDenominator(bad));
            assertEquals("denominator", e.parameter());
        }
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> sum.withDenominator(10));
        assertEquals("denominator", e.parameter());
    }

    private static double rowMax(double[] g, int row) {
        double m = 0;
        for (int c = 0; c < CLASSES; c++) {
            m = Math.max(m, Math.abs(g[row * CLASSES + c]));
        }
        return m;
    }

    private static double rowMax(float[] g, int row) {
        double m = 0;
        for (int c = 0; c < CLASSES; c++) {
            m = Math.max(m, Math.abs(g[row * CLASSES + c]));
        }
        return m;
    }

    /** Inputs of a case (values as {@link ViewsCrossCheckTest} makes them), called through float32 or float64. */
    private static final class Data {
        final ViewsCrossCheckTest.LossCase lc;
        final int rows;
        final int classes;
        final float[] x;
        final float[] t;
        final int[] idx;

        Data(ViewsCrossCheckTest.LossCase lc, long seed) {
            this(lc, seed, ROWS, CLASSES);
        }

        Data(ViewsCrossCheckTest.LossCase lc, long seed, int rows, int classes) {
            this.lc = lc;
            this.rows = rows;
            this.classes = classes;
            SplittableRandom rnd = new SplittableRandom(seed);
            x = new float[rows * classes];
            t = new float[rows * classes];
            idx = new int[rows];
            for (int i = 0; i < x.length; i++) {
                x[i] = ViewsCrossCheckTest.input(lc.inputKind(), rnd);
                t[i] = ViewsCrossCheckTest.target(lc, rnd);
            }
            for (int r = 0; r < rows; r++) {
                idx[r] = rnd.nextInt(classes);
            }
        }

        /** forwardBackward into {@code grad} (which holds the gradient's initial values, widened). */
        double call(Loss loss, boolean f64, double[] grad) {
            TensorView target;
            if (f64) {
                double[] g = grad.clone();
                TensorView xv = TensorView.of(widen(x)).matrix(rows, classes);
                target = lc.indices() ? TensorView.of(idx) : TensorView.of(widen(t)).matrix(rows, classes);
                double v = loss.forwardBackward(xv, target, null, TensorView.of(g).matrix(rows, classes));
                System.arraycopy(g, 0, grad, 0, g.length);
                return v;
            }
            float[] g = new float[grad.length];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) grad[i];
            }
            TensorView xv = TensorView.of(x).matrix(rows, classes);
            target = lc.indices() ? TensorView.of(idx) : TensorView.of(t).matrix(rows, classes);
            double v = loss.forwardBackward(xv, target, null, TensorView.of(g).matrix(rows, classes));
            for (int i = 0; i < g.length; i++) {
                grad[i] = g[i];
            }
            return v;
        }

        private static double[] widen(float[] a) {
            double[] d = new double[a.length];
            for (int i = 0; i < a.length; i++) {
                d[i] = a[i];
            }
            return d;
        }
    }
}
