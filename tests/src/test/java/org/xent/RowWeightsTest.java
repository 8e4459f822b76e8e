package org.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/**
 * Row weights ({@link Loss#forward(TensorView, TensorView, TensorView, TensorView)} and its
 * {@code forwardBackward} twin), for every loss of {@link ViewsCrossCheckTest#losses}: a weighted call against
 * the unweighted one scaled by hand, a 0/1 mask against the batch of its kept rows, weights of 1 against no
 * weights (the same bits), the same bits on any thread count, and bad weights rejected by name with nothing
 * written.
 */
class RowWeightsTest {

    /**
     * Bound of a weighted value against the unweighted one times its weight (and the denominators' ratio),
     * relative (a gradient element relative to its row's largest, since its terms cancel): the product is rounded
     * once more than the unweighted value (the weight folded into the gradient
     * scale, or an unreduced loss scaled in its type). Measured at most 1.4e-7 (2 ulps) in float32 and 4e-16 in
     * float64 per element. The reduced float64 sum is added in another grouping (runs of equal weight, then their
     * weighted sums): its bound is the reordering's, terms times epsilon (1480 x 1.1e-16); measured 1.6e-15.
     */
    private static final double BOUND32 = 4.8e-7;
    private static final double BOUND64 = 9e-16;
    private static final int ROWS = 40;
    private static final int CLASSES = 37;
    private static final double SUM_BOUND64 = ROWS * CLASSES * 0x1p-52;

    /** Weights in runs (several rows of one weight) and alone, zeros included. */
    private static double[] weights(int rows, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        double[] w = new double[rows];
        for (int r = 0; r < rows; r++) {
            w[r] = switch (rnd.nextInt(5)) {
                case 0 -> 0;
                case 1 -> 1;
                case 2 -> r > 0 ? w[r - 1] : 0.5;
                case 3 -> 2.25;
                default -> (float) rnd.nextDouble(0.01, 3);
            };
        }
        return w;
    }

