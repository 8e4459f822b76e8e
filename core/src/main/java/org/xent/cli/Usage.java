package org.xent.cli;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;
import org.xent.Reduction;

/** The help texts, built from the registered commands so that they list exactly what exists. */
final class Usage {
    private Usage() {}

    private static final int NAME_WIDTH = 22;
    private static final int LINE_WIDTH = 100;

    /** {@code ./xent help}: every command and every option any command accepts. */
    static String general() {
        StringBuilder b = new StringBuilder();
        b.append("Usage: xent COMMAND --input X.npy --target Y.npy [options]\n");
        b.append("       xent help [COMMAND]\n");
        b.append("       xent version                                                     (version, JDK and kernels)\n");
        b.append("       xent bench [--smoke | --full] [--backend scalar|vector] [--isa avx512|avx2|128] [--out DIR]\n");
        b.append("                                                                        (benchmarks, see bench/README.md)\n");
        b.append("       xent gate [BASELINE.json] CURRENT.json [--threshold PERCENT]     (regression gate)\n");
        b.append("       xent test                                                        (build and run the tests)\n");
        b.append("       xent example [--epochs N] [--threads N] [--svg FILE] [--seed N]\n");
        b.append("                                                                        (a training loop, see README)\n\n");
        b.append("Computes a loss on NumPy .npy arrays and prints the reduced loss on stdout as a decimal that parses\n");
        b.append("back to the same value: in float64 for a float64 input, else in float32 (float16 files, and with\n");
        b.append("--bfloat16 uint16/int16 files of bfloat16 bits, are widened exactly). Files above 2 GiB are mapped.\n\n");
        b.append("Commands:\n");
        Set<Option> options = EnumSet.noneOf(Option.class);
        for (LossCommand c : Commands.all()) {
            entry(b, c.name(), c.summary());
            options.addAll(c.options());
        }
        b.append("\nOptions (named as in PyTorch; ./xent COMMAND --help shows those of a command):\n");
        for (Option o : options) {
            entry(b, o.synopsis(), o.description());
        }
        b.append(footer());
        return b.toString();
    }

    /** {@code ./xent COMMAND --help}: what the command computes and the options it accepts. */
    static String of(LossCommand c) {
        StringBuilder b = new StringBuilder();
        b.append("Usage: xent ").append(c.name()).append(" --input X.npy --target Y.npy [options]\n\n");
        b.append(c.summary()).append(".\n");
        for (String line : c.details()) {
            b.append(line).append('\n');
        }
        b.append("\nOptions:\n");
        for (Option o : c.options()) {
            String text = o == Option.REDUCTION
                    ? reductionNames(c) + " (default " + name(c.defaultReduction())
                    + "); with none the printed value is the sum of the unreduced losses"
                    : o.description();
            entry(b, o.synopsis(), text);
        }
        b.append(footer());
        return b.toString();
    }

    /** {@code name} in a column, then {@code text} wrapped at word boundaries and indented under itself. */
    private static void entry(StringBuilder b, String name, String text) {
        String indent = " ".repeat(NAME_WIDTH + 3);
        if (name.length() > NAME_WIDTH) {
            b.append("  ").append(name).append('\n'); // too long for the column: the text goes below
        }
        StringBuilder line = new StringBuilder(name.length() > NAME_WIDTH ? indent
                : String.format(Locale.ROOT, "  %-" + NAME_WIDTH + "s ", name));
        boolean first = true;
        for (String word : text.split(" ")) {
            if (!first && line.length() + 1 + word.length() > LINE_WIDTH) {
                b.append(line).append('\n');
                line = new StringBuilder(indent);
                first = true;
            }
            line.append(first ? "" : " ").append(word);
            first = false;
        }
        b.append(line).append('\n');
    }

    private static String footer() {
        return "\nOutputs are written only when the whole computation succeeded. Exit status: 0 on success,\n"
                + "2 for bad arguments or input files (one line on stderr starting with 'xent:'), 1 when an output\n"
                + "cannot be written.\n\n"
                + "Examples:\n"
                + "  ./xent cross-entropy --input logits.npy --target probs.npy --label-smoothing 0.1 \\\n"
                + "      --reduction sum --grad-out grad.npy\n"
                + "  ./xent cross-entropy --bfloat16 --input logits_bf16.npy --target labels.npy --grad-out g.npy\n"
                + "                                    (bfloat16 logits saved as uint16; g.npy: uint16 bfloat16 bits)\n";
    }

    static String reductionNames(LossCommand c) {
        return c.reductions().stream().map(Usage::name).sorted().collect(Collectors.joining(", "));
    }

    static String name(Reduction r) {
        return r.name().toLowerCase(Locale.ROOT);
    }
}
