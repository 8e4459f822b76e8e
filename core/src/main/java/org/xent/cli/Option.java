package org.xent.cli;

/**
 * Every option of the loss commands, named as the matching PyTorch argument. Which ones a command accepts is
 * up to the command ({@link LossCommand#options()}); the first nine are common to all.
 */
public enum Option {
    INPUT("--input", "X.npy", "the input: logits, probabilities or log-probabilities (see the command), float16,"
            + " bfloat16 (with --bfloat16), float32 or float64, shape (N, C), or (C,) as one row; the loss is computed"
            + " in float64 for a float64 input, else in float32 (16-bit values widened exactly)"),
    TARGET("--target", "Y.npy", "the target (see the command), in any of the input's dtypes; its stored values are"
            + " used as they are"),
    REDUCTION("--reduction", "R", "none, sum, mean or batchmean (see the command for which apply and the default);"
            + " with none the printed value is the sum of the unreduced losses"),
    LOSS_OUT("--loss-out", "L.npy", "write the unreduced loss there (float64 for a float64 input, else float32)"),
    GRAD_OUT("--grad-out", "G.npy", "write the gradient of the printed loss with respect to the input there, in the"
            + " input's dtype (bfloat16 as uint16 bits) unless --grad-dtype says otherwise"),
    GRAD_DTYPE("--grad-dtype", "D", "the dtype of --grad-out: input (the default) or float32"),
    THREADS("--threads", "N", "threads one call uses, the caller's included (default: the available processors);"
            + " the printed loss and the output files are the same bits for any N"),
    ROW_WEIGHTS("--row-weights", "R.npy", "a weight per row (N,), finite and non-negative, e.g. a 0/1 mask of padding"
            + " rows: each row's loss and gradient are multiplied by its weight, a mean divides by the weights' sum,"
            + " and rows of weight 0 count for nothing whatever they hold"),
    BFLOAT16("--bfloat16", null, "16-bit integer files (uint16, int16) hold bfloat16 bit patterns, as NumPy stores"
            + " bfloat16 tensors; class indices stay int32 / int64"),
    WEIGHT("--weight", "W.npy", "weights, one per class (C,); ./xent COMMAND --help tells which shapes a command takes"),
    POS_WEIGHT("--pos-weight", "P.npy", "weight of the positive term per class (C,)"),
    LABEL_SMOOTHING("--label-smoothing", "E", "label smoothing in [0, 1]: the target becomes (1 - E) y + E / C"),
    IGNORE_INDEX("--ignore-index", "I", "rows whose class index is I are left out (class-index targets only)"),
    LOG_INPUT("--log-input", null, "the input holds log-probabilities instead of probabilities"),
    LOG_TARGET("--log-target", null, "the target holds log-probabilities instead of probabilities"),
    TEMPERATURE("--temperature", "T", "softmax temperature T > 0 (default 1); the loss is scaled by T^2");

    private final String flag;
    private final String valueName;
    private final String description;

    Option(String flag, String valueName, String description) {
        this.flag = flag;
        this.valueName = valueName;
        this.description = description;
    }

    /** As typed on the command line, e.g. {@code --label-smoothing}. */
    public String flag() {
        return flag;
    }

    /** Placeholder of the value in the usage text, or null for a switch that takes none. */
    public String valueName() {
        return valueName;
    }

    public boolean takesValue() {
        return valueName != null;
    }

    public String description() {
        return description;
    }

    /** {@code --flag VALUE}, or just {@code --flag} for a switch. */
    public String synopsis() {
        return takesValue() ? flag + " " + valueName : flag;
    }

    /** The option typed as {@code text}, or null. */
    public static Option byFlag(String text) {
        for (Option o : values()) {
            if (o.flag.equals(text)) {
                return o;
            }
        }
        return null;
    }
}
