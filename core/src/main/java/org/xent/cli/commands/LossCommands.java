package org.xent.cli.commands;

import static org.xent.Reduction.BATCHMEAN;
import static org.xent.Reduction.MEAN;
import static org.xent.Reduction.NONE;
import static org.xent.Reduction.SUM;
import static org.xent.cli.LossCommand.Unreduced.PER_ELEMENT;
import static org.xent.cli.LossCommand.Unreduced.PER_ROW;

import java.util.EnumSet;
import java.util.List;
import org.xent.BinaryCrossEntropy;
import org.xent.BinaryCrossEntropyWithLogits;
import org.xent.Distillation;
import org.xent.HardCrossEntropy;
import org.xent.KLDivergence;
import org.xent.Loss;
import org.xent.ProbabilityCrossEntropy;
import org.xent.SoftCrossEntropy;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/**
 * The loss commands, in the order the usage text lists them: each is its description (name, help, options,
 * reductions) and the builder settings its options map to. Adding a loss is one entry here.
 */
public final class LossCommands {
    private LossCommands() {}

    /** Every loss command. */
    public static List<LossCommand> all() {
        return List.of(crossEntropy(), binaryCrossEntropy(), binaryCrossEntropyWithLogits(),
                probabilityCrossEntropy(), klDiv(), distillation());
    }

    /**
     * {@code cross-entropy}: PyTorch's {@code cross_entropy} on logits. The loss follows the target file: class
     * probabilities (N, C) when it holds floats ({@link SoftCrossEntropy}), one class index per row when it holds
     * integers ({@link HardCrossEntropy}).
     */
    static LossCommand crossEntropy() {
        return new LossCommand("cross-entropy",
                "softmax cross-entropy of logits with class probabilities or class indices as targets",
                List.of("--input: logits (N, C). --target: class probabilities (N, C) when the file holds floats, or class",
                        "indices (N,) when it holds integers (int64 or int32). --weight: one per class (C,).",
                        "mean divides the sum by N for probabilities; for class indices by the summed weight of the rows",
                        "that are not ignored (their number without --weight)."),
                EnumSet.of(Option.WEIGHT, Option.LABEL_SMOOTHING, Option.IGNORE_INDEX), List.of(MEAN, NONE, SUM),
                PER_ROW, r -> r.targetIsIntegral() ? r.classIndices() : r.targetMatrix(), LossCommands::crossEntropy);
    }

    private static Loss crossEntropy(LossRequest r) throws CliException {
        double eps = r.args().doubleValue(Option.LABEL_SMOOTHING, 0);
        if (r.targetIsIntegral()) {
            HardCrossEntropy.Builder b = HardCrossEntropy.builder().reduction(r.reduction())
                    .ignoreIndex(r.args().intValue(Option.IGNORE_INDEX, HardCrossEntropy.DEFAULT_IGNORE_INDEX));
            set(Option.LABEL_SMOOTHING, () -> b.labelSmoothing(eps));
            return b.classWeights(r.perClass(Option.WEIGHT)).build();
        }
        if (r.args().has(Option.IGNORE_INDEX)) {
            // PyTorch refuses it too: there is no class index to compare with.
            throw CliException.usage("--ignore-index applies to class-index targets only, but --target holds "
                    + "probabilities (floating point)");
        }
        SoftCrossEntropy.Builder b = SoftCrossEntropy.builder().reduction(r.reduction());
        set(Option.LABEL_SMOOTHING, () -> b.labelSmoothing(eps));
        return b.classWeights(r.perClass(Option.WEIGHT)).build();
    }

    /** {@code binary-cross-entropy}: PyTorch's {@code binary_cross_entropy} on probabilities, element-wise. */
    static LossCommand binaryCrossEntropy() {
        return new LossCommand("binary-cross-entropy", "binary cross-entropy of probabilities, element-wise",
                List.of("--input: probabilities in [0, 1] (N, C), logs clamped at -100. --target: targets (N, C).",
                        "--weight: one per class (C,) or one per element (N, C). The unreduced loss is element-wise (N, C);",
                        "mean divides the sum by N * C."),
                EnumSet.of(Option.WEIGHT), List.of(MEAN, NONE, SUM), PER_ELEMENT, LossRequest::targetMatrix,
                r -> BinaryCrossEntropy.builder().reduction(r.reduction())
                        .weights(r.perClassOrElement(Option.WEIGHT)).build());
    }