    @Test
    void aWeightedCallIsTheUnweightedOneScaledByRow() {
        List<String> failures = new ArrayList<>();
        double worst32 = 0;
        double worst64 = 0;
        for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(ROWS, CLASSES)) {
            for (boolean f64 : new boolean[] {false, true}) {
                double err = compareWithScaledUnweighted(lc, f64, failures);
                if (f64) {
                    worst64 = Math.max(worst64, err);
                } else {
                    worst32 = Math.max(worst32, err);
                }
            }
        }
        System.out.printf("RowWeightsTest: worst relative difference %.3g (float32), %.3g (float64)%n", worst32,
                worst64);
        assertEquals(List.of(), failures);
    }

    /** One loss in one precision; returns the largest relative difference seen, adds failures by name. */
    private static double compareWithScaledUnweighted(ViewsCrossCheckTest.LossCase lc, boolean f64,
                                                      List<String> failures) {
        final int n = ROWS;
        final int c = CLASSES;
        SplittableRandom rnd = new SplittableRandom(11);
        double[] x = new double[n * c];
        double[] t = new double[n * c];
        int[] idx = new int[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = ViewsCrossCheckTest.input(lc.inputKind(), rnd);
            t[i] = ViewsCrossCheckTest.target(lc, rnd);
        }
        for (int r = 0; r < n; r++) {
            idx[r] = rnd.nextInt(c);
        }
        double[] w = weights(n, 5);
        int width = lc.elementwise() ? c : 1;
        Outputs plain = call(lc, f64, x, t, idx, null, n, c);
        Outputs weighted = call(lc, f64, x, t, idx, w, n, c);
        // what a row counts for in the mean: C for an element-wise mean, its target's class weight for hard CE
        double plainDen = 0;
        double weightedDen = 0;
        for (int r = 0; r < n; r++) {
            double count = rowCount(lc, idx[r], c);
            plainDen += count;
            weightedDen += count * (f64 ? w[r] : (float) w[r]);
        }
        boolean mean = lc.loss().reduction() == Reduction.MEAN || lc.loss().reduction() == Reduction.BATCHMEAN;
        double gradFactor = mean ? plainDen / weightedDen : 1;
        double worst = 0;
        double sum = 0;
        for (int r = 0; r < n; r++) {
            double wr = f64 ? w[r] : (float) w[r];
            for (int k = 0; k < width; k++) {
                double want = wr * plain.unreduced[r * width + k];
                sum += want;
                worst = Math.max(worst, check(lc + (f64 ? " f64" : " f32") + " unreduced[" + r + "," + k + "]",
                        want, weighted.unreduced[r * width + k], 0, f64, failures));
            }
            // a gradient element p * sum(a) - a cancels: its rounding is that of the row's largest terms
            double rowScale = 0;
            for (int k = 0; k < c; k++) {
                rowScale = Math.max(rowScale, Math.abs(wr * plain.grad[r * c + k] * gradFactor));
            }
            for (int k = 0; k < c; k++) {
                double want = wr * plain.grad[r * c + k] * gradFactor;
                worst = Math.max(worst, check(lc + (f64 ? " f64" : " f32") + " gradient[" + r + "," + k + "]",
                        want, weighted.grad[r * c + k], rowScale, f64, failures));
            }
        }
        double reduced = mean ? sum / weightedDen : sum;
        String p = lc + (f64 ? " f64" : " f32");
        double sumDiff = check(p + " loss", reduced, weighted.loss, f64 ? SUM_BOUND64 : BOUND32, failures);
        check(p + " forward", weighted.loss, weighted.forward, f64 ? SUM_BOUND64 : BOUND32, failures);
        if (!f64) {
            worst = Math.max(worst, sumDiff);
        }
        return worst;
    }

    /** What row {@code r} with target {@code target} counts for in the loss's mean (see {@link ViewsCrossCheckTest}). */
    private static double rowCount(ViewsCrossCheckTest.LossCase lc, int target, int classes) {
        if (lc.indices()) {
            // hard CE: class weights 0.25 + (c % 7) * 0.25, ignore index 1
            return target == 1 ? 0 : 0.25 + (target % 7) * 0.25;
        }
        return lc.elementwise() && lc.loss().reduction() == Reduction.MEAN ? classes : 1;
    }

    /** A reduced value against its bound. */
    private static double check(String what, double want, double got, double bound, List<String> failures) {
        double rel = want == got ? 0 : Math.abs(got - want) / Math.max(Math.abs(want), Double.MIN_NORMAL);
        if (!(rel <= bound) && failures.size() < 20) {
            failures.add(what + ": want " + want + ", got " + got + " (relative " + rel + ")");
        }
        return rel;
    }

    /** Relative to the larger of |want| and {@code scale}; adds a failure beyond the bound, returns the difference. */
    private static double check(String what, double want, double got, double scale, boolean f64,
                                List<String> failures) {
        scale = Math.max(Math.max(Math.abs(want), scale), Double.MIN_NORMAL);
        double rel = want == got ? 0 : Math.abs(got - want) / scale;
        if (!(rel <= (f64 ? BOUND64 : BOUND32))) {
            if (failures.size() < 20) {
                failures.add(what + ": want " + want + ", got " + got + " (relative " + rel + ")");
            }
        }
        return Double.isNaN(rel) ? Double.POSITIVE_INFINITY : rel;
    }

    /** A call's results, widened to double. */
    private record Outputs(double loss, double forward, double[] unreduced, double[] grad) { }

    /** forwardBackward (and forward) on heap arrays of float32 or float64, with row weights of the same type. */
    private static Outputs call(ViewsCrossCheckTest.LossCase lc, boolean f64, double[] x, double[] t, int[] idx,
                                double[] w, int n, int c) {
        int width = lc.elementwise() ? c : 1;
        TensorView vx;
        TensorView vt;
        TensorView vw;
        TensorView vo;
        TensorView vg;
        double[] o64 = new double[n * width];
        double[] g64 = new double[n * c];
        float[] o32 = new float[n * width];
        float[] g32 = new float[n * c];
        if (f64) {
            vx = TensorView.of(x.clone()).matrix(n, c);
            vt = lc.indices() ? TensorView.of(idx) : TensorView.of(t.clone()).matrix(n, c);
            vw = w == null ? null : TensorView.of(w.clone());
            vo = lc.elementwise() ? TensorView.of(o64).matrix(n, c) : TensorView.of(o64);
            vg = TensorView.of(g64).matrix(n, c);
        } else {
            vx = TensorView.of(floats(x)).matrix(n, c);
            vt = lc.indices() ? TensorView.of(idx) : TensorView.of(floats(t)).matrix(n, c);
            vw = w == null ? null : TensorView.of(floats(w));
            vo = lc.elementwise() ? TensorView.of(o32).matrix(n, c) : TensorView.of(o32);
            vg = TensorView.of(g32).matrix(n, c);
        }
        double loss = lc.loss().forwardBackward(vx, vt, vw, vo, vg);
        double forward = lc.loss().forward(vx, vt, vw, null);
        return new Outputs(loss, forward, f64 ? o64 : doubles(o32), f64 ? g64 : doubles(g32));
    }

    /**
     * A 0/1 mask is the batch of its kept rows: padding rows full of NaN and infinities change nothing, their
     * unreduced losses and gradient rows are 0, and the kept rows' unreduced losses and gradients are the bits of
     * the compacted batch (the mean divides by the kept rows in both); the reduced loss differs only in the order of
     * its sum.
     */
    @Test
    void aMaskIsTheBatchOfItsKeptRowsWhateverThePaddingHolds() {
        final int n = 30;
        final int c = 53;
        List<String> failures = new ArrayList<>();
        for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(n, c)) {
            if (lc.name().contains("per-element") || lc.indices()) {
                continue; // per-element weights have the full batch's shape; hard CE has ignore_index for this
            }
            SplittableRandom rnd = new SplittableRandom(3);
            float[] x = new float[n * c];
            float[] t = new float[n * c];
            float[] mask = new float[n];
            int kept = 0;
            for (int r = 0; r < n; r++) {
                mask[r] = r % 4 == 1 || r % 7 == 3 ? 0 : 1;
                kept += (int) mask[r];
            }
            float[] xs = new float[kept * c];
            float[] ts = new float[kept * c];
            for (int r = 0, k = 0; r < n; r++) {
                for (int j = 0; j < c; j++) {
                    x[r * c + j] = mask[r] == 0 ? (j % 3 == 0 ? Float.NaN : Float.POSITIVE_INFINITY)
                            : ViewsCrossCheckTest.input(lc.inputKind(), rnd);
                    t[r * c + j] = mask[r] == 0 ? Float.NaN : ViewsCrossCheckTest.target(lc, rnd);
                }
                if (mask[r] == 1) {
                    System.arraycopy(x, r * c, xs, k * c, c);
                    System.arraycopy(t, r * c, ts, k * c, c);
                    k++;
                }
            }
            int width = lc.elementwise() ? c : 1;
            if (lc.inputKind() == 1) {
                continue; // probabilities are range-checked over the whole batch: NaN padding is rejected there
            }
            float[] out = new float[n * width];
            float[] grad = new float[n * c];
            Arrays.fill(grad, 7f); // every gradient element is written, the masked ones with 0
            float[] outKept = new float[kept * width];
            float[] gradKept = new float[kept * c];
            double masked = lc.loss().forwardBackward(TensorView.of(x).matrix(n, c), TensorView.of(t).matrix(n, c),
                    TensorView.of(mask), vectorOrMatrix(out, n, width, lc), TensorView.of(grad).matrix(n, c));
            double compact = lc.loss().forwardBackward(TensorView.of(xs).matrix(kept, c),
                    TensorView.of(ts).matrix(kept, c), null, vectorOrMatrix(outKept, kept, width, lc),
                    TensorView.of(gradKept).matrix(kept, c));
            if (!(Math.abs(masked - compact) <= BOUND32 * Math.abs(compact))) {
                failures.add(lc + ": loss " + masked + " against " + compact + " for the kept rows");
            }
            for (int r = 0, k = 0; r < n; r++) {
                float[] o = Arrays.copyOfRange(out, r * width, (r + 1) * width);
                float[] g = Arrays.copyOfRange(grad, r * c, (r + 1) * c);
                if (mask[r] == 0) {
                    if (!Arrays.equals(o, new float[width]) || !Arrays.equals(g, new float[c])) {
                        failures.add(lc + ": masked row " + r + " not zero");
                    }
                } else {
                    if (!Arrays.equals(o, Arrays.copyOfRange(outKept, k * width, (k + 1) * width))
                            || !Arrays.equals(g, Arrays.copyOfRange(gradKept, k * c, (k + 1) * c))) {
                        failures.add(lc + ": kept row " + r + " differs from the compacted batch's row " + k);
                    }
                    k++;
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /**
     * Weights of 1 are no weights, bit for bit, and weighted calls are the same bits on 1, 2 and 3 threads: every
     * loss, float32 and bfloat16 (native memory, padded rows; bfloat16 weights too) on a batch of five parts.
     */
    @Test
    void onesAreNoWeightsAndAnyThreadCountGivesTheSameBits() {
        final int n = 300;
        final int c = 1000;
        List<String> failures = new ArrayList<>();
        double[] ones = new double[n];
        Arrays.fill(ones, 1);
        double[] w = weights(n, 9);
        for (ViewsCrossCheckTest.LossCase lc : ViewsCrossCheckTest.losses(n, c)) {
            for (ElementType type : new ElementType[] {ElementType.FLOAT32, ElementType.BFLOAT16}) {
                if (!Arrays.equals(bits(lc.loss(), lc, type, null), bits(lc.loss(), lc, type, ones))) {
                    failures.add(lc + " " + type + ": weights of 1 differ from none");
                }
                byte[] one = bits(lc.loss(), lc, type, w);
                for (int threads : new int[] {2, 3}) {
                    if (!Arrays.equals(one, bits(lc.loss().parallel(threads), lc, type, w))) {
                        failures.add(lc + " " + type + ": " + threads + " threads differ from one");
                    }
                }
            }
        }
        assertEquals(List.of(), failures);
    }

    /** Every bit a weighted call writes (loss, unreduced, gradient), in {@code type} storage. */
    private static byte[] bits(Loss loss, ViewsCrossCheckTest.LossCase lc, ElementType type, double[] w) {
        final int n = 300;
        final int c = 1000;
        SplittableRandom rnd = new SplittableRandom(17);
        float[] x = new float[n * c];
        float[] t = new float[n * c];
        double[] idx = new double[n];
        for (int i = 0; i < x.length; i++) {
            x[i] = Placed.representable(ViewsCrossCheckTest.input(lc.inputKind(), rnd), type);
            t[i] = Placed.representable(ViewsCrossCheckTest.target(lc, rnd), type);
        }
        for (int r = 0; r < n; r++) {
            idx[r] = rnd.nextInt(c);
        }
        Placed.Kind kind = type == ElementType.FLOAT32 ? Placed.Kind.HEAP_ARRAY : Placed.Kind.NATIVE;
        int pad = kind == Placed.Kind.HEAP_ARRAY ? 0 : 3;
        try (Arena arena = Arena.ofShared()) {
            Placed px = Placed.matrix(x, n, c, pad, type, kind, arena);
            Placed pt = lc.indices() ? Placed.vector(idx, ElementType.INT32, kind, arena)
                    : Placed.matrix(t, n, c, pad, type, kind, arena);
            Placed pw = w == null ? null : Placed.vector(representable(w, type), type, kind, arena);
            Placed po = lc.elementwise() ? Placed.matrix(new float[n * c], n, c, pad, type, kind, arena)
                    : Placed.vector(new double[n], type, kind, arena);
            Placed pg = Placed.matrix(new float[n * c], n, c, pad, type, kind, arena);
            double loss1 = loss.forwardBackward(px.view, pt.view, pw == null ? null : pw.view, po.view, pg.view);
            double loss2 = loss.forward(px.view, pt.view, pw == null ? null : pw.view, null);
            java.io.ByteArrayOutputStream all = new java.io.ByteArrayOutputStream();
            all.writeBytes(java.nio.ByteBuffer.allocate(16).putDouble(loss1).putDouble(loss2).array());
            all.writeBytes(po.bytes());
            all.writeBytes(pg.bytes());
            return all.toByteArray();
        }
    }

    @Test
    void anAccumulatingLossLeavesTheRowsOfWeightZeroAsTheyWere() {
        final int n = 6;
        final int c = 9;
        float[] x = new float[n * c];
        float[] t = new float[n * c];
        for (int i = 0; i < x.length; i++) {
            x[i] = (i % 5) - 2f;
            t[i] = 1f / c;
        }
        float[] mask = {1, 0, 0, 1, 1, 0};
        float[] g = new float[n * c];
        Arrays.fill(g, 0.5f);
        SoftCrossEntropy.create().accumulating(2).forwardBackward(TensorView.of(x).matrix(n, c),
                TensorView.of(t).matrix(n, c), TensorView.of(mask), null, TensorView.of(g).matrix(n, c));
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < c; k++) {
                if (mask[r] == 0) {
                    assertEquals(0.5f, g[r * c + k], "row " + r + " of weight 0 was changed");
                } else {
                    assertTrue(g[r * c + k] != 0.5f, "row " + r + " of weight 1 was not accumulated");
                }
            }
        }
    }

    @Test
    void anAllZeroMaskGivesANanMeanAndAZeroGradient() {
        float[] x = {1, 2, 3, 4};
        float[] t = {0.5f, 0.5f, 0.25f, 0.75f};
        float[] g = {9, 9, 9, 9};
        double loss = SoftCrossEntropy.create().forwardBackward(TensorView.of(x).matrix(2, 2),
                TensorView.of(t).matrix(2, 2), TensorView.of(new float[2]), null, TensorView.of(g).matrix(2, 2));
        assertTrue(Double.isNaN(loss), "mean over no row: " + loss);
        assertArrayEquals(new float[4], g);
        double sum = SoftCrossEntropy.builder().reduction(Reduction.SUM).build().forward(TensorView.of(x).matrix(2, 2),
                TensorView.of(t).matrix(2, 2), TensorView.of(new float[2]), null);
        assertEquals(0.0, sum);
    }

    @Test
    void badRowWeightsAreRejectedByNameAndNothingIsWritten() {
        final int n = 3;
        final int c = 4;
        float[] x = new float[n * c];
        float[] t = new float[n * c];
        Arrays.fill(t, 0.25f);
        float[] g = new float[n * c];
        Arrays.fill(g, 3f);
        float[] out = {5, 5, 5};
        Loss loss = SoftCrossEntropy.create();
        TensorView vx = TensorView.of(x).matrix(n, c);
        TensorView vt = TensorView.of(t).matrix(n, c);
        TensorView vg = TensorView.of(g).matrix(n, c);
        TensorView vo = TensorView.of(out);
        Object[][] bad = {
            {TensorView.of(new float[] {1, -0.5f, 1}), "-0.5"},
            {TensorView.of(new float[] {1, Float.NaN, 1}), "NaN"},
            {TensorView.of(new double[] {1, 1, Double.POSITIVE_INFINITY}), "Infinity"},
            {TensorView.of(new float[] {1, 1}), "(3)"},
            {TensorView.of(new float[] {1, 1, 1}).matrix(3, 1), "vector"},
            {TensorView.of(new int[] {1, 1, 1}), "floating-point"},
        };
        for (Object[] b : bad) {
            TensorView w = (TensorView) b[0];
            InvalidArgumentException e = assertThrows(InvalidArgumentException.class,
                    () -> loss.forwardBackward(vx, vt, w, vo, vg), w.toString());
            assertEquals("rowWeights", e.parameter());
            assertTrue(e.getMessage().contains((String) b[1]), e.getMessage());
            e = assertThrows(InvalidArgumentException.class, () -> loss.parallel(2).forward(vx, vt, w, vo));
            assertEquals("rowWeights", e.parameter());
        }
        // the weights must not be an output
        float[] shared = new float[n * c + n];
        TensorView gradOverWeights = TensorView.of(shared).matrix(n, c);
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> loss.forwardBackward(vx, vt,
                TensorView.of(shared).vector(n * c - 1, n), null, gradOverWeights));
        assertEquals("gradient", e.parameter());
        float[] expectG = new float[n * c];
        Arrays.fill(expectG, 3f);
        assertArrayEquals(expectG, g, "gradient written by a rejected call");
        assertArrayEquals(new float[] {5, 5, 5}, out, "unreduced written by a rejected call");
    }

    private static TensorView vectorOrMatrix(float[] a, int rows, int width, ViewsCrossCheckTest.LossCase lc) {
        return lc.elementwise() ? TensorView.of(a).matrix(rows, width) : TensorView.of(a);
    }

    private static double[] representable(double[] w, ElementType type) {
        double[] r = new double[w.length];
        for (int i = 0; i < w.length; i++) {
            r[i] = Placed.representable((float) w[i], type);
        }
        return r;
    }

    private static float[] floats(double[] a) {
        float[] f = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            f[i] = (float) a[i];
        }
        return f;
    }

    private static double[] doubles(float[] a) {
        double[] d = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            d[i] = a[i];
        }
        return d;
    }
}
