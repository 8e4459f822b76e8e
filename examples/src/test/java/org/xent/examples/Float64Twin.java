package org.xent.examples;

import java.util.ArrayList;
import java.util.List;

/**
 * The example's training loop once more, entirely in float64 and without xent: the same data, zero start,
 * batches, linear layer and momentum SGD as {@link Trainer}, with the objective and its gradient computed by a
 * plain log-softmax reference written from the definitions (the library's spec, section 6, and the Javadoc of
 * {@code Distillation} and {@code HardCrossEntropy}):
 * <pre>
 *   distillation = (T^2 / N) sum_n sum_c pt_nc (log pt_nc - log ps_nc),  pt = softmax(t / T), ps = softmax(s / T)
 *                  d/ds = (T / N) (ps - pt)
 *   hard CE      = -(1 / N) sum_n log softmax(s_n)_{y_n},                 d/ds = (softmax(s) - onehot(y)) / N
 * </pre>
 * What the example computes in float32 with xent should follow this loop to float32 rounding.
 */
final class Float64Twin {
    private Float64Twin() {}

    /** One epoch's figures, as {@link EpochStats} has them. */
    record Epoch(double trainingObjective, double heldOutLoss, double heldOutAccuracy) {
    }

    static List<Epoch> train(DataSet train, DataSet heldOut, TrainingConfig config, int epochs) {
        int d = train.features();
        int c = train.classes();
        double[] x = widen(train.x());
        double[] teacher = widen(train.teacherLogits());
        double[] heldOutX = widen(heldOut.x());
        double[] w = new double[c * d];
        double[] b = new double[c];
        double[] vw = new double[c * d];
        double[] vb = new double[c];
        int batchRows = Math.min(config.batchSize(), train.rows());
        double[] logits = new double[batchRows * c];
        double[] grad = new double[batchRows * c];
        double[] dw = new double[c * d];
        double[] db = new double[c];
        double[] heldOutLogits = new double[heldOut.rows() * c];

        List<Epoch> history = new ArrayList<>();
        for (int epoch = 0; epoch < epochs; epoch++) {
            double weighted = 0;
            for (int first = 0; first < train.rows(); first += batchRows) {
                int n = Math.min(batchRows, train.rows() - first);
                linear(x, first, n, d, c, w, b, logits);
                double value = objective(logits, teacher, first, train.labels(), n, c, config, grad);
                weighted += value * n;
                // dW = g^T x, db = column sums of g
                java.util.Arrays.fill(dw, 0);
                java.util.Arrays.fill(db, 0);
                for (int r = 0; r < n; r++) {
                    for (int k = 0; k < c; k++) {
                        double g = grad[r * c + k];
                        for (int j = 0; j < d; j++) {
                            dw[k * d + j] += g * x[(first + r) * d + j];
                        }
                        db[k] += g;
                    }
                }
                sgd(w, vw, dw, config);
                sgd(b, vb, db, config);
            }
            linear(heldOutX, 0, heldOut.rows(), d, c, w, b, heldOutLogits);
            double loss = 0;
            int correct = 0;
            for (int r = 0; r < heldOut.rows(); r++) {
                int label = heldOut.labels()[r];
                loss -= heldOutLogits[r * c + label] - logSumExp(heldOutLogits, r * c, c, 1.0);
                int best = 0;
                for (int k = 1; k < c; k++) {
                    if (heldOutLogits[r * c + k] > heldOutLogits[r * c + best]) {
                        best = k;
                    }
                }
                correct += best == label ? 1 : 0;
            }
            history.add(new Epoch(weighted / train.rows(), loss / heldOut.rows(),
                    correct / (double) heldOut.rows()));
        }
        return history;
    }

    /** alpha * distillation + (1 - alpha) * hard CE of one batch, and its gradient into {@code grad}. */
    private static double objective(double[] s, double[] teacher, int first, int[] labels, int n, int c,
                                    TrainingConfig config, double[] grad) {
        double t = config.temperature();
        double alpha = config.alpha();
        double distillation = 0;
        double hard = 0;
        for (int r = 0; r < n; r++) {
            int row = r * c;
            int teacherRow = (first + r) * c;
            int label = labels[first + r];
            double student = logSumExp(s, row, c, t);
            double soft = logSumExp(teacher, teacherRow, c, t);
            double plain = logSumExp(s, row, c, 1.0);
            for (int k = 0; k < c; k++) {
                double logPs = s[row + k] / t - student;
                double logPt = teacher[teacherRow + k] / t - soft;
                double pt = Math.exp(logPt);
                distillation += pt * (logPt - logPs);
                double logP = s[row + k] - plain;
                if (k == label) {
                    hard -= logP;
                }
                double dDistillation = t * (Math.exp(logPs) - pt) / n;
                double dHard = (Math.exp(logP) - (k == label ? 1 : 0)) / n;
                grad[row + k] = alpha * dDistillation + (1 - alpha) * dHard;
            }
        }
        distillation *= t * t / n;
        hard /= n;
        return alpha * distillation + (1 - alpha) * hard;
    }

    /** log sum_j exp(v_j / temperature) over the row at {@code offset}, shifted by the row's max. */
    private static double logSumExp(double[] v, int offset, int c, double temperature) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < c; j++) {
            max = Math.max(max, v[offset + j] / temperature);
        }
        double sum = 0;
        for (int j = 0; j < c; j++) {
            sum += Math.exp(v[offset + j] / temperature - max);
        }
        return max + Math.log(sum);
    }

    private static void linear(double[] x, int first, int n, int d, int c, double[] w, double[] b, double[] out) {
        for (int r = 0; r < n; r++) {
            for (int k = 0; k < c; k++) {
                double sum = b[k];
                for (int j = 0; j < d; j++) {
                    sum += x[(first + r) * d + j] * w[k * d + j];
                }
                out[r * c + k] = sum;
            }
        }
    }

    private static void sgd(double[] p, double[] v, double[] g, TrainingConfig config) {
        for (int i = 0; i < p.length; i++) {
            v[i] = config.momentum() * v[i] + g[i];
            p[i] -= config.learningRate() * v[i];
        }
    }

    private static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }
}
