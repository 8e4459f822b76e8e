package org.xent.examples;

import org.xent.TensorView;

/**
 * The losses of a training loop: the one seam between the trainer's plain Java and the loss library.
 * {@link XentObjective} is xent's; the tests check the trainer against a float64 twin with a reference of its own.
 */
public interface Objective {

    /**
     * The training objective of one mini-batch, and its gradient with respect to the student's logits.
     *
     * @param logits        the student's logits, N x C
     * @param teacherLogits the teacher's logits, N x C (the soft labels are their softmax at the temperature)
     * @param labels        the hard labels, N class indices
     * @param gradient      N x C, apart from the logits, <b>zeroed by the caller</b>: the objective adds
     *                      d(objective)/d(logits) into it
     * @return the objective (a mean over the batch)
     */
    double lossAndGradient(TensorView logits, TensorView teacherLogits, TensorView labels, TensorView gradient);

    /**
     * The held-out loss: the mean hard-label cross-entropy, the figure to watch for overfitting.
     *
     * @param logits the student's logits, N x C
     * @param labels the hard labels, N class indices
     * @return the mean cross-entropy
     */
    double heldOutLoss(TensorView logits, TensorView labels);
}
