package org.xent.internal;

/**
 * Row kernel of the knowledge-distillation loss: with temperature T, teacher logits u and student logits s,
 * {@code pt = softmax(u / T)}, {@code ps = softmax(s / T)}, the row loss is
 * {@code T^2 * sum_c pt_c (log pt_c - log ps_c)} and its gradient with respect to s is
 * {@code (ps - pt) * gradScale} (the caller folds T, and 1/N for a batch mean, into gradScale).
 *
 * <p>Computed without materialising either softmax: with {@code zt = u/T - max(u/T)}, {@code zs = s/T - max(s/T)},
 * {@code St = sum exp(zt)}, {@code Ss = sum exp(zs)}:
 * {@code sum_c pt_c (log pt_c - log ps_c) = (1/St) sum_c exp(zt_c) (zt_c - zs_c) - log St + log Ss}.
 *
 * <p>Contract shared by every implementation:
 * <ul>
 *   <li>Arguments are already validated (T finite and > 0).</li>
 *   <li>A class whose teacher probability is exactly 0 contributes 0, even where the student logit is -inf.</li>
 *   <li>An empty row (C = 0) has loss 0.</li>
 *   <li>{@code rowLoss} may be null; {@code grad} may be exactly the student-logits region (in place), or
 *       null: the loss alone ({@code gradOffset} and {@code gradScale} are then unused).</li>
 *   <li>The return value is the sum of the row losses in double, in row order, from 0.0. Nothing is allocated.</li>
 * </ul>
 */
public interface DistillationKernel {

    double forwardBackward(float[] student, int studentOffset, float[] teacher, int teacherOffset, int rows,
                           int classes, double temperature, float[] rowLoss, int rowLossOffset,
                           float[] grad, int gradOffset, float gradScale);

    double forwardBackward(double[] student, int studentOffset, double[] teacher, int teacherOffset, int rows,
                           int classes, double temperature, double[] rowLoss, int rowLossOffset,
                           double[] grad, int gradOffset, double gradScale);
}
