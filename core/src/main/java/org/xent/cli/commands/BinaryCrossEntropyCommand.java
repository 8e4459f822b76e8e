package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.BinaryCrossEntropy;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/** {@code binary-cross-entropy}: PyTorch's {@code binary_cross_entropy} on probabilities, element-wise. */
public final class BinaryCrossEntropyCommand extends LossCommand {

    @Override
    public String name() {
        return "binary-cross-entropy";
    }

    @Override
    public String summary() {
        return "binary cross-entropy of probabilities, element-wise";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: probabilities in [0, 1] (N, C), logs clamped at -100. --target: targets (N, C).",
                "--weight: one per class (C,) or one per element (N, C). The unreduced loss is element-wise (N, C);",
                "mean divides the sum by N * C.");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.WEIGHT);
    }

    @Override
    public List<Reduction> reductions() {
        return List.of(Reduction.MEAN, Reduction.NONE, Reduction.SUM);
    }

    @Override
    protected Unreduced unreduced() {
        return Unreduced.PER_ELEMENT;
    }

    @Override
    protected Loss loss(LossRequest r) throws CliException {
        return BinaryCrossEntropy.builder().reduction(r.reduction()).weights(r.perClassOrElement(Option.WEIGHT))
                .build();
    }
}
