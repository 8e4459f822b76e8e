package org.xent;

/**
 * The builder of a cross-entropy that takes one weight per class (soft, hard and probability cross-entropy).
 *
 * <p>Public so that its settings can be called through reflection too; only the builders of this package extend it.
 *
 * @param <B> the loss's builder
 */
public abstract class ClassWeightedBuilder<B extends ClassWeightedBuilder<B>> extends LossBuilder<B> {

    ClassWeightedBuilder(String lossName) {
        super(lossName, Reduction.MEAN, Reduction.BATCHMEAN);
    }

    /**
     * Per-class weights (length C, copied); null for none.
     *
     * @param classWeights one weight per class (C values), or null
     * @return this builder
     */
    public final B classWeights(float[] classWeights) {
        return keepWeights(copy(classWeights));
    }

    /**
     * Per-class weights (length C, copied); null for none.
     *
     * @param classWeights one weight per class (C values), or null
     * @return this builder
     */
    public final B classWeights(double[] classWeights) {
        return keepWeights(copy(classWeights));
    }
}
