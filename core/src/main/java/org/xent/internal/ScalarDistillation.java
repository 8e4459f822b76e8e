package org.xent.internal;

/**
 * Plain-Java distillation loss, the fallback and the oracle: in double whatever the storage type, with the
 * logits divided by T (not multiplied by 1/T). Two passes per row (both maxima, then the exps of both rows);
 * forward + backward stores the student exps in the gradient buffer and finishes them in a third pass, which
 * recomputes the teacher exps.
 */
final class ScalarDistillation implements DistillationKernel {

    static final ScalarDistillation INSTANCE = new ScalarDistillation();

    private ScalarDistillation() {}

    @Override
    public double forwardBackward(float[] s, int sOffset, float[] u, int uOffset, int rows, int classes,
                                  double temperature, float[] rowLoss, int rowLossOffset,
                                  float[] grad, int gradOffset, float gradScale) {
        return run(s, sOffset, u, uOffset, rows, classes, temperature, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(float[] s, int sOffset, float[] u, int uOffset, int rows, int classes, double t,
                              float[] rowLoss, int rowLossOffset, float[] grad, int gradOffset, float gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int so = sOffset + r * classes;
            int uo = uOffset + r * classes;
            int go = gradOffset + r * classes;
            double maxS = Double.NEGATIVE_INFINITY;
            double maxU = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                maxS = Math.max(maxS, s[so + c]);
                maxU = Math.max(maxU, u[uo + c]);
            }
            double ms = maxS / t;
            double mt = maxU / t;
            double sumS = 0, sumT = 0, dot = 0;
            for (int c = 0; c < classes; c++) {
                double zs = s[so + c] / t - ms;
                double zt = u[uo + c] / t - mt;
                double es = Math.exp(zs);
                double et = Math.exp(zt);
                sumS += es;
                sumT += et;
                if (et != 0) { // a teacher probability of 0 contributes 0 (masked class)
                    dot += et * (zt - zs);
                }
                if (grad != null) {
                    grad[go + c] = (float) es;
                }
            }
            double loss = classes == 0 ? 0.0 : t * t * (dot / sumT - Math.log(sumT) + Math.log(sumS));
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = (float) loss;
            }
            total += loss;
            if (grad != null) {
                double ks = gradScale / sumS;
                double kt = gradScale / sumT;
                for (int c = 0; c < classes; c++) {
                    double et = Math.exp(u[uo + c] / t - mt);
                    grad[go + c] = (float) (grad[go + c] * ks - et * kt);
                }
            }
        }
        return total;
    }

    @Override
    public double forwardBackward(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes,
                                  double temperature, double[] rowLoss, int rowLossOffset,
                                  double[] grad, int gradOffset, double gradScale) {
        return run(s, sOffset, u, uOffset, rows, classes, temperature, rowLoss, rowLossOffset,
                grad, gradOffset, gradScale);
    }

    private static double run(double[] s, int sOffset, double[] u, int uOffset, int rows, int classes, double t,
                              double[] rowLoss, int rowLossOffset, double[] grad, int gradOffset, double gradScale) {
        double total = 0.0;
        for (int r = 0; r < rows; r++) {
            int so = sOffset + r * classes;
            int uo = uOffset + r * classes;
            int go = gradOffset + r * classes;
            double maxS = Double.NEGATIVE_INFINITY;
            double maxU = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                maxS = Math.max(maxS, s[so + c]);
                maxU = Math.max(maxU, u[uo + c]);
            }
            double ms = maxS / t;
            double mt = maxU / t;
            double sumS = 0, sumT = 0, dot = 0;
            for (int c = 0; c < classes; c++) {
                double zs = s[so + c] / t - ms;
                double zt = u[uo + c] / t - mt;
                double es = Math.exp(zs);
                double et = Math.exp(zt);
                sumS += es;
                sumT += et;
                if (et != 0) {
                    dot += et * (zt - zs);
                }
                if (grad != null) {
                    grad[go + c] = es;
                }
            }
            double loss = classes == 0 ? 0.0 : t * t * (dot / sumT - Math.log(sumT) + Math.log(sumS));
            if (rowLoss != null) {
                rowLoss[rowLossOffset + r] = loss;
            }
            total += loss;
            if (grad != null) {
                double ks = gradScale / sumS;
                double kt = gradScale / sumT;
                for (int c = 0; c < classes; c++) {
                    double et = Math.exp(u[uo + c] / t - mt);
                    grad[go + c] = grad[go + c] * ks - et * kt;
                }
            }
        }
        return total;
    }
}
