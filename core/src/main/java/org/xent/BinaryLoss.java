package org.xent;

import org.xent.internal.BinaryLossChecks;

/**
 * What the two binary losses share: one loss per element, a mean over all N * C of them, and weights that are
 * either one per class (C values, read with row stride 0) or one per element (N * C values, which the staged
 * path hands the kernel block by block as {@code aux}, row stride C).
 */
abstract class BinaryLoss extends SameShapeLoss {

    BinaryLoss(Reduction reduction, String inputName, double[] weights) {
        super(reduction, inputName, "targets", weights);
    }

    @Override
    final boolean elementwise() {
        return true;
    }

    @Override
    void checkOptions(long rows, long columns) {
        if (weights64 != null && weights64.length != columns) {
            BinaryLossChecks.weightsRowStride(weights64.length, (int) Math.min(rows, Integer.MAX_VALUE),
                    (int) Math.min(columns, Integer.MAX_VALUE));
        }
    }

    @Override
    final double denominator(long rows, long columns) {
        return (double) rows * columns;
    }

    @Override
    final float[] elementWeights32(long rows, long columns) {
        return weights64 == null || weights64.length == columns ? null : weights32;
    }

    @Override
    final double[] elementWeights64(long rows, long columns) {
        return weights64 == null || weights64.length == columns ? null : weights64;
    }

    /** The weights a float32 kernel call reads: the block of per-element weights, else the per-class ones. */
    final float[] kernelWeights(float[] aux) {
        return aux != null ? aux : weights32;
    }

    /** The weights a float64 kernel call reads: the block of per-element weights, else the per-class ones. */
    final double[] kernelWeights(double[] aux) {
        return aux != null ? aux : weights64;
    }

    /** The row stride of {@link #kernelWeights}: C for a block of per-element weights, 0 for per-class ones. */
    static int weightsStride(Object aux, int columns) {
        return aux != null ? columns : 0;
    }
}
