package org.xent.examples;

import java.util.Random;

/**
 * The example's data: a classification problem generated from a fixed seed, and a fixed teacher for it.
 *
 * <p>Why generated: a training example should run from a fresh clone with nothing downloaded, and no small real
 * data set with enough classes to exercise the batched kernels (and a licence that lets it be committed) was at
 * hand where the project is built. A Gaussian mixture is the next best thing: its difficulty is known and set by
 * two numbers, and its exact posterior gives a teacher for free.
 *
 * <p>Class {@code c} has a centre {@code mu_c ~ N(0, spread^2 I)} in D dimensions and its own noise scale
 * {@code sigma_c}, drawn in [0.7, 1.4]; a row of class c is {@code mu_c + sigma_c z} with {@code z ~ N(0, I)},
 * and the classes are equally likely. The teacher is the mixture's own posterior,
 * <pre>
 *   teacher_c(x) = log p(c | x) + const = -|x - mu_c|^2 / (2 sigma_c^2) - D log sigma_c
 * </pre>
 * the best any model can do. Its curvature differs between classes, so the teacher is quadratic in x and the
 * student, a softmax regression (linear in x), can only approximate it: the distillation term does not go to 0.
 * The hard label of a row is the class that generated it, which the teacher does not always rank first where
 * classes overlap: the two terms of the objective pull in slightly different directions, as in real use.
 */
public final class GaussianMixture {
    private final int features;
    private final int classes;
    private final double[] centres; // classes x features
    private final double[] sigma;

    /**
     * A mixture drawn from {@code seed}.
     *
     * @param seed     the seed of the centres and noise scales
     * @param features the dimension D
     * @param classes  the number of classes C
     * @param spread   the standard deviation of the centres' coordinates (larger: easier to separate)
     */
    public GaussianMixture(long seed, int features, int classes, double spread) {
        if (features <= 0 || classes <= 0 || !(spread > 0)) {
            throw new IllegalArgumentException("features and classes must be positive, spread > 0");
        }
        this.features = features;
        this.classes = classes;
        this.centres = new double[classes * features];
        this.sigma = new double[classes];
        Random random = new Random(seed);
        for (int i = 0; i < centres.length; i++) {
            centres[i] = spread * random.nextGaussian();
        }
        for (int c = 0; c < classes; c++) {
            sigma[c] = 0.7 * Math.pow(2.0, random.nextDouble()); // log-uniform in [0.7, 1.4]
        }
    }

    /**
     * Draws {@code rows} rows with their labels and the teacher's logits.
     *
     * @param rows the number of rows
     * @param seed the seed of the rows (use different seeds for the training and held-out sets)
     * @return the rows; features and teacher logits rounded to float32 (the teacher computed in float64)
     */
    public DataSet sample(int rows, long seed) {
        Random random = new Random(seed);
        float[] x = new float[rows * features];
        int[] labels = new int[rows];
        float[] teacher = new float[rows * classes];
        double[] row = new double[features];
        for (int n = 0; n < rows; n++) {
            int c = random.nextInt(classes);
            labels[n] = c;
            for (int d = 0; d < features; d++) {
                // the stored float is the row: the teacher sees exactly what the student sees
                x[n * features + d] = (float) (centres[c * features + d] + sigma[c] * random.nextGaussian());
                row[d] = x[n * features + d];
            }
            for (int k = 0; k < classes; k++) {
                teacher[n * classes + k] = (float) teacherLogit(row, k);
            }
        }
        return new DataSet(rows, features, classes, x, labels, teacher);
    }

    private double teacherLogit(double[] row, int k) {
        double squared = 0;
        for (int d = 0; d < features; d++) {
            double diff = row[d] - centres[k * features + d];
            squared += diff * diff;
        }
        return -squared / (2 * sigma[k] * sigma[k]) - features * Math.log(sigma[k]);
    }
}
