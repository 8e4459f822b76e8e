package org.xent.internal;

/**
 * Plain-Java binary cross-entropy on probabilities: the fallback where the Vector API is absent, and the oracle
 * the vector kernel is checked against. It computes in double whatever the storage type, so {@code 1 - p} is
 * the difference rounded to double (the float64 semantics) also for float32 inputs.
 */
final class ScalarBinaryCrossEntropy implements BinaryCrossEntropyKernel {

    static final ScalarBinaryCrossEntropy INSTANCE = new ScalarBinaryCrossEntropy();

    private static final double E = EPSILON;

    private ScalarBinaryCrossEntropy() {}

    @Override
    public double forwardBackward(float[] p, int pOffset, float[] y, int yOffset, int rows, int classes,
                                  float[] weights, int weightsRowStride, float[] loss, int lossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        return run(p, pOffset, y, yOffset, rows, classes, weights, weightsRowStride, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(float[] p, int pOffset, float[] y, int yOffset, int rows, int classes,
                              float[] w, int wStride, float[] loss, int lossOffset,
                              float[] grad, int gradOffset, float gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            double rowSum = 0.0;
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double pi = p[pOffset + i];
                double yi = y[yOffset + i];
                double wi = w == null ? 1.0 : w[r * wStride + c];
                double l = element(pi, yi, wi);
                rowSum += l;
                if (loss != null) {
                    loss[lossOffset + i] = (float) l;
                }
                if (grad != null) {
                    grad[gradOffset + i] = (float) (gradient(pi, yi, wi) * gradScale);
                }
            }
            total += rowSum;
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] p, int pOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] weights, int weightsRowStride, double[] loss, int lossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        return run(p, pOffset, y, yOffset, rows, classes, weights, weightsRowStride, loss, lossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(double[] p, int pOffset, double[] y, int yOffset, int rows, int classes,
                              double[] w, int wStride, double[] loss, int lossOffset,
                              double[] grad, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            double rowSum = 0.0;
            for (int c = 0; c < classes; c++) {
                int i = r * classes + c;
                double pi = p[pOffset + i];
                double yi = y[yOffset + i];
                double wi = w == null ? 1.0 : w[r * wStride + c];
                double l = element(pi, yi, wi);
                rowSum += l;
                if (loss != null) {
                    loss[lossOffset + i] = l;
                }
                if (grad != null) {
                    grad[gradOffset + i] = gradient(pi, yi, wi) * gradScale;
                }
            }
            total += rowSum;
        }
        return total;
    }

    /** The clamped logs make p in {0, 1} finite; Math.max keeps NaN (an invalid p) as NaN. */
    private static double element(double p, double y, double w) {
        double logP = Math.max(Math.log(p), -100.0);
        double log1mP = Math.max(Math.log(1.0 - p), -100.0);
        return w * ((y - 1.0) * log1mP - y * logP);
    }

    private static double gradient(double p, double y, double w) {
        return w * (p - y) / Math.max(p * (1.0 - p), E);
    }

    @Override
    public int firstInvalidProbability(float[] p, int offset, int length) {
        for (int i = 0; i < length; i++) {
            float v = p[offset + i];
            if (!(v >= 0f && v <= 1f)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int firstInvalidProbability(double[] p, int offset, int length) {
        for (int i = 0; i < length; i++) {
            double v = p[offset + i];
            if (!(v >= 0.0 && v <= 1.0)) {
                return i;
            }
        }
        return -1;
    }
}
