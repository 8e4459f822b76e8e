package org.xent;

import org.xent.internal.Checks;

/**
 * What every loss's builder shares: the reduction, checked against the ones the loss accepts, and the copying of
 * weight arrays (a builder keeps its own copy, in float64, so a caller's later change does not reach the loss).
 *
 * <p>Public so that its settings can be called through reflection too; only the builders of this package extend it.
 *
 * @param <B> the loss's builder, returned by every setting so that settings chain
 */
public abstract class LossBuilder<B extends LossBuilder<B>> {

    private final String lossName;
    private final Reduction refused;
    Reduction reduction;
    /** The builder's own copy of the weights (class weights, or the binary losses' weights), or null. */
    double[] weights;

    /**
     * @param lossName the loss's name in messages, e.g. {@code "cross-entropy"}
     * @param initial  the default reduction
     * @param refused  the one reduction the loss does not accept, or null when it accepts all four
     */
    LossBuilder(String lossName, Reduction initial, Reduction refused) {
        this.lossName = lossName;
        this.reduction = initial;
        this.refused = refused;
    }

    /**
     * The reduction of the unreduced losses: {@link Reduction#NONE} and {@link Reduction#SUM} sum them,
     * {@link Reduction#MEAN} and {@link Reduction#BATCHMEAN} divide the sum by the denominator the loss's class
     * documentation gives. The cross-entropies and the binary losses do not take {@link Reduction#BATCHMEAN};
     * distillation does not take {@link Reduction#MEAN}.
     *
     * @param reduction the reduction
     * @return this builder
     * @throws InvalidArgumentException if {@code reduction} is null or one this loss does not accept
     */
    public final B reduction(Reduction reduction) {
        Checks.notNull("reduction", reduction);
        if (reduction == refused) {
            throw new InvalidArgumentException("reduction", "reduction must be " + accepted() + " for " + lossName
                    + ", got " + reduction);
        }
        this.reduction = reduction;
        return self();
    }

    /** The reductions this loss accepts, e.g. "NONE, SUM or MEAN". */
    private String accepted() {
        StringBuilder sb = new StringBuilder();
        Reduction[] all = Reduction.values();
        int left = refused == null ? all.length : all.length - 1;
        for (Reduction r : all) {
            if (r != refused) {
                sb.append(r);
                left--;
                sb.append(left == 0 ? "" : left == 1 ? " or " : ", ");
            }
        }
        return sb.toString();
    }

    /** Keeps {@code copy} (made by {@link #copy}, so the caller cannot change it) as the weights. */
    final B keepWeights(double[] copy) {
        this.weights = copy;
        return self();
    }

    @SuppressWarnings("unchecked")
    final B self() {
        return (B) this;
    }

    /** A float64 copy of {@code values}, or null. */
    static double[] copy(float[] values) {
        if (values == null) {
            return null;
        }
        double[] out = new double[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = values[i];
        }
        return out;
    }

    /** A copy of {@code values}, or null. */
    static double[] copy(double[] values) {
        return values == null ? null : values.clone();
    }
}
