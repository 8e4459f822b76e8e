package org.xent.internal;

/**
 * Plain-Java KL divergence, elementwise in double with {@link Math#log} and {@link Math#exp}: the fallback and the
 * oracle for the vector kernel.
 */
final class ScalarKLDivergence implements KLDivergenceKernel {

    static final ScalarKLDivergence INSTANCE = new ScalarKLDivergence();

    private ScalarKLDivergence() {}

    /** One element's loss; see {@link KLDivergenceKernel} for the masked rule. */
    static double pointwise(double x, double t, boolean logTarget) {
        double prob = logTarget ? Math.exp(t) : t;
        if (prob == 0 && x < Double.POSITIVE_INFINITY) {
            return 0.0; // masked class: a zero-probability target contributes 0, even where x is -inf
        }
        return logTarget ? prob * (t - x) : t * Math.log(t) - t * x;
    }

    @Override
    public double forwardBackward(float[] x, int xOffset, float[] t, int tOffset, int size, boolean logTarget,
                                  float[] out, int outOffset, float[] grad, int gradOffset, float gradScale) {
        double total = 0.0;
        for (int i = 0; i < size; i++) {
            double ti = t[tOffset + i];
            double l = pointwise(x[xOffset + i], ti, logTarget);
            if (out != null) {
                out[outOffset + i] = (float) l;
            }
            total += l;
            if (grad != null) {
                grad[gradOffset + i] = (float) (-(logTarget ? Math.exp(ti) : ti) * gradScale);
            }
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] x, int xOffset, double[] t, int tOffset, int size, boolean logTarget,
                                  double[] out, int outOffset, double[] grad, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int i = 0; i < size; i++) {
            double ti = t[tOffset + i];
            double l = pointwise(x[xOffset + i], ti, logTarget);
            if (out != null) {
                out[outOffset + i] = l;
            }
            total += l;
            if (grad != null) {
                grad[gradOffset + i] = -(logTarget ? Math.exp(ti) : ti) * gradScale;
            }
        }
        return total;
    }
}
