package org.xent.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.xent.InvalidArgumentException;
import org.xent.Reduction;
import org.xent.io.NpyArray;

/**
 * One loss command: its name, what it accepts, and the call from a {@link LossRequest} to the loss class.
 * A subclass implements the float32 and float64 calls; this class allocates the outputs that were asked for and
 * packs the result, so an adapter is only the builder settings and the call.
 */
public abstract class LossCommand {

    /** The options every command accepts. */
    private static final Set<Option> COMMON =
            EnumSet.of(Option.INPUT, Option.TARGET, Option.REDUCTION, Option.LOSS_OUT, Option.GRAD_OUT);

    /** How many unreduced values the loss has: one per row, or one per input element. */
    protected enum Unreduced { PER_ROW, PER_ELEMENT }

    /** The command name, e.g. {@code cross-entropy}. */
    public abstract String name();

    /** One line for the command list of the usage text. */
    public abstract String summary();

    /** Lines that say what the input and target hold and what mean divides by. */
    public abstract List<String> details();

    /** The options beyond the common ones (input, target, reduction, outputs). */
    protected abstract Set<Option> specificOptions();

    /** The reductions the loss accepts, the default first. */
    public abstract List<Reduction> reductions();

    protected abstract Unreduced unreduced();

    /**
     * Computes in float32 from {@code request}; {@code loss} (may be null) receives the unreduced values and
     * {@code grad} (null when no gradient is wanted) the gradient of the returned value.
     */
    protected abstract float compute32(LossRequest request, float[] loss, float[] grad) throws CliException;

    /** Float64 twin of {@link #compute32}. */
    protected abstract double compute64(LossRequest request, double[] loss, double[] grad) throws CliException;

    /** Every option the command accepts. */
    public final Set<Option> options() {
        Set<Option> all = EnumSet.copyOf(COMMON);
        all.addAll(specificOptions());
        return all;
    }

    public final Reduction defaultReduction() {
        return reductions().get(0);
    }

    /**
     * Runs the loss. An {@link IllegalArgumentException} from the loss class (a value it rejects) becomes a usage
     * error carrying its message, in command-line terms.
     */
    public final LossResult run(LossRequest r) throws CliException {
        int[] lossShape = unreduced() == Unreduced.PER_ROW ? r.rowShape() : r.inputShape();
        int lossSize = unreduced() == Unreduced.PER_ROW ? r.rows() : r.rows() * r.classes();
        int inputSize = r.rows() * r.classes();
        try {
            if (r.isFloat32()) {
                float[] loss = r.wantLoss() ? new float[lossSize] : null;
                float[] grad = r.wantGrad() ? new float[inputSize] : null;
                float value = compute32(r, loss, grad);
                return new LossResult(value, true, loss == null ? null : NpyArray.of(loss, lossShape),
                        grad == null ? null : NpyArray.of(grad, r.inputShape()));
            }
            double[] loss = r.wantLoss() ? new double[lossSize] : null;
            double[] grad = r.wantGrad() ? new double[inputSize] : null;
            double value = compute64(r, loss, grad);
            return new LossResult(value, false, loss == null ? null : NpyArray.of(loss, lossShape),
                    grad == null ? null : NpyArray.of(grad, r.inputShape()));
        } catch (IllegalArgumentException e) {
            throw CliException.usage(inCommandLineTerms(e));
        }
    }

    /** Library parameter names and the options whose values are passed as them. */
    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            Map.entry("targets", Option.TARGET), Map.entry("teacherLogits", Option.TARGET),
            Map.entry("logits", Option.INPUT), Map.entry("input", Option.INPUT),
            Map.entry("probabilities", Option.INPUT), Map.entry("studentLogits", Option.INPUT),
            Map.entry("classWeights", Option.WEIGHT), Map.entry("weights", Option.WEIGHT),
            Map.entry("posWeight", Option.POS_WEIGHT), Map.entry("labelSmoothing", Option.LABEL_SMOOTHING),
            Map.entry("temperature", Option.TEMPERATURE), Map.entry("ignoreIndex", Option.IGNORE_INDEX));

    /**
     * A loss class's message in the words of the command line: the rejected parameter becomes the option its value
     * came from ("targets: row 2 ..." becomes "--target: row 2 ..."), builder calls become switches. Parameters
     * that no option feeds (rows, gradient, ...) stay as they are.
     */
    static String inCommandLineTerms(IllegalArgumentException e) {
        String m = String.valueOf(e.getMessage());
        String parameter = e instanceof InvalidArgumentException invalid ? invalid.parameter() : null;
        Option option = parameter == null ? null : OPTIONS.get(parameter);
        if (option != null) {
            // the library's messages start with the parameter's name; should one not, the option still leads
            m = m.startsWith(parameter) ? option.flag() + m.substring(parameter.length()) : option.flag() + ": " + m;
        }
        return m.replace("logInput(true)", "--log-input").replace("logTarget(true)", "--log-target");
    }

    /** The usage error for a value of {@code option} that the loss class rejected, naming the option. */
    protected static CliException rejected(Option option, IllegalArgumentException e) {
        String m = inCommandLineTerms(e);
        return CliException.usage(m.startsWith(option.flag()) ? m : option.flag() + ": " + m);
    }
}
