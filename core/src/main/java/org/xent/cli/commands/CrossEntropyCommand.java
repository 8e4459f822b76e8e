package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.HardCrossEntropy;
import org.xent.Loss;
import org.xent.TensorView;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/**
 * {@code cross-entropy}: PyTorch's {@code cross_entropy} on logits. As in PyTorch, the target's type decides:
 * a floating-point file holds class probabilities of the input's shape ({@link SoftCrossEntropy}), an integer
 * file holds one class index per row ({@link HardCrossEntropy}).
 */
public final class CrossEntropyCommand extends LossCommand {

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String summary() {
        return "softmax cross-entropy of logits with class probabilities or class indices as targets";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: logits (N, C). --target: class probabilities (N, C) when the file holds floats, or class",
                "indices (N,) when it holds integers (int64 or int32). --weight: one per class (C,).",
                "mean divides the sum by N for probabilities; for class indices by the summed weight of the rows",
                "that are not ignored (their number without --weight).");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.WEIGHT, Option.LABEL_SMOOTHING, Option.IGNORE_INDEX);
    }

    @Override
    public List<Reduction> reductions() {
        return List.of(Reduction.MEAN, Reduction.NONE, Reduction.SUM);
    }

    @Override
    protected Unreduced unreduced() {
        return Unreduced.PER_ROW;
    }

    @Override
    protected Loss loss(LossRequest r) throws CliException {
        if (r.targetIsIntegral()) {
            return hard(r).classWeights(r.perClass(Option.WEIGHT)).build();
        }
        return soft(r).classWeights(r.perClass(Option.WEIGHT)).build();
    }

    /** Class indices when the file holds integers, else the probabilities (N, C). */
    @Override
    protected TensorView target(LossRequest r) throws CliException {
        return r.targetIsIntegral() ? r.classIndices() : r.targetMatrix();
    }

    private static SoftCrossEntropy.Builder soft(LossRequest r) throws CliException {
        if (r.args().has(Option.IGNORE_INDEX)) {
            // PyTorch refuses it too: there is no class index to compare with.
            throw CliException.usage("--ignore-index applies to class-index targets only, but --target holds "
                    + "probabilities (floating point)");
        }
        SoftCrossEntropy.Builder b = SoftCrossEntropy.builder().reduction(r.reduction());
        double eps = r.args().doubleValue(Option.LABEL_SMOOTHING, 0);
        try {
            b.labelSmoothing(eps);
        } catch (IllegalArgumentException e) {
            throw rejected(Option.LABEL_SMOOTHING, e);
        }
        return b;
    }

    private static HardCrossEntropy.Builder hard(LossRequest r) throws CliException {
        HardCrossEntropy.Builder b = HardCrossEntropy.builder().reduction(r.reduction())
                .ignoreIndex(r.args().intValue(Option.IGNORE_INDEX, HardCrossEntropy.DEFAULT_IGNORE_INDEX));
        double eps = r.args().doubleValue(Option.LABEL_SMOOTHING, 0);
        try {
            b.labelSmoothing(eps);
        } catch (IllegalArgumentException e) {
            throw rejected(Option.LABEL_SMOOTHING, e);
        }
        return b;
    }
}
