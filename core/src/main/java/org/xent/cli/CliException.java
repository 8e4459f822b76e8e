package org.xent.cli;

/**
 * A failure the command line reports as one line on stderr ({@code xent: message}) with an exit code:
 * {@link #USAGE} for bad arguments or input files, {@link #FAILURE} for outputs that could not be written.
 */
public final class CliException extends Exception {
    private static final long serialVersionUID = 1L;

    /** Bad arguments, options or input files. */
    public static final int USAGE = 2;
    /** The computation was fine but an output could not be written. */
    public static final int FAILURE = 1;

    private final int exitCode;

    public CliException(int exitCode, String message) {
        super(message);
        this.exitCode = exitCode;
    }

    /** A usage or bad-input error (exit code {@link #USAGE}). */
    public static CliException usage(String message) {
        return new CliException(USAGE, message);
    }

    public int exitCode() {
        return exitCode;
    }
}
