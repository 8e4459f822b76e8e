package org.xent.examples;

/**
 * What one epoch of training gave.
 *
 * @param epoch             the epoch, from 1
 * @param trainingObjective the mean of the mini-batches' objectives over the epoch (each taken before its step)
 * @param heldOutLoss       the mean hard-label cross-entropy on the held-out rows, after the epoch
 * @param heldOutAccuracy   the fraction of held-out rows whose largest logit is their label, after the epoch
 * @param nanos             the epoch's wall time, evaluation included
 */
public record EpochStats(int epoch, double trainingObjective, double heldOutLoss, double heldOutAccuracy,
                         long nanos) {
}
