package org.xent;

import java.util.Objects;

/**
 * A rejected argument, naming the parameter it was passed as. Thrown by the losses for a bad call (a null array, a
 * slice out of bounds, sizes that do not match, overlapping outputs, a setting out of range), before anything is
 * written to a caller's buffer.
 *
 * <p>The message says what is wrong in words and starts with the parameter's name; {@link #parameter()} gives the
 * name as data, so that a caller can map it to its own terms (a command-line option, a form field) without
 * parsing the message. The names are those of the method parameters in the Javadoc of the losses, e.g.
 * {@code logits}, {@code targets}, {@code rows}, {@code gradient}, {@code classWeights}, {@code labelSmoothing}.
 */
public final class InvalidArgumentException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;

    /** The parameter; a String, so serializable with the exception. */
    private final String parameter;

    /**
     * An exception about one parameter.
     *
     * @param parameter the name of the parameter whose argument was rejected, e.g. {@code "targets"}
     * @param message what is wrong, starting with the parameter's name
     * @throws NullPointerException if {@code parameter} is null
     */
    public InvalidArgumentException(String parameter, String message) {
        super(message);
        this.parameter = Objects.requireNonNull(parameter, "parameter");
    }

    /**
     * The parameter whose argument was rejected.
     *
     * @return its name as it appears in the loss's method or builder signature, e.g. {@code "logits"}
     */
    public String parameter() {
        return parameter;
    }
}
