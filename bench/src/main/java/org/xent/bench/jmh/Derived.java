package org.xent.bench.jmh;

import java.util.SplittableRandom;

/**
 * Inputs of the other losses, derived from the rotating {@link Inputs32} sets (same count, same shape) so that
 * every loss reads data of the same kind and footprint: probabilities are the softmax (or sigmoid) of the
 * N(0, 3^2) logits, log-probabilities their log-softmax, class indices and per-element binary targets are
 * uniform draws. Computed in double, stored as float; the float64 overloads derive the same quantities from the
 * {@link Inputs64} sets and keep them in double. Called from a benchmark's trial setup, never timed.
 */
public final class Derived {

    private Derived() {}

    /** Row-wise softmax of each set. */
    public static float[][] softmax(float[][] logits, int classes) {
        return rowWise(logits, classes, false);
    }

    /** Row-wise log-softmax of each set. */
    public static float[][] logSoftmax(float[][] logits, int classes) {
        return rowWise(logits, classes, true);
    }

    /** Elementwise logistic sigmoid of each set: probabilities in (0, 1), rounding to 1 only for large logits. */
    public static float[][] sigmoid(float[][] logits) {
        float[][] out = new float[logits.length][];
        for (int s = 0; s < logits.length; s++) {
            float[] x = logits[s];
            float[] p = new float[x.length];
            for (int i = 0; i < x.length; i++) {
                p[i] = (float) (1.0 / (1.0 + Math.exp(-x[i])));
            }
            out[s] = p;
        }
        return out;
    }

    /** Independent uniform values in (0, 1), one array per set: soft binary targets. */
    public static float[][] uniform(int sets, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[sets][size];
        for (float[] a : out) {
            for (int i = 0; i < size; i++) {
                a[i] = (float) Math.max(random.nextDouble(), 1e-7);
            }
        }
        return out;
    }

    /** Independent N(0, 3^2) logits, one array per set: e.g. a teacher's logits. */
    public static float[][] logits(int sets, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        float[][] out = new float[sets][size];
        for (float[] a : out) {
            for (int i = 0; i < size; i++) {
                a[i] = (float) (3.0 * random.nextGaussian());
            }
        }
        return out;
    }

    /** One uniform class index in [0, classes) per row, one array per set: hard labels. */
    public static int[][] classIndices(int sets, int rows, int classes, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        int[][] out = new int[sets][rows];
        for (int[] a : out) {
            for (int r = 0; r < rows; r++) {
                a[r] = random.nextInt(classes);
            }
        }
        return out;
    }

    private static float[][] rowWise(float[][] logits, int classes, boolean log) {
        float[][] out = new float[logits.length][];
        for (int s = 0; s < logits.length; s++) {
            float[] x = logits[s];
            float[] y = new float[x.length];
            for (int o = 0; o < x.length; o += classes) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, x[o + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(x[o + c] - max);
                }
                double lse = max + Math.log(sum);
                for (int c = 0; c < classes; c++) {
                    double lp = x[o + c] - lse;
                    y[o + c] = (float) (log ? lp : Math.exp(lp));
                }
            }
            out[s] = y;
        }
        return out;
    }

    // ---------------------------------------------------------------- float64 twins

    /** Row-wise softmax of each float64 set, kept in double. */
    public static double[][] softmax(double[][] logits, int classes) {
        return rowWise(logits, classes, false);
    }

    /** Row-wise log-softmax of each float64 set, kept in double. */
    public static double[][] logSoftmax(double[][] logits, int classes) {
        return rowWise(logits, classes, true);
    }

    /** Elementwise logistic sigmoid of each float64 set. */
    public static double[][] sigmoid(double[][] logits) {
        double[][] out = new double[logits.length][];
        for (int s = 0; s < logits.length; s++) {
            double[] x = logits[s];
            double[] p = new double[x.length];
            for (int i = 0; i < x.length; i++) {
                p[i] = 1.0 / (1.0 + Math.exp(-x[i]));
            }
            out[s] = p;
        }
        return out;
    }

    /** As {@link #uniform}, the same draws kept in double. */
    public static double[][] uniform64(int sets, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[sets][size];
        for (double[] a : out) {
            for (int i = 0; i < size; i++) {
                a[i] = Math.max(random.nextDouble(), 1e-7);
            }
        }
        return out;
    }

    /** As {@link #logits}, the same draws kept in double. */
    public static double[][] logits64(int sets, int size, long seed) {
        SplittableRandom random = new SplittableRandom(seed);
        double[][] out = new double[sets][size];
        for (double[] a : out) {
            for (int i = 0; i < size; i++) {
                a[i] = 3.0 * random.nextGaussian();
            }
        }
        return out;
    }

    private static double[][] rowWise(double[][] logits, int classes, boolean log) {
        double[][] out = new double[logits.length][];
        for (int s = 0; s < logits.length; s++) {
            double[] x = logits[s];
            double[] y = new double[x.length];
            for (int o = 0; o < x.length; o += classes) {
                double max = Double.NEGATIVE_INFINITY;
                for (int c = 0; c < classes; c++) {
                    max = Math.max(max, x[o + c]);
                }
                double sum = 0;
                for (int c = 0; c < classes; c++) {
                    sum += Math.exp(x[o + c] - max);
                }
                double lse = max + Math.log(sum);
                for (int c = 0; c < classes; c++) {
                    double lp = x[o + c] - lse;
                    y[o + c] = log ? lp : Math.exp(lp);
                }
            }
            out[s] = y;
        }
        return out;
    }
}
