package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.ProbabilityCrossEntropy;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/** {@code cross-entropy-probs}: cross-entropy of probabilities (or log-probabilities) with soft targets. */
public final class ProbabilityCrossEntropyCommand extends LossCommand {

    @Override
    public String name() {
        return "cross-entropy-probs";
    }

    @Override
    public String summary() {
        return "cross-entropy of probabilities (--log-input: log-probabilities) with class-probability targets";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: probabilities in [0, 1] (N, C), log clamped at -100 as in binary_cross_entropy; with",
                "--log-input, log-probabilities. --target: class probabilities (N, C). --weight: one per class (C,).",
                "mean divides the sum by N.");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.WEIGHT, Option.LOG_INPUT);
    }

    @Override
    public List<Reduction> reductions() {
        return List.of(Reduction.MEAN, Reduction.NONE, Reduction.SUM);
    }

    @Override
    protected Unreduced unreduced() {
        return Unreduced.PER_ROW;
    }

    private static ProbabilityCrossEntropy.Builder builder(LossRequest r) {
        return ProbabilityCrossEntropy.builder().reduction(r.reduction()).logInput(r.args().has(Option.LOG_INPUT));
    }

    @Override
    protected Loss loss(LossRequest r) throws CliException {
        return builder(r).classWeights(r.perClass(Option.WEIGHT)).build();
    }
}
