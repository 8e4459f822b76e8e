package org.xent.cli;

import java.util.List;
import org.xent.cli.commands.LossCommands;

/** The registered loss commands, in the order the usage text lists them. Each is described in {@link LossCommands}. */
public final class Commands {
    private Commands() {}

    public static List<LossCommand> all() {
        return LossCommands.all();
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