    /** {@code binary-cross-entropy-with-logits}: PyTorch's {@code binary_cross_entropy_with_logits}, element-wise. */
    static LossCommand binaryCrossEntropyWithLogits() {
        return new LossCommand("binary-cross-entropy-with-logits",
                "binary cross-entropy of logits (sigmoid inside), element-wise",
                List.of("--input: logits (N, C). --target: targets (N, C). --weight: one per class (C,) or one per element",
                        "(N, C). --pos-weight: weight of the positive term, one per class (C,). The unreduced loss is",
                        "element-wise (N, C); mean divides the sum by N * C."),
                EnumSet.of(Option.WEIGHT, Option.POS_WEIGHT), List.of(MEAN, NONE, SUM), PER_ELEMENT,
                LossRequest::targetMatrix,
                r -> BinaryCrossEntropyWithLogits.builder().reduction(r.reduction())
                        .weights(r.perClassOrElement(Option.WEIGHT)).posWeight(r.perClass(Option.POS_WEIGHT)).build());
    }

    /** {@code cross-entropy-probs}: cross-entropy of probabilities (or log-probabilities) with soft targets. */
    static LossCommand probabilityCrossEntropy() {
        return new LossCommand("cross-entropy-probs",
                "cross-entropy of probabilities (--log-input: log-probabilities) with class-probability targets",
                List.of("--input: probabilities in [0, 1] (N, C), log clamped at -100 as in binary_cross_entropy; with",
                        "--log-input, log-probabilities. --target: class probabilities (N, C). --weight: one per class (C,).",
                        "mean divides the sum by N."),
                EnumSet.of(Option.WEIGHT, Option.LOG_INPUT), List.of(MEAN, NONE, SUM), PER_ROW,
                LossRequest::targetMatrix,
                r -> ProbabilityCrossEntropy.builder().reduction(r.reduction()).logInput(r.args().has(Option.LOG_INPUT))
                        .classWeights(r.perClass(Option.WEIGHT)).build());
    }

    /** {@code kl-div}: PyTorch's {@code kl_div(input, target)}, element-wise, the input holding log-probabilities. */
    static LossCommand klDiv() {
        return new LossCommand("kl-div",
                "KL divergence of a target distribution from log-probabilities (element-wise, as kl_div)",
                List.of("--input: log-probabilities (N, C). --target: probabilities (N, C), or log-probabilities with",
                        "--log-target. The unreduced loss is element-wise (N, C). The default reduction is PyTorch's mean,",
                        "which divides by N * C; batchmean divides by N (the KL divergence per row)."),
                EnumSet.of(Option.LOG_TARGET), List.of(MEAN, NONE, SUM, BATCHMEAN), PER_ELEMENT,
                LossRequest::targetMatrix,
                r -> KLDivergence.builder().reduction(r.reduction()).logTarget(r.args().has(Option.LOG_TARGET)).build());
    }

    /**
     * {@code distillation}: the knowledge-distillation loss {@code T^2 kl_div(log_softmax(s/T), softmax(u/T))} of
     * student logits s (the input) against teacher logits u (the target), one value per row.
     */
    static LossCommand distillation() {
        return new LossCommand("distillation",
                "knowledge distillation: T^2 KL(softmax(teacher/T) || softmax(student/T)) per row",
                List.of("--input: student logits (N, C). --target: teacher logits (N, C), a constant (no gradient).",
                        "The unreduced loss is per row (N,); batchmean (the default) divides the sum by N."),
                EnumSet.of(Option.TEMPERATURE), List.of(BATCHMEAN, NONE, SUM), PER_ROW, LossRequest::targetMatrix,
                r -> {
                    Distillation.Builder b = Distillation.builder().reduction(r.reduction());
                    double t = r.args().doubleValue(Option.TEMPERATURE, 1.0);
                    set(Option.TEMPERATURE, () -> b.temperature(t));
                    return b.build();
                });
    }

    /** Applies a builder setting; a value the builder rejects becomes a usage error naming the option. */
    private static void set(Option option, Runnable setting) throws CliException {
        try {
            setting.run();
        } catch (IllegalArgumentException e) {
            throw LossCommand.rejected(option, e);
        }
    }
}
