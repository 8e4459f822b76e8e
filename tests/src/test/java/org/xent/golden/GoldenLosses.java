package org.xent.golden;

import java.util.Locale;
import org.xent.BinaryCrossEntropy;
import org.xent.BinaryCrossEntropyWithLogits;
import org.xent.Distillation;
import org.xent.HardCrossEntropy;
import org.xent.KLDivergence;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.io.NpyArray;

/**
 * The loss a golden case defines, built from its {@code params} and its {@code weight.npy} /
 * {@code pos_weight.npy}: one place for every golden test (float32, float64 and half sets) to get it from.
 */
final class GoldenLosses {
    private GoldenLosses() {}

    /** A reduction named as in {@code case.json} ({@code sum}, {@code mean}, {@code batchmean}, {@code none}). */
    static Reduction reduction(String name) {
        return Reduction.valueOf(name.toUpperCase(Locale.ROOT));
    }

    /** The case's loss as a {@link Loss}, whatever its function. */
    static Loss of(GoldenCase c, Reduction reduction) {
        return switch (c.function()) {
            case "cross_entropy_soft" -> soft(c, reduction);
            case "cross_entropy_hard" -> hard(c, reduction);
            case "binary_cross_entropy" -> binary(c, reduction);
            case "binary_cross_entropy_with_logits" -> binaryWithLogits(c, reduction);
            case "kl_div" -> kl(c, reduction);
            case "distillation_kl" -> distillation(c, reduction);
            default -> throw new AssertionError(c.id() + ": unknown function " + c.function());
        };
    }

    static SoftCrossEntropy soft(GoldenCase c, Reduction reduction) {
        NpyArray w = c.array("weight");
        SoftCrossEntropy.Builder b = SoftCrossEntropy.builder().reduction(reduction)
                .labelSmoothing(c.doubleParam("label_smoothing", 0));
        if (w != null) {
            b.classWeights(w.toDoubles());
        }
        return b.build();
    }

    static HardCrossEntropy hard(GoldenCase c, Reduction reduction) {
        NpyArray w = c.array("weight");
        HardCrossEntropy.Builder b = HardCrossEntropy.builder().reduction(reduction)
                .labelSmoothing(c.doubleParam("label_smoothing", 0))
                .ignoreIndex((int) c.doubleParam("ignore_index", HardCrossEntropy.DEFAULT_IGNORE_INDEX));
        if (w != null) {
            b.classWeights(w.toDoubles());
        }
        return b.build();
    }

    /** weight.npy is (C,) or (N, C); either way its flat values are what the builder takes. */
    static BinaryCrossEntropy binary(GoldenCase c, Reduction reduction) {
        NpyArray w = c.array("weight");
        BinaryCrossEntropy.Builder b = BinaryCrossEntropy.builder().reduction(reduction);
        if (w != null) {
            b.weights(w.toDoubles());
        }
        return b.build();
    }

    /** weight.npy is (C,) or (N, C); either way its flat values are what the builder takes. */
    static BinaryCrossEntropyWithLogits binaryWithLogits(GoldenCase c, Reduction reduction) {
        NpyArray w = c.array("weight");
        BinaryCrossEntropyWithLogits.Builder b = BinaryCrossEntropyWithLogits.builder().reduction(reduction);
        if (w != null) {
            b.weights(w.toDoubles());
        }
        NpyArray pw = c.array("pos_weight");
        if (pw != null) {
            b.posWeight(pw.toDoubles());
        }
        return b.build();
    }

    static KLDivergence kl(GoldenCase c, Reduction reduction) {
        return KLDivergence.builder().reduction(reduction).logTarget(c.boolParam("log_target")).build();
    }

    static Distillation distillation(GoldenCase c, Reduction reduction) {
        return Distillation.builder().reduction(reduction).temperature(c.doubleParam("temperature", 1.0)).build();
    }
}
