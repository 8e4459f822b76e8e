package org.xent;

/**
 * Float64 reference for soft-label cross-entropy, written straight from the spec (section 1): log-softmax of
 * each row in double, then {@code loss_n = - sum_c a_nc lsm_nc} with {@code a_nc = w_c ((1 - eps) y_nc + eps / C)},
 * and gradient {@code p_nc A_n - a_nc}. It follows the library's documented deviation: a term whose coefficient
 * is exactly 0 contributes 0 (PyTorch would give {@code 0 * -inf = NaN} for a masked class).
 *
 * <p>Sums are compensated (Neumaier), so the reference's own error stays near one rounding even at C = 128256;
 * a plain sequential double sum of 128k coefficients was measured off by 1.3e-12 relative, more than the
 * float64 vector kernel, which would make the reference the least accurate party in the float64 checks.
 *
 * <p>Besides the values it returns the magnitudes the error bounds of the tests are built from (see
 * {@link Row}). Deliberately simple and unoptimised: it shares no code with the kernels.
 */
final class SoftCrossEntropyReference {
    private SoftCrossEntropyReference() {}

    /** One row's reference values and the magnitudes that bound a float computation's error. */
    static final class Row {
        /** The row loss. */
        double loss;
        /** A = sum_c a_c. */
        double sumA;
        /** log sum_c exp(x_c - m): the log-sum-exp minus the max, >= 0. */
        double logS;
        /**
         * sum_c |a_c| (log s + |x_c - m|) = sum_c |a_c lsm_c|: the size of the terms of the loss; rounding each
         * coefficient or each shifted logit by a relative u moves the loss by at most u times this.
         */
        double termMagnitude;
        /** sum_c p_c |x_c - m|: a relative error u in every shifted logit moves log s by at most u times this. */
        double softmaxSpread;
        /** The gradient (sum reduction, before any scale), length C. */
        double[] grad;
        /** p_c * A per class: the first term of the gradient, kept for elementwise bounds. */
        double[] pA;
        /** a_c per class. */
        double[] a;
        /** x_c - m per class (the shifted logits; -inf for masked classes). */
        double[] z;
    }

    /**
     * Reference for one row. {@code w} may be null; {@code eps} is the label smoothing (0 for none).
     */
    static Row row(double[] x, int xo, double[] y, int yo, int classes, double[] w, double eps) {
        Row r = new Row();
        r.grad = new double[classes];
        r.pA = new double[classes];
        r.a = new double[classes];
        r.z = new double[classes];
        if (classes == 0) {
            r.loss = -0.0;
            return r;
        }
        double m = Double.NEGATIVE_INFINITY;
        boolean nan = false;
        for (int c = 0; c < classes; c++) {
            m = Math.max(m, x[xo + c]); // Math.max propagates NaN
            nan |= Double.isNaN(x[xo + c]);
        }
        double[] sAcc = new double[2];
        for (int c = 0; c < classes; c++) {
            add(sAcc, Math.exp(x[xo + c] - m));
        }
        double logS = Math.log(sAcc[0] + sAcc[1]);
        double[] sumAAcc = new double[2];
        double[] lossAcc = new double[2];
        double magnitude = 0, spread = 0;
        for (int c = 0; c < classes; c++) {
            double ys = eps > 0 ? (1 - eps) * y[yo + c] + eps / classes : y[yo + c];
            double a = (w == null ? 1 : w[c]) * ys;
            double z = x[xo + c] - m;
            double lsm = z - logS;
            r.a[c] = a;
            r.z[c] = z;
            add(sumAAcc, a);
            if (a != 0) { // masked-class deviation: a zero coefficient contributes 0 even where lsm is -inf
                add(lossAcc, -a * lsm);
                magnitude += Math.abs(a) * (logS + Math.abs(z));
            }
            double p = Math.exp(lsm);
            if (p != 0) {
                spread += p * Math.abs(z);
            }
        }
        double sumA = sumAAcc[0] + sumAAcc[1];
        double loss = lossAcc[0] + lossAcc[1];
        for (int c = 0; c < classes; c++) {
            double p = Math.exp(x[xo + c] - m - logS);
            r.pA[c] = p * sumA;
            r.grad[c] = p * sumA - r.a[c];
        }
        // a NaN logit, a +inf logit or an all -inf row has no log-sum-exp: the row is NaN whatever the targets
        r.loss = nan || Double.isNaN(logS) ? Double.NaN : loss;
        r.sumA = sumA;
        r.logS = logS;
        r.termMagnitude = magnitude;
        r.softmaxSpread = spread;
        return r;
    }

    /** Reference for rows [0, rows) of row-major float data (widened exactly to double). */
    static Row[] rows(float[] x, int xo, float[] y, int yo, int rows, int classes, float[] w, double eps) {
        double[] wd = w == null ? null : widen(w, 0, w.length);
        Row[] out = new Row[rows];
        for (int n = 0; n < rows; n++) {
            double[] xd = widen(x, xo + n * classes, classes);
            double[] yd = widen(y, yo + n * classes, classes);
            out[n] = row(xd, 0, yd, 0, classes, wd, eps);
        }
        return out;
    }

    /** Reference for rows [0, rows) of row-major double data. */
    static Row[] rows(double[] x, int xo, double[] y, int yo, int rows, int classes, double[] w, double eps) {
        Row[] out = new Row[rows];
        for (int n = 0; n < rows; n++) {
            out[n] = row(x, xo + n * classes, y, yo + n * classes, classes, w, eps);
        }
        return out;
    }

    static double sum(Row[] rows) {
        double[] acc = {-0.0, 0};
        for (Row r : rows) {
            add(acc, r.loss);
        }
        return acc[0] + acc[1];
    }

    /** Neumaier's compensated addition: acc[0] is the running sum, acc[1] the lost low-order part. */
    private static void add(double[] acc, double v) {
        double t = acc[0] + v;
        if (!Double.isFinite(t)) { // an infinite or NaN total: no low-order part to keep (and inf - inf is NaN)
            acc[0] = t;
            acc[1] = 0;
            return;
        }
        if (Math.abs(acc[0]) >= Math.abs(v)) {
            acc[1] += (acc[0] - t) + v;
        } else {
            acc[1] += (v - t) + acc[0];
        }
        acc[0] = t;
    }

    static double[] widen(float[] v, int from, int length) {
        double[] d = new double[length];
        for (int i = 0; i < length; i++) {
            d[i] = v[from + i];
        }
        return d;
    }
}
