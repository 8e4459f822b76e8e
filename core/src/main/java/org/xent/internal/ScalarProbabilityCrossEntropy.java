package org.xent.internal;

/**
 * Plain-Java cross-entropy on probabilities or log-probabilities, in double with {@link Math#log}: the fallback
 * and the oracle for the vector kernel. One pass per row (two with the gradient is not needed: each gradient
 * element depends only on its own input).
 */
final class ScalarProbabilityCrossEntropy implements ProbabilityCrossEntropyKernel {

    static final ScalarProbabilityCrossEntropy INSTANCE = new ScalarProbabilityCrossEntropy();

    /** PyTorch's clamp of log p in binary_cross_entropy, reused here. */
    static final double LOG_FLOOR = -100.0;

    private ScalarProbabilityCrossEntropy() {}

    @Override
    public int findInvalidProbability(float[] p, int offset, int length) {
        for (int i = 0; i < length; i++) {
            float v = p[offset + i];
            if (!(v >= 0f && v <= 1f)) {
                return i;
            }
        }
        return -1;
    }

    @Override
    public int findInvalidProbability(double[] p, int offset, int length) {
        for (int i = 0; i < length; i++) {
            double v = p[offset + i];
            if (!(v >= 0 && v <= 1)) {
                return i;
            }
        }
        return -1;
    }

    /** One term a * log-input; the masked rule keeps a = 0 from turning a -inf log into NaN. */
    private static double term(double a, double x, boolean logInput) {
        if (logInput) {
            return a == 0 && x == Double.NEGATIVE_INFINITY ? 0.0 : a * x;
        }
        // a probability above 1 gives NaN like a negative one (whose log is NaN): see the kernel contract
        return x > 1 ? Double.NaN : a * Math.max(Math.log(x), LOG_FLOOR);
    }

    private static double gradient(double a, double x, boolean logInput) {
        if (logInput) {
            return -a;
        }
        return Math.log(x) >= LOG_FLOOR ? -a / x : 0.0; // times gradScale in double: no intermediate overflow
    }

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] y, int yOffset, int rows, int classes, float[] w,
                                  boolean logInput, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double a = (double) y[yOffset + o + c] * (w == null ? 1.0 : w[c]);
                double xv = x[xOffset + o + c];
                sum += term(a, xv, logInput);
                if (grad != null) {
                    grad[gradOffset + o + c] = (float) (gradient(a, xv, logInput) * gradScale);
                }
            }
            double loss = -sum;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] y, int yOffset, int rows, int classes,
                                  double[] w, boolean logInput, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            double sum = 0.0;
            for (int c = 0; c < classes; c++) {
                double a = y[yOffset + o + c] * (w == null ? 1.0 : w[c]);
                double xv = x[xOffset + o + c];
                sum += term(a, xv, logInput);
                if (grad != null) {
                    grad[gradOffset + o + c] = gradient(a, xv, logInput) * gradScale;
                }
            }
            double loss = -sum;
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
        }
        return total;
    }
}
