package org.xent.cli;

import java.util.logging.ConsoleHandler;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogManager;
import java.util.logging.LogRecord;
import java.util.logging.Logger;

/**
 * Logging set-up of the command line, named by {@code -Djava.util.logging.config.class} in the launcher: only
 * warnings and errors reach stderr, one line each, so that stdout and stderr carry results and real problems
 * and not the kernel provider's informational line. (A fallback to the scalar kernels is a warning and stays.)
 */
public final class QuietLogging {

    /** Called by {@link LogManager} when it starts; replaces the default configuration. */
    public QuietLogging() {
        LogManager.getLogManager().reset();
        ConsoleHandler handler = new ConsoleHandler(); // writes to System.err
        handler.setLevel(Level.WARNING);
        handler.setFormatter(new OneLine());
        Logger root = Logger.getLogger("");
        root.setLevel(Level.WARNING);
        root.addHandler(handler);
    }

    /** The message on one line; xent's own messages already start with "xent: ". */
    private static final class OneLine extends Formatter {
        @Override
        public String format(LogRecord record) {
            String message = formatMessage(record).replace('\n', ' ');
            String prefix = message.startsWith("xent:") ? "" : "xent: " + record.getLevel().getName().toLowerCase(
                    java.util.Locale.ROOT) + ": ";
            return prefix + message + System.lineSeparator();
        }
    }
}
