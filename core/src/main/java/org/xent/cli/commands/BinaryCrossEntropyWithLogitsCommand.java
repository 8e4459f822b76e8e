package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.BinaryCrossEntropyWithLogits;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/** {@code binary-cross-entropy-with-logits}: PyTorch's {@code binary_cross_entropy_with_logits}, element-wise. */
public final class BinaryCrossEntropyWithLogitsCommand extends LossCommand {

    @Override
    public String name() {
        return "binary-cross-entropy-with-logits";
    }

    @Override
    public String summary() {
        return "binary cross-entropy of logits (sigmoid inside), element-wise";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: logits (N, C). --target: targets (N, C). --weight: one per class (C,) or one per element",
                "(N, C). --pos-weight: weight of the positive term, one per class (C,). The unreduced loss is",
                "element-wise (N, C); mean divides the sum by N * C.");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.WEIGHT, Option.POS_WEIGHT);
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
        return BinaryCrossEntropyWithLogits.builder().reduction(r.reduction())
                .weights(r.perClassOrElement(Option.WEIGHT)).posWeight(r.perClass(Option.POS_WEIGHT)).build();
    }
}
