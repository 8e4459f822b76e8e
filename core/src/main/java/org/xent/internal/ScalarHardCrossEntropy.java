package org.xent.internal;

import java.util.Arrays;

/**
 * Plain-Java cross-entropy with class-index targets: the fallback where the Vector API is absent, and the oracle
 * the vector kernel is checked against. It computes in double whatever the storage type. Per row: the max, then
 * one pass for the exp-sum and (with smoothing) the weighted sum of shifted logits; the target's logit is a
 * single gather. Forward + backward stores exp in the gradient buffer and rescales it in a third pass.
 */
final class ScalarHardCrossEntropy implements HardCrossEntropyKernel {

    static final ScalarHardCrossEntropy INSTANCE = new ScalarHardCrossEntropy();

    private ScalarHardCrossEntropy() {}

    @Override
    public double forwardBackward(float[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                                  float[] weights, float smoothing, int ignoreIndex, float[] rowLoss,
                                  int rowLossOffset, float[] grad, int gradOffset, float gradScale) {
        return run(x, xOffset, targets, targetsOffset, rows, classes, weights, smoothing, ignoreIndex,
                rowLoss, rowLossOffset, grad, gradOffset, gradScale);
    }

    private static double run(float[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                              float[] w, float smoothing, int ignoreIndex, float[] rowLoss, int rowLossOffset,
                              float[] grad, int gradOffset, float gradScale) {
        final double k1 = 1.0 - smoothing;
        final double k2 = smoothing > 0f ? smoothing / (double) classes : 0.0;
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int xo = xOffset + r * classes;
            final int go = gradOffset + r * classes;
            final int t = targets[targetsOffset + r];
            if (t == ignoreIndex) {
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = 0f;
                }
                if (grad != null) {
                    Arrays.fill(grad, go, go + classes, 0f);
                }
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[xo + c]);
            }
            final double zt = x[xo + t] - m;
            double s = 0, sumW = 0, dotW = 0;
            for (int c = 0; c < classes; c++) {
                double z = x[xo + c] - m;
                double e = Math.exp(z);
                s += e;
                if (k2 != 0) {
                    double wc = w == null ? 1.0 : w[c];
                    sumW += wc;
                    if (wc != 0) {
                        dotW += wc * z;
                    }
                }
                if (grad != null) {
                    grad[go + c] = (float) e;
                }
            }
            final double at = k1 * (w == null ? 1.0 : w[t]);
            final double sumQ = at + k2 * sumW;
            final double dot = (at != 0 ? at * zt : 0.0) + (k2 != 0 ? k2 * dotW : 0.0);
            final double loss = sumQ * Math.log(s) - dot;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
            if (grad != null) {
                final double scaleP = sumQ * gradScale / s;
                for (int c = 0; c < classes; c++) {
                    double q = k2 * (w == null ? 1.0 : w[c]) + (c == t ? at : 0.0);
                    grad[go + c] = (float) (grad[go + c] * scaleP - q * gradScale);
                }
            }
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                                  double[] weights, double smoothing, int ignoreIndex, double[] rowLoss,
                                  int rowLossOffset, double[] grad, int gradOffset, double gradScale) {
        return run(x, xOffset, targets, targetsOffset, rows, classes, weights, smoothing, ignoreIndex,
                rowLoss, rowLossOffset, grad, gradOffset, gradScale);
    }

    private static double run(double[] x, int xOffset, int[] targets, int targetsOffset, int rows, int classes,
                              double[] w, double smoothing, int ignoreIndex, double[] rowLoss, int rowLossOffset,
                              double[] grad, int gradOffset, double gradScale) {
        final double k1 = 1.0 - smoothing;
        final double k2 = smoothing > 0 ? smoothing / classes : 0.0;
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            final int xo = xOffset + r * classes;
            final int go = gradOffset + r * classes;
            final int t = targets[targetsOffset + r];
            if (t == ignoreIndex) {
                if (rowLoss != null) {
                    rowLoss[rowLossOffset + r] = 0.0;
                }
                if (grad != null) {
                    Arrays.fill(grad, go, go + classes, 0.0);
                }
                continue;
            }
            double m = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                m = Math.max(m, x[xo + c]);
            }
            final double zt = x[xo + t] - m;
            double s = 0, sumW = 0, dotW = 0;
            for (int c = 0; c < classes; c++) {
                double z = x[xo + c] - m;
                double e = Math.exp(z);
                s += e;
                if (k2 != 0) {
                    double wc = w == null ? 1.0 : w[c];
                    sumW += wc;
                    if (wc != 0) {
                        dotW += wc * z;
                    }
                }
                if (grad != null) {
                    grad[go + c] = e;
                }
            }
            final double at = k1 * (w == null ? 1.0 : w[t]);
            final double sumQ = at + k2 * sumW;
            final double dot = (at != 0 ? at * zt : 0.0) + (k2 != 0 ? k2 * dotW : 0.0);
            final double loss = sumQ * Math.log(s) - dot;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (grad != null) {
                final double scaleP = sumQ * gradScale / s;
                for (int c = 0; c < classes; c++) {
                    double q = k2 * (w == null ? 1.0 : w[c]) + (c == t ? at : 0.0);
                    grad[go + c] = grad[go + c] * scaleP - q * gradScale;
                }
            }
        }
        return total;
    }
}
