package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.KLDivergence;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/** {@code kl-div}: PyTorch's {@code kl_div(input, target)}, element-wise, the input holding log-probabilities. */
public final class KlDivCommand extends LossCommand {

    @Override
    public String name() {
        return "kl-div";
    }

    @Override
    public String summary() {
        return "KL divergence of a target distribution from log-probabilities (element-wise, as kl_div)";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: log-probabilities (N, C). --target: probabilities (N, C), or log-probabilities with",
                "--log-target. The unreduced loss is element-wise (N, C). The default reduction is PyTorch's mean,",
                "which divides by N * C; batchmean divides by N (the KL divergence per row).");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.LOG_TARGET);
    }

    @Override
    public List<Reduction> reductions() {
        return List.of(Reduction.MEAN, Reduction.NONE, Reduction.SUM, Reduction.BATCHMEAN);
    }

    @Override
    protected Unreduced unreduced() {
        return Unreduced.PER_ELEMENT;
    }

    private static KLDivergence build(LossRequest r) {
        return KLDivergence.builder().reduction(r.reduction()).logTarget(r.args().has(Option.LOG_TARGET)).build();
    }

    @Override
    protected Loss loss(LossRequest r) {
        return build(r);
    }
}
