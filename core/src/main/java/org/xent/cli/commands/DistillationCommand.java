package org.xent.cli.commands;

import java.util.EnumSet;
import java.util.List;
import java.util.Set;
import org.xent.Distillation;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.cli.CliException;
import org.xent.cli.LossCommand;
import org.xent.cli.LossRequest;
import org.xent.cli.Option;

/**
 * {@code distillation}: the knowledge-distillation loss {@code T^2 kl_div(log_softmax(s/T), softmax(u/T))} of
 * student logits s (the input) against teacher logits u (the target), one value per row.
 */
public final class DistillationCommand extends LossCommand {

    @Override
    public String name() {
        return "distillation";
    }

    @Override
    public String summary() {
        return "knowledge distillation: T^2 KL(softmax(teacher/T) || softmax(student/T)) per row";
    }

    @Override
    public List<String> details() {
        return List.of(
                "--input: student logits (N, C). --target: teacher logits (N, C), a constant (no gradient).",
                "The unreduced loss is per row (N,); batchmean (the default) divides the sum by N.");
    }

    @Override
    protected Set<Option> specificOptions() {
        return EnumSet.of(Option.TEMPERATURE);
    }

    @Override
    public List<Reduction> reductions() {
        return List.of(Reduction.BATCHMEAN, Reduction.NONE, Reduction.SUM);
    }

    @Override
    protected Unreduced unreduced() {
        return Unreduced.PER_ROW;
    }

    private static Distillation build(LossRequest r) throws CliException {
        Distillation.Builder b = Distillation.builder().reduction(r.reduction());
        double t = r.args().doubleValue(Option.TEMPERATURE, 1.0);
        try {
            b.temperature(t);
        } catch (IllegalArgumentException e) {
            throw rejected(Option.TEMPERATURE, e);
        }
        return b.build();
    }

    @Override
    protected Loss loss(LossRequest r) throws CliException {
        return build(r);
    }
}
