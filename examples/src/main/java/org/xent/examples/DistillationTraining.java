package org.xent.examples;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Locale;

/**
 * The command line of the example ({@code ./xent example}): generates the data set, trains the student for some
 * epochs, prints the figures of each epoch and writes the loss curve as an SVG.
 *
 * <pre>
 *   ./xent example [--epochs N] [--threads N] [--svg FILE] [--seed N]
 * </pre>
 *
 * Defaults: 20 epochs, as many threads as available processors, {@code target/loss-curve.svg}, seed 10. The
 * data: {@value #TRAIN_ROWS} training and {@value #HELD_OUT_ROWS} held-out rows of {@value #FEATURES} features
 * in {@value #CLASSES} classes ({@link GaussianMixture}).
 */
public final class DistillationTraining {
    /** Features of a row. */
    public static final int FEATURES = 32;
    /** Classes. */
    public static final int CLASSES = 128;
    /** Training rows: 4 mini-batches of 2048. */
    public static final int TRAIN_ROWS = 8192;
    /** Held-out rows. */
    public static final int HELD_OUT_ROWS = 2048;
    /**
     * Standard deviation of the class centres' coordinates: with unit-scale noise, classes overlap enough that
     * the teacher is uncertain on many rows (soft labels carry information) but far from everywhere.
     */
    public static final double SPREAD = 0.6;

    private DistillationTraining() {}

    /**
     * The example's training and held-out rows.
     *
     * @param train   the rows the student is trained on
     * @param heldOut the rows it is evaluated on
     */
    public record Data(DataSet train, DataSet heldOut) {
    }

    /**
     * The data of a seed: the mixture from {@code seed}, its training and held-out rows from the next two seeds.
     *
     * @param seed the seed
     * @param trainRows training rows
     * @param heldOutRows held-out rows
     * @return the rows
     */
    public static Data data(long seed, int trainRows, int heldOutRows) {
        GaussianMixture mixture = new GaussianMixture(seed, FEATURES, CLASSES, SPREAD);
        return new Data(mixture.sample(trainRows, seed + 1), mixture.sample(heldOutRows, seed + 2));
    }

    /**
     * Runs the example and exits with status 0, or 2 on a bad argument, 1 if the SVG cannot be written.
     *
     * @param args the command line
     */
    public static void main(String[] args) {
        int status = run(args, System.out, System.err);
        if (status != 0) {
            System.exit(status);
        }
    }

    /**
     * Runs the example with the given streams (for the tests).
     *
     * @param args the command line
     * @param out  where the figures go
     * @param err  where errors go
     * @return the exit status: 0, 1 (the SVG could not be written) or 2 (bad arguments)
     */
    public static int run(String[] args, PrintStream out, PrintStream err) {
        int epochs = 20;
        int threads = Runtime.getRuntime().availableProcessors();
        Path svg = Path.of("target", "loss-curve.svg");
        long seed = 10;
        try {
            for (int i = 0; i < args.length; i++) {
                String a = args[i];
                switch (a) {
                    case "--epochs" -> epochs = positive(a, value(args, ++i, a));
                    case "--threads" -> threads = positive(a, value(args, ++i, a));
                    case "--svg" -> svg = Path.of(value(args, ++i, a));
                    case "--seed" -> seed = Long.parseLong(value(args, ++i, a));
                    case "--help", "-h" -> {
                        out.println("Usage: xent example [--epochs N] [--threads N] [--svg FILE] [--seed N]");
                        out.println("Trains a softmax-regression student on a generated 128-class problem with");
                        out.println("0.7 * distillation (T = 2) + 0.3 * hard cross-entropy, computed by xent.");
                        out.println("Defaults: 20 epochs, every processor, target/loss-curve.svg, seed 10.");
                        return 0;
                    }
                    default -> throw new IllegalArgumentException("unknown option " + a + " (try --help)");
                }
            }
        } catch (NumberFormatException e) {
            err.println("xent example: not a number: " + e.getMessage());
            return 2;
        } catch (IllegalArgumentException e) {
            err.println("xent example: " + e.getMessage());
            return 2;
        }

        TrainingConfig config = TrainingConfig.defaults();
        Data data = data(seed, TRAIN_ROWS, HELD_OUT_ROWS);
        out.printf(Locale.ROOT, "softmax regression, %d features, %d classes: %d training rows in batches of %d, "
                        + "%d held out; %d thread%s%n", FEATURES, CLASSES, TRAIN_ROWS, config.batchSize(),
                HELD_OUT_ROWS, threads, threads == 1 ? "" : "s");
        out.printf(Locale.ROOT, "objective: %s * distillation (T = %s) + %s * hard cross-entropy; SGD, step %s, "
                        + "momentum %s%n", number(config.alpha()), number(config.temperature()),
                number(1 - config.alpha()), number(config.learningRate()), number(config.momentum()));
        // the teacher is the mixture's own posterior: its accuracy is the best any model can expect on these rows
        out.printf(Locale.ROOT, "teacher's held-out accuracy %.1f %%%n", 100 * Trainer.accuracy(
                data.heldOut().teacherLogits(), data.heldOut().labels(), CLASSES));
        List<EpochStats> history;
        try (Trainer trainer = new Trainer(data.train(), data.heldOut(), config, threads,
                new XentObjective(config.alpha(), config.temperature(), threads))) {
            history = trainer.train(epochs, e -> out.printf(Locale.ROOT,
                    "epoch %3d  objective %.6f  held-out CE %.6f  accuracy %5.1f %%  %6.1f ms%n", e.epoch(),
                    e.trainingObjective(), e.heldOutLoss(), 100 * e.heldOutAccuracy(), e.nanos() / 1e6));
        }
        try {
            LossCurveSvg.write(svg, history, String.format(Locale.ROOT,
                    "Softmax regression distilled from a fixed teacher (%d classes, alpha %s, T = %s)",
                    CLASSES, number(config.alpha()), number(config.temperature())));
        } catch (IOException e) {
            err.println("xent example: cannot write " + svg + ": " + e.getMessage());
            return 1;
        }
        out.println("loss curve: " + svg.toAbsolutePath().normalize());
        return 0;
    }

    /** A setting as it would be typed: 2 rather than 2.0, and 0.3 rather than 0.30000000000000004. */
    private static String number(double v) {
        return new java.math.BigDecimal(Float.toString((float) v)).stripTrailingZeros().toPlainString();
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int positive(String option, String text) {
        int v = Integer.parseInt(text);
        if (v < 1) {
            throw new IllegalArgumentException(option + " must be at least 1, got " + v);
        }
        return v;
    }
}
