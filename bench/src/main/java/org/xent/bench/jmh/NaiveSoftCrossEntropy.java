package org.xent.bench.jmh;

/**
 * Soft-label cross-entropy the way it is usually written by hand in Java: softmax into a temporary row (with
 * the max subtracted, as careful code does), then log and a dot product with the targets, using
 * {@link Math#exp} and {@link Math#log} in the array's precision. This is the baseline every speedup in the
 * report is measured against; it is correct for ordinary inputs, not a reference for edge cases.
 */
public final class NaiveSoftCrossEntropy {

    private NaiveSoftCrossEntropy() {}

    /** Sum of the row losses; {@code tmp} holds at least {@code classes} values. */
    public static double forward(float[] x, float[] y, int rows, int classes, float[] tmp) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                tmp[c] = e;
                sum += e;
            }
            float loss = 0f;
            for (int c = 0; c < classes; c++) {
                loss -= y[o + c] * (float) Math.log(tmp[c] / sum);
            }
            total += loss;
        }
        return total;
    }

    /** Sum of the row losses, and their gradient in {@code g}: softmax times the target mass, minus the targets. */
    public static double forwardBackward(float[] x, float[] y, int rows, int classes, float[] g) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            float max = Float.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            float sum = 0f;
            for (int c = 0; c < classes; c++) {
                float e = (float) Math.exp(x[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            float loss = 0f;
            float mass = 0f;
            for (int c = 0; c < classes; c++) {
                float p = g[o + c] / sum;
                loss -= y[o + c] * (float) Math.log(p);
                mass += y[o + c];
                g[o + c] = p;
            }
            for (int c = 0; c < classes; c++) {
                g[o + c] = g[o + c] * mass - y[o + c];
            }
            total += loss;
        }
        return total;
    }

    /** Float64 version of {@link #forward(float[], float[], int, int, float[])}. */
    public static double forward(double[] x, double[] y, int rows, int classes, double[] tmp) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(x[o + c] - max);
                tmp[c] = e;
                sum += e;
            }
            double loss = 0;
            for (int c = 0; c < classes; c++) {
                loss -= y[o + c] * Math.log(tmp[c] / sum);
            }
            total += loss;
        }
        return total;
    }

    /** Float64 version of {@link #forwardBackward(float[], float[], int, int, float[])}. */
    public static double forwardBackward(double[] x, double[] y, int rows, int classes, double[] g) {
        double total = 0;
        for (int r = 0; r < rows; r++) {
            int o = r * classes;
            double max = Double.NEGATIVE_INFINITY;
            for (int c = 0; c < classes; c++) {
                max = Math.max(max, x[o + c]);
            }
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                double e = Math.exp(x[o + c] - max);
                g[o + c] = e;
                sum += e;
            }
            double loss = 0;
            double mass = 0;
            for (int c = 0; c < classes; c++) {
                double p = g[o + c] / sum;
                loss -= y[o + c] * Math.log(p);
                mass += y[o + c];
                g[o + c] = p;
            }
            for (int c = 0; c < classes; c++) {
                g[o + c] = g[o + c] * mass - y[o + c];
            }
            total += loss;
        }
        return total;
    }
}
