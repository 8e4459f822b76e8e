/**
 * A training loop with xent in it, end to end: a softmax-regression student ({@link SoftmaxRegression}) learns a
 * generated 128-class problem ({@link GaussianMixture}) from a fixed teacher's soft labels and the hard labels at
 * once. Its objective per mini-batch, {@code alpha * distillation + (1 - alpha) * hard cross-entropy}, is two xent
 * calls that add their gradients into one buffer ({@link XentObjective}); the rest of the step (the linear layer
 * forward and backward, the SGD update) is plain Java ({@link Trainer}). {@link DistillationTraining} is the
 * command line ({@code ./xent example}), {@link LossCurveSvg} draws the loss per epoch.
 */
package org.xent.examples;
