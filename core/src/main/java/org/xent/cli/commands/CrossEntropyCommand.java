package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.Reduction;
import org.xent.SoftCrossEntropy;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/**
 * {@code cross-entropy}: PyTorch's {@code cross_entropy} on logits. A floating-point target file holds class
 * probabilities of the input's shape ({@link SoftCrossEntropy}).
 */
public final class CrossEntropyCommand extends LossCommand {

    @Override
    public String name() {
        return "cross-entropy";
    }

    @Override
    public String summary() {
        return "softmax cross-entropy of logits with class-probability targets";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: logits (N, C); --target: class probabilities (N, C), float32 or float64.",
                "--weight: per class (C,). mean divides the sum by N.");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.WEIGHT, Option.LABEL_SMOOTHING);
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
        if (r.targetIsIntegral()) {
            throw integerTarget(r);
        }
        SoftCrossEntropy ce = soft(r).classWeights(r.perClass32(Option.WEIGHT)).build();
        float[] x = r.input32();
        float[] y = r.target32();
        return grad == null
                ? ce.forward(x, 0, y, 0, r.rows(), r.classes(), loss, 0)
                : ce.forwardBackward(x, 0, y, 0, r.rows(), r.classes(), loss, 0, grad, 0);
    }

    @Override
    protected double compute64(LossRequest r, double[] loss, double[] grad) throws CliException {
        if (r.targetIsIntegral()) {
            throw integerTarget(r);
        }
        SoftCrossEntropy ce = soft(r).classWeights(r.perClass64(Option.WEIGHT)).build();
        double[] x = r.input64();
        double[] y = r.target64();
        return grad == null
                ? ce.forward(x, 0, y, 0, r.rows(), r.classes(), loss, 0)
                : ce.forwardBackward(x, 0, y, 0, r.rows(), r.classes(), loss, 0, grad, 0);
    }

    private static SoftCrossEntropy.Builder soft(LossRequest r) throws CliException {
        SoftCrossEntropy.Builder b = SoftCrossEntropy.builder().reduction(r.reduction());
        double eps = r.args().doubleValue(Option.LABEL_SMOOTHING, 0);
        try {
            b.labelSmoothing(eps);
        } catch (IllegalArgumentException e) {
            throw rejected(Option.LABEL_SMOOTHING, e);
        }
        return b;
    }

    private static CliException integerTarget(LossRequest r) {
        return CliException.usage("--target holds integers (class indices); cross-entropy needs class"
                + " probabilities of the input's shape here");
    }
}
