package org.xent.cli;

import java.util.List;
import org.xent.cli.commands.BinaryCrossEntropyCommand;
import org.xent.cli.commands.BinaryCrossEntropyWithLogitsCommand;
import org.xent.cli.commands.CrossEntropyCommand;
import org.xent.cli.commands.DistillationCommand;
import org.xent.cli.commands.KlDivCommand;
import org.xent.cli.commands.ProbabilityCrossEntropyCommand;

/** The registered loss commands, in the order the usage text lists them. Adding a loss = one line here. */
public final class Commands {
    private Commands() {}

    public static List<LossCommand> all() {
        return List.of(
                new CrossEntropyCommand(),
                new BinaryCrossEntropyCommand(),
                new BinaryCrossEntropyWithLogitsCommand(),
                new ProbabilityCrossEntropyCommand(),
                new KlDivCommand(),
                new DistillationCommand());
    }

    /** The command called {@code name}, or null. */
    public static LossCommand byName(String name) {
        for (LossCommand c : all()) {
            if (c.name().equals(name)) {
                return c;
            }
        }
        return null;
    }
}
