package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.HardCrossEntropy;
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
    protected float compute32(LossRequest r, float[] loss, float[] grad) throws CliException {
        float[] x = r.input32();
        if (r.targetIsIntegral()) {
            HardCrossEntropy ce = hard(r).classWeights(r.perClass32(Option.WEIGHT)).build();
            int[] t = r.classIndices();
            return grad == null
                    ? ce.forward(x, 0, t, 0, r.rows(), r.classes(), loss, 0)
                    : ce.forwardBackward(x, 0, t, 0, r.rows(), r.classes(), loss, 0, grad, 0);
        }
        SoftCrossEntropy ce = soft(r).classWeights(r.perClass32(Option.WEIGHT)).build();
        float[] y = r.target32();
        return grad == null
                ? ce.forward(x, 0, y, 0, r.rows(), r.classes(), loss, 0)
                : ce.forwardBackward(x, 0, y, 0, r.rows(), r.classes(), loss, 0, grad, 0);
    }

    @Override
    protected double compute64(LossRequest r, double[] loss, double[] grad) throws CliException {
        double[] x = r.input64();
        if (r.targetIsIntegral()) {
            HardCrossEntropy ce = hard(r).classWeights(r.perClass64(Option.WEIGHT)).build();
            int[] t = r.classIndices();
            return grad == null
                    ? ce.forward(x, 0, t, 0, r.rows(), r.classes(), loss, 0)
                    : ce.forwardBackward(x, 0, t, 0, r.rows(), r.classes(), loss, 0, grad, 0);
        }
        SoftCrossEntropy ce = soft(r).classWeights(r.perClass64(Option.WEIGHT)).build();
        double[] y = r.target64();
        return grad == null
                ? ce.forward(x, 0, y, 0, r.rows(), r.classes(), loss, 0)
                : ce.forwardBackward(x, 0, y, 0, r.rows(), r.classes(), loss, 0, grad, 0);
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
