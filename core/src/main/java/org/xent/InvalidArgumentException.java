package org.xent;

/**
 * A bad argument: thrown by every loss and view before anything is written. Besides the message, which names the
 * parameter and the values, it carries the parameter's name as data ({@link #parameter()}), so that a caller
 * such as a command line can map it to its own option names without reading the message.
 */
public class InvalidArgumentException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;

    private final String parameter;

    /**
     * @param parameter the offending parameter's name, as the API documents it (for example {@code "logits"})
     * @param message   the message, naming the parameter and the values
     */
    public InvalidArgumentException(String parameter, String message) {
        super(message);
        this.parameter = parameter;
    }

    /** The name of the offending parameter, for example {@code "logits"}, {@code "rowStride"} or {@code "classWeights"}. */
    public String parameter() {
        return parameter;
    }
}
