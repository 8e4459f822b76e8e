package org.xent;

/**
 * The settings the binary losses share: the reduction (NONE, SUM or MEAN over all N * C elements) and weights,
 * one per class or one per element.
 *
 * @param <B> the concrete builder, returned by every setter
 */
public abstract class BinaryLossBuilder<B extends BinaryLossBuilder<B>> extends LossBuilder<B> {

    BinaryLossBuilder(String lossName) {
        super(lossName, Reduction.MEAN, Reduction.BATCHMEAN);
    }

    /**
     * Weights per class (length C) or per element (length N * C, row-major), copied; null for none.
     *
     * @param weights C weights (one per class) or N * C (one per element), or null
     * @return this builder
     */
    public final B weights(float[] weights) {
        return keepWeights(copy(weights));
    }

    /**
     * Weights per class (length C) or per element (length N * C, row-major), copied; null for none.
     *
     * @param weights C weights (one per class) or N * C (one per element), or null
     * @return this builder
     */
    public final B weights(double[] weights) {
        return keepWeights(copy(weights));
    }
}
