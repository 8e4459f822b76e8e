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
 * One loss command: its name, what it accepts, and how it builds the loss a {@link LossRequest} asks for. The
 * commands differ only in that description ({@link org.xent.cli.commands.LossCommands}); this class makes the
 * outputs that were asked for (files mapped by {@link OutputFiles}, so no output needs a Java array of the input's
 * size) and calls the loss on views of the files' own values.
 */
public final class LossCommand {

    /** The options every command accepts. */
    private static final Set<Option> COMMON = EnumSet.of(Option.INPUT, Option.TARGET, Option.REDUCTION,
            Option.LOSS_OUT, Option.GRAD_OUT, Option.GRAD_DTYPE, Option.THREADS, Option.ROW_WEIGHTS, Option.BFLOAT16);

    /** How many unreduced values the loss has: one per row, or one per input element. */
    public enum Unreduced { PER_ROW, PER_ELEMENT }

    /** Builds the loss, with the reduction and the options of a request. */
    @FunctionalInterface
    public interface LossFactory {
        Loss loss(LossRequest request) throws CliException;
    }

    /** Reads the target view the loss takes from a request. */
    @FunctionalInterface
    public interface TargetReader {
        TensorView target(LossRequest request) throws CliException;
    }

    private final String name;
    private final String summary;
    private final List<String> details;
    private final Set<Option> options;
    private final List<Reduction> reductions;
    private final Unreduced unreduced;
    private final LossFactory factory;
    private final TargetReader targetReader;

    /**
     * @param name       the command name, e.g. {@code cross-entropy}
     * @param summary    one line for the command list of the usage text
     * @param details    lines that say what the input and target hold and what mean divides by
     * @param specific   the options beyond the common ones (input, target, reduction, outputs)
     * @param reductions the reductions the loss accepts, the default first
     * @param unreduced  one unreduced value per row or per element
     * @param target     the target view the loss takes (usually {@link LossRequest#targetMatrix()})
     * @param factory    the loss, from a request
     */
    public LossCommand(String name, String summary, List<String> details, Set<Option> specific,
                       List<Reduction> reductions, Unreduced unreduced, TargetReader target, LossFactory factory) {
        this.name = name;
        this.summary = summary;
        this.details = List.copyOf(details);
        Set<Option> all = EnumSet.copyOf(COMMON);
        all.addAll(specific);
        this.options = all;
        this.reductions = List.copyOf(reductions);
        this.unreduced = unreduced;
        this.targetReader = target;
        this.factory = factory;
    }

    /** The command name, e.g. {@code cross-entropy}. */
    public String name() {
        return name;
    }

    /** One line for the command list of the usage text. */
    public String summary() {
        return summary;
    }

    /** Lines that say what the input and target hold and what mean divides by. */
    public List<String> details() {
        return details;
    }

    /** The reductions the loss accepts, the default first. */
    public List<Reduction> reductions() {
        return reductions;
    }

    /** Every option the command accepts. */
    public Set<Option> options() {
        return EnumSet.copyOf(options);
    }

    /** The reduction when none is asked for. */
    public Reduction defaultReduction() {
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
        Loss loss = factory.loss(r).parallel(threads);
        TensorView input = r.input();
        TensorView target = targetReader.target(r);
        TensorView rowWeights = r.rowWeights();
        NpyArray.DType lossType = r.isFloat32() ? NpyArray.DType.FLOAT32 : NpyArray.DType.FLOAT64;
        TensorView lossView = null;
        if (r.wantLoss()) {
            boolean perRow = unreduced == Unreduced.PER_ROW;
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
    public static CliException rejected(Option option, IllegalArgumentException e) {
        String m = inCommandLineTerms(e);
        return CliException.usage(m.startsWith(option.flag()) ? m : option.flag() + ": " + m);
    }
}
