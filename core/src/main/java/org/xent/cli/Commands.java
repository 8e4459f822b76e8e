package org.xent.cli;

import java.util.List;
import org.xent.cli.commands.CrossEntropyCommand;
import org.xent.cli.commands.KlDivCommand;
import org.xent.cli.commands.ProbabilityCrossEntropyCommand;

/** The registered loss commands, in the order the usage text lists them. Adding a loss = one line here. */
public final class Commands {
    private Commands() {}

    public static List<LossCommand> all() {
        return List.of(
                new CrossEntropyCommand(),
                new ProbabilityCrossEntropyCommand(),
                new KlDivCommand());
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
