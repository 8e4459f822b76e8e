package org.xent.examples;

import org.xent.Distillation;
import org.xent.HardCrossEntropy;
import org.xent.Loss;
import org.xent.TensorView;

/**
 * The combined objective, computed by xent: {@code alpha * distillation + (1 - alpha) * hard cross-entropy}, with
 * {@code distillation = T^2 * KL(softmax(teacher / T) || softmax(student / T))} averaged over the rows
 * ({@link Distillation}, batch mean) and the hard term the mean cross-entropy of the labels
 * ({@link HardCrossEntropy}).
 *
 * <p>The two terms are two calls that add their scaled gradients into the same buffer ({@link Loss#accumulating}),
 * so the combined gradient is never assembled from two separate ones; batches of 128k logits or more are split over
 * the threads ({@link Loss#parallel(int)}) with the same bits as one thread. The losses are built once: a call
 * allocates no buffers.
 */
public final class XentObjective implements Objective {
    private final double alpha;
    private final Loss distillation;
    private final Loss hard;
    private final Loss heldOut;

    /**
     * The objective for a weight {@code alpha} of the distillation term.
     *
     * @param alpha       the distillation term's weight, in [0, 1]; the hard term's is {@code 1 - alpha}
     * @param temperature the distillation temperature T
     * @param threads     the most threads a loss call uses
     */
    public XentObjective(double alpha, double temperature, int threads) {
        this.alpha = alpha;
        this.distillation = Distillation.builder().temperature(temperature).build()
                .parallel(threads).accumulating(alpha);             // g += alpha * d(distillation)/ds
        this.hard = HardCrossEntropy.create()                       // mean over the rows
                .parallel(threads).accumulating(1 - alpha);         // g += (1 - alpha) * d(hard CE)/ds
        this.heldOut = HardCrossEntropy.create().parallel(threads);
    }

    @Override
    public double lossAndGradient(TensorView logits, TensorView teacherLogits, TensorView labels,
                                  TensorView gradient) {
        // The combined objective's call site: both gradients land in one zeroed buffer. The returned values are
        // the unscaled losses, so the weights are applied here as well.
        double soft = distillation.forwardBackward(logits, teacherLogits, null, gradient);
        double hardLoss = hard.forwardBackward(logits, labels, null, gradient);
        return alpha * soft + (1 - alpha) * hardLoss;
    }

    @Override
    public double heldOutLoss(TensorView logits, TensorView labels) {
        return heldOut.forward(logits, labels);
    }
}
