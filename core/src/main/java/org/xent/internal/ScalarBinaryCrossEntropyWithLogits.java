package org.xent.internal;

/**
 * Plain-Java binary cross-entropy on logits, the fallback and the oracle: PyTorch's stable expression taken
 * literally, in double (two exps and a log per element), so the edge cases (x = +-inf, NaN) come out of the
 * arithmetic exactly as in PyTorch.
 */
final class ScalarBinaryCrossEntropyWithLogits implements BinaryCrossEntropyWithLogitsKernel {

    static final ScalarBinaryCrossEntropyWithLogits INSTANCE = new ScalarBinaryCrossEntropyWithLogits();

    private ScalarBinaryCrossEntropyWithLogits() {}

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, int weightsRowStride, float[] posWeight, float[] loss,
                                  int lossOffset, float[] grad, int gradOffset, float gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, int wStride, float[] pw, float[] loss, int lossOffset,
                              float[] grad, int gradOffset, float gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            double rowSum = 0.0;
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double xi = x[xOffset + i];
                double yi = y[yOffset + i];
                double wi = w == null ? 1.0 : w[r * wStride + c];
                double pwi = pw == null ? 1.0 : pw[c];
                double l = element(xi, yi, wi, pwi);
                rowSum += l;
                if (loss != null) {
                    loss[lossOffset + i] = (float) l;
                }
                if (grad != null) {
                    grad[gradOffset + i] = (float) (gradient(xi, yi, wi, pwi) * gradScale);
                }
            }
            total += rowSum;
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, int weightsRowStride, double[] posWeight, double[] loss,
                                  int lossOffset, double[] grad, int gradOffset, double gradScale) {
        return run(x, xOffset, y, yOffset, rows, classes, weights, weightsRowStride, posWeight, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] pw, double[] loss, int lossOffset,
                              double[] grad, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            double rowSum = 0.0;
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double xi = x[xOffset + i];
                double yi = y[yOffset + i];
                double wi = w == null ? 1.0 : w[r * wStride + c];
                double pwi = pw == null ? 1.0 : pw[c];
                double l = element(xi, yi, wi, pwi);
                rowSum += l;
                if (loss != null) {
                    loss[lossOffset + i] = l;
                }
                if (grad != null) {
                    grad[gradOffset + i] = gradient(xi, yi, wi, pwi) * gradScale;
                }
            }
            total += rowSum;
        }
        return total;
    }

    /** The stable form verbatim; Math.max keeps a NaN logit NaN. */
    private static double element(double x, double y, double w, double pw) {
        double mx = Math.max(-x, 0.0);
        double softplus = Math.log(Math.exp(-mx) + Math.exp(-x - mx)) + mx;
        double logWeight = 1.0 + (pw - 1.0) * y;
        return w * ((1.0 - y) * x + logWeight * softplus);
    }

    /** sigmoid from exp(-|x|), finite at +-inf. */
    private static double gradient(double x, double y, double w, double pw) {
        double e = Math.exp(-Math.abs(x));
        double sigmoid = (x >= 0 ? 1.0 : e) / (1.0 + e);
        if (Double.isNaN(x)) {
            sigmoid = Double.NaN;
        }
        return w * ((pw * y + (1.0 - y)) * sigmoid - pw * y); // 1 - y is exact for y in [0.5, 2]; pw y + 1 would round
    }
}
