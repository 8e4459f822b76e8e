package org.xent.examples;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.function.Consumer;
import org.xent.TensorView;

/**
 * Mini-batch training of a {@link SoftmaxRegression} on a {@link DataSet}, in float32: per step, the logits
 * (plain Java), the objective and its gradient over the logits ({@link Objective}, xent's), the parameters'
 * gradient (plain Java), and a momentum SGD update.
 *
 * <p>The batches are the training rows in order, cut into {@code batchSize} rows (the last may be shorter): the
 * rows are independent draws, so a fixed order is as random as a shuffled one and keeps runs comparable. Every
 * buffer and every view is made once, here; a step allocates nothing but the few objects a parallel call needs.
 */
public final class Trainer implements AutoCloseable {
    private final DataSet train;
    private final DataSet heldOut;
    private final TrainingConfig config;
    private final Objective objective;
    private final Workers workers;
    private final SoftmaxRegression model;

    private final float[] logits;
    private final float[] gradient; // d(objective)/d(logits), kept apart from the logits (xent adds into it)
    private final float[] dWeights;
    private final float[] dBias;
    private final float[] vWeights; // momentum
    private final float[] vBias;
    private final Batch[] batches;

    private final float[] heldOutLogits;
    private final TensorView heldOutLogitsView;
    private final TensorView heldOutLabels;
    private int epoch;

    /** One mini-batch's rows and the views of them the objective reads and writes. */
    private record Batch(int first, int rows, TensorView logits, TensorView teacherLogits, TensorView labels,
                         TensorView gradient) {
    }

    /**
     * A trainer with a fresh model (all parameters 0).
     *
     * @param train     the training rows
     * @param heldOut   the rows evaluated after each epoch (same features and classes)
     * @param config    the settings
     * @param threads   the threads of the matrix products (the objective has its own setting)
     * @param objective the objective and its gradient
     */
    public Trainer(DataSet train, DataSet heldOut, TrainingConfig config, int threads, Objective objective) {
        if (heldOut.features() != train.features() || heldOut.classes() != train.classes()) {
            throw new IllegalArgumentException("the held-out rows must have the training rows' shape");
        }
        this.train = train;
        this.heldOut = heldOut;
        this.config = config;
        this.objective = objective;
        this.workers = new Workers(threads);
        int d = train.features();
        int c = train.classes();
        this.model = new SoftmaxRegression(d, c);

        int batchRows = Math.min(config.batchSize(), train.rows());
        this.logits = new float[batchRows * c];
        this.gradient = new float[batchRows * c];
        this.dWeights = new float[c * d];
        this.dBias = new float[c];
        this.vWeights = new float[c * d];
        this.vBias = new float[c];

        TensorView logitsView = TensorView.of(logits).matrix(batchRows, c);
        TensorView gradientView = TensorView.of(gradient).matrix(batchRows, c);
        TensorView teacherView = TensorView.of(train.teacherLogits()).matrix(train.rows(), c);
        TensorView labelsView = TensorView.of(train.labels());
        List<Batch> list = new ArrayList<>();
        for (int first = 0; first < train.rows(); first += batchRows) {
            int rows = Math.min(batchRows, train.rows() - first);
            list.add(new Batch(first, rows, logitsView.rows(0, rows), teacherView.rows(first, rows),
                    labelsView.vector(first, rows), gradientView.rows(0, rows)));
        }
        this.batches = list.toArray(Batch[]::new);

        this.heldOutLogits = new float[heldOut.rows() * c];
        this.heldOutLogitsView = TensorView.of(heldOutLogits).matrix(heldOut.rows(), c);
        this.heldOutLabels = TensorView.of(heldOut.labels());
    }

    /**
     * The model being trained.
     *
     * @return the model, updated in place by every step
     */
    public SoftmaxRegression model() {
        return model;
    }

    /**
     * Runs {@code epochs} more epochs.
     *
     * @param epochs  how many
     * @param onEpoch called after each epoch with its figures (may be null)
     * @return the figures of those epochs, in order
     */
    public List<EpochStats> train(int epochs, Consumer<EpochStats> onEpoch) {
        List<EpochStats> history = new ArrayList<>(epochs);
        for (int i = 0; i < epochs; i++) {
            EpochStats stats = epoch();
            history.add(stats);
            if (onEpoch != null) {
                onEpoch.accept(stats);
            }
        }
        return history;
    }

    /**
     * Runs one epoch (one step per mini-batch), then evaluates the held-out rows.
     *
     * @return the epoch's figures
     */
    public EpochStats epoch() {
        long start = System.nanoTime();
        double weightedSum = 0;
        for (Batch batch : batches) {
            weightedSum += step(batch) * batch.rows();
        }
        double trainingObjective = weightedSum / train.rows();
        double[] evaluation = evaluate();
        return new EpochStats(++epoch, trainingObjective, evaluation[0], evaluation[1], System.nanoTime() - start);
    }

    /** One SGD step on one mini-batch; returns its objective before the step. */
    private double step(Batch batch) {
        int n = batch.rows();
        // 1. forward: the student's logits
        model.logits(train.x(), batch.first(), n, logits, workers);
        // 2. the objective and its gradient over the logits, both terms added into one zeroed buffer
        Arrays.fill(gradient, 0, n * train.classes(), 0f);
        double value = objective.lossAndGradient(batch.logits(), batch.teacherLogits(), batch.labels(),
                batch.gradient());
        // 3. backward through the linear layer
        model.backward(train.x(), batch.first(), n, gradient, dWeights, dBias, workers);
        // 4. heavy-ball momentum: v = mu v + grad; p -= lr v
        update(model.weights(), vWeights, dWeights);
        update(model.bias(), vBias, dBias);
        return value;
    }

    private void update(float[] parameters, float[] velocity, float[] grad) {
        float mu = (float) config.momentum();
        float lr = (float) config.learningRate();
        for (int i = 0; i < parameters.length; i++) {
            velocity[i] = mu * velocity[i] + grad[i];
            parameters[i] -= lr * velocity[i];
        }
    }

    /** The held-out mean cross-entropy and accuracy of the current model. */
    private double[] evaluate() {
        int c = heldOut.classes();
        model.logits(heldOut.x(), 0, heldOut.rows(), heldOutLogits, workers);
        double loss = objective.heldOutLoss(heldOutLogitsView, heldOutLabels);
        return new double[] {loss, accuracy(heldOutLogits, heldOut.labels(), c)};
    }

    /** The fraction of rows whose largest logit (the first, on a tie) is at their label. */
    static double accuracy(float[] logits, int[] labels, int classes) {
        int correct = 0;
        for (int n = 0; n < labels.length; n++) {
            int best = 0;
            for (int k = 1; k < classes; k++) {
                if (logits[n * classes + k] > logits[n * classes + best]) {
                    best = k;
                }
            }
            if (best == labels[n]) {
                correct++;
            }
        }
        return correct / (double) labels.length;
    }

    /** Stops the worker threads. */
    @Override
    public void close() {
        workers.close();
    }
}
