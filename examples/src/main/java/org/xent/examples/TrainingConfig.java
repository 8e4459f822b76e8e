package org.xent.examples;

/**
 * The settings of a training run.
 *
 * @param batchSize    rows of a mini-batch (2048 rows of 128 classes is 262,144 logits, enough for xent to split a
 *                     call over threads)
 * @param learningRate the SGD step size
 * @param momentum     the heavy-ball momentum, in [0, 1)
 * @param alpha        the weight of the distillation term; the hard-label term's is {@code 1 - alpha}
 * @param temperature  the distillation temperature T
 */
public record TrainingConfig(int batchSize, double learningRate, double momentum, double alpha,
                             double temperature) {

    /**
     * Checks the ranges.
     *
     * @throws IllegalArgumentException if a setting is out of range
     */
    public TrainingConfig {
        if (batchSize <= 0 || !(learningRate > 0) || !(momentum >= 0 && momentum < 1) || !(alpha >= 0 && alpha <= 1)
                || !(temperature > 0)) {
            throw new IllegalArgumentException("bad training settings: " + batchSize + ", " + learningRate + ", "
                    + momentum + ", " + alpha + ", " + temperature);
        }
    }

    /**
     * The example's settings: batches of 2048, step 0.5 with momentum 0.9, alpha 0.7, T = 2.
     *
     * @return the default settings
     */
    public static TrainingConfig defaults() {
        return new TrainingConfig(2048, 0.5, 0.9, 0.7, 2.0);
    }
}
