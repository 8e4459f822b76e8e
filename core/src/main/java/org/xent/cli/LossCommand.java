package org.xent.cli;

import java.util.EnumSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import org.xent.ElementType;
import org.xent.InvalidArgumentException;
import org.xent.Loss;
import org.xent.Reduction;
import org.xent.TensorView;
import org.xent.io.NpyArray;

/**
 * One loss command: its name, what it accepts, and the loss a {@link LossRequest} asks for. A subclass builds
 * the {@link Loss} and says what its target is; this class makes the outputs that were asked for (files mapped
 * by {@link OutputFiles}, so no output needs a Java array of the input's size) and calls the loss on views of the
 * files' own values, so an adapter is only the builder settings.
 */
public abstract class LossCommand {

    /** The options every command accepts. */
    private static final Set<Option> COMMON = EnumSet.of(Option.INPUT, Option.TARGET, Option.REDUCTION,
            Option.LOSS_OUT, Option.GRAD_OUT, Option.GRAD_DTYPE, Option.THREADS, Option.ROW_WEIGHTS, Option.BFLOAT16);

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

    /** The loss, with the reduction and the options of {@code request}. */
    protected abstract Loss loss(LossRequest request) throws CliException;

    /** The target view the loss takes: by default the N x C target matrix. */
    protected TensorView target(LossRequest request) throws CliException {
        return request.targetMatrix();
    }

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
     * Runs the loss, writing the unreduced losses and the gradient into files staged by {@code outputs} (published
     * by the caller once everything succeeded). An {@link IllegalArgumentException} from the loss class (a value it
     * rejects) becomes a usage error carrying its message, in command-line terms.
     */
    final LossResult run(LossRequest r, OutputFiles outputs) throws CliException {
        int threads = r.args().intValue(Option.THREADS, Runtime.getRuntime().availableProcessors());
        if (threads < 1) {
            throw CliException.usage("--threads must be at least 1, got " + threads);
        }
        Loss loss = loss(r).parallel(threads);
        TensorView input = r.input();
        TensorView target = target(r);
        TensorView rowWeights = r.rowWeights();
        NpyArray.DType lossType = r.isFloat32() ? NpyArray.DType.FLOAT32 : NpyArray.DType.FLOAT64;
        TensorView lossView = null;
        if (r.wantLoss()) {
            boolean perRow = unreduced() == Unreduced.PER_ROW;
            NpyArray a = outputs.create(Option.LOSS_OUT, lossType, perRow ? r.rowShape() : r.inputShape());
            lossView = perRow ? a.view() : a.view().matrix(r.rows(), r.classes());
        }
        try {
            double value;
            if (r.wantGrad()) {
                NpyArray.DType gradType = gradType(r);
                NpyArray g = outputs.create(Option.GRAD_OUT, gradType, r.inputShape());
                TensorView grad = (gradType == NpyArray.DType.UINT16 ? g.viewAs(ElementType.BFLOAT16) : g.view())
                        .matrix(r.rows(), r.classes());
                value = loss.forwardBackward(input, target, rowWeights, lossView, grad);
            } else {
                value = loss.forward(input, target, rowWeights, lossView);
            }
            return new LossResult(value, r.isFloat32());
        } catch (IllegalArgumentException e) {
            throw CliException.usage(inCommandLineTerms(e));
        }
    }

    /** The dtype of {@code --grad-out}: the input's (bfloat16 as uint16 bits), or float32 with --grad-dtype float32. */
    private static NpyArray.DType gradType(LossRequest r) throws CliException {
        String asked = r.args().value(Option.GRAD_DTYPE);
        if (asked != null && !asked.equals("input")) {
            if (asked.toLowerCase(Locale.ROOT).equals("float32")) {
                return NpyArray.DType.FLOAT32;
            }
            throw CliException.usage("--grad-dtype must be input or float32, got '" + asked + "'");
        }
        return switch (r.inputType()) {
            case FLOAT16 -> NpyArray.DType.FLOAT16;
            case BFLOAT16 -> NpyArray.DType.UINT16;
            case FLOAT64 -> NpyArray.DType.FLOAT64;
            default -> NpyArray.DType.FLOAT32;
        };
    }

    /** Library parameter names and the options whose values are passed as them. */
    private static final Map<String, Option> OPTIONS = Map.ofEntries(
            Map.entry("targets", Option.TARGET), Map.entry("teacherLogits", Option.TARGET),
            Map.entry("logits", Option.INPUT), Map.entry("input", Option.INPUT),
            Map.entry("probabilities", Option.INPUT), Map.entry("studentLogits", Option.INPUT),
            Map.entry("classWeights", Option.WEIGHT), Map.entry("weights", Option.WEIGHT),
            Map.entry("posWeight", Option.POS_WEIGHT), Map.entry("labelSmoothing", Option.LABEL_SMOOTHING),
            Map.entry("temperature", Option.TEMPERATURE), Map.entry("ignoreIndex", Option.IGNORE_INDEX),
            Map.entry("rowWeights", Option.ROW_WEIGHTS));

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
