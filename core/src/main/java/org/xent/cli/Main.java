package org.xent.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import org.xent.Reduction;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * The loss command line: {@code xent COMMAND --input X.npy --target Y.npy [options]} (see {@link Usage}).
 *
 * <p>{@link #run} does all the work and returns the exit code, so tests call it in-process; only {@link #main}
 * exits the JVM. Everything is read and computed before any output is written, and outputs are written all or
 * nothing ({@link OutputFiles}); the printed value comes last, so stdout holds a value only on success.
 */
public final class Main {
    private Main() {}

    /** Optional array inputs a command may accept besides the input and the target. */
    private static final List<Option> EXTRA_ARRAYS = List.of(Option.WEIGHT, Option.POS_WEIGHT, Option.ROW_WEIGHTS);

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    /** Runs one command line; returns the exit status (0 ok, 2 bad arguments or input, 1 other failure). */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        try {
            return execute(args, out);
        } catch (CliException e) {
            err.println("xent: " + oneLine(e.getMessage()));
            return e.exitCode();
        } catch (OutOfMemoryError e) {
            err.println("xent: not enough memory for these arrays (give the JVM more with -Xmx)");
            return CliException.FAILURE;
        } catch (RuntimeException e) {
            err.println("xent: internal error: " + oneLine(e.toString()));
            return CliException.FAILURE;
        } finally {
            out.flush();
            err.flush();
        }
    }

    private static int execute(String[] args, PrintStream out) throws CliException {
        if (args.length == 0) {
            throw CliException.usage("missing command (run ./xent help for the commands and options)");
        }
        String first = args[0];
        if (first.equals("version") || first.equals("--version")) {
            out.print(Version.text());
            return 0;
        }
        if (first.equals("help") || first.equals("--help") || first.equals("-h")) {
            LossCommand c = args.length > 1 ? Commands.byName(args[1]) : null;
            if (args.length > 1 && c == null) {
                throw unknownCommand(args[1]);
            }
            out.print(c == null ? Usage.general() : Usage.of(c));
            return 0;
        }
        LossCommand command = Commands.byName(first);
        if (command == null) {
            throw first.startsWith("-")
                    ? CliException.usage("the command comes first, before " + first + " (run ./xent help)")
                    : unknownCommand(first);
        }
        for (int i = 1; i < args.length; i++) {
            if (args[i].equals("--help") || args[i].equals("-h")) {
                out.print(Usage.of(command));
                return 0;
            }
        }
        LossResult result = compute(command, ParsedArgs.parse(args, 1, command.name(), command.options()));
        out.println(result.formattedValue());
        return 0;
    }

    /** Checks the arguments, reads the arrays, computes, then writes the outputs; returns what to print. */
    private static LossResult compute(LossCommand command, ParsedArgs args) throws CliException {
        Reduction reduction = reduction(command, args.value(Option.REDUCTION));
        Path inputPath = Path.of(args.required(Option.INPUT));
        Path targetPath = Path.of(args.required(Option.TARGET));

        OutputFiles outputs = new OutputFiles();
        try {
            return compute(command, args, reduction, inputPath, targetPath, outputs);
        } finally {
            outputs.discard(); // nothing left to remove after a publish; everything staged after a failure
        }
    }

    private static LossResult compute(LossCommand command, ParsedArgs args, Reduction reduction, Path inputPath,
                                      Path targetPath, OutputFiles outputs) throws CliException {
        boolean wantLoss = args.has(Option.LOSS_OUT);
        boolean wantGrad = args.has(Option.GRAD_OUT);
        if (wantLoss) {
            outputs.add(Option.LOSS_OUT, Path.of(args.value(Option.LOSS_OUT)));
        }
        if (wantGrad) {
            outputs.add(Option.GRAD_OUT, Path.of(args.value(Option.GRAD_OUT)));
        }

        NpyArray input = read(Option.INPUT, inputPath);
        NpyArray target = read(Option.TARGET, targetPath);
        Map<Option, NpyArray> extra = new EnumMap<>(Option.class);
        for (Option o : EXTRA_ARRAYS) {
            if (args.has(o)) {
                extra.put(o, read(o, Path.of(args.value(o))));
            }
        }
        LossRequest request = new LossRequest(command.name(), input, target, extra, args, reduction, wantLoss,
                wantGrad);
        LossResult result = command.run(request, outputs);
        outputs.publish();
        return result;
    }

    private static Reduction reduction(LossCommand command, String text) throws CliException {
        if (text == null) {
            return command.defaultReduction();
        }
        for (Reduction r : command.reductions()) {
            if (Usage.name(r).equals(text)) {
                return r;
            }
        }
        throw CliException.usage("--reduction must be one of " + Usage.reductionNames(command) + " for "
                + command.name() + ", got '" + text + "'");
    }

    private static NpyArray read(Option option, Path file) throws CliException {
        try {
            return Npy.read(file);
        } catch (NoSuchFileException e) {
            throw CliException.usage(option.flag() + ": no such file: " + file);
        } catch (AccessDeniedException e) {
            throw CliException.usage(option.flag() + ": permission denied: " + file);
        } catch (Npy.NpyFormatException e) {
            throw CliException.usage(option.flag() + ": " + e.getMessage());
        } catch (IOException e) {
            throw CliException.usage(option.flag() + ": cannot read " + file + ": " + e.getMessage());
        }
    }

    private static CliException unknownCommand(String name) {
        String known = Commands.all().stream().map(LossCommand::name).collect(Collectors.joining(", "));
        return CliException.usage("unknown command '" + name + "' (commands: " + known + ", help)");
    }

    private static String oneLine(String message) {
        String line = String.valueOf(message).replaceAll("\\s*[\\r\\n]+\\s*", " ").strip();
        return line.isEmpty() ? "failed" : line;
    }
}
