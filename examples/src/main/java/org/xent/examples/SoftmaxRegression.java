package org.xent.examples;

/**
 * The student: a softmax regression, {@code logits = x W^T + b} with W a C x D matrix and b a vector of C, in
 * float32. It computes its logits for a block of rows and, from the objective's gradient over those logits, the
 * gradient of its parameters; the softmax itself is inside the loss (xent's), as in any framework.
 *
 * <p>Both products are split over {@link Workers} in blocks whose every output value is summed by one thread in a
 * fixed order (the rows in order), so the results are the same bits for any thread count.
 */
public final class SoftmaxRegression {
    /** Rows of logits a block of the forward product computes. */
    private static final int ROW_BLOCK = 64;
    /** Classes (rows of dW) a block of the backward product computes. */
    private static final int CLASS_BLOCK = 8;

    private final int features;
    private final int classes;
    private final float[] weights;
    private final float[] bias;

    /**
     * A model with all parameters 0 (the objective is convex in them, so no random start is needed: every class
     * starts at probability 1 / C).
     *
     * @param features the number of input features D
     * @param classes  the number of classes C
     */
    public SoftmaxRegression(int features, int classes) {
        this.features = features;
        this.classes = classes;
        this.weights = new float[classes * features];
        this.bias = new float[classes];
    }

    /**
     * The number of input features D.
     *
     * @return D
     */
    public int features() {
        return features;
    }

    /**
     * The number of classes C.
     *
     * @return C
     */
    public int classes() {
        return classes;
    }

    /**
     * The weights, C x D row-major; the trainer updates them in place.
     *
     * @return the weight array itself (not a copy)
     */
    public float[] weights() {
        return weights;
    }

    /**
     * The biases, one per class; the trainer updates them in place.
     *
     * @return the bias array itself (not a copy)
     */
    public float[] bias() {
        return bias;
    }

    /**
     * The logits of rows {@code [first, first + rows)} of {@code x}: {@code out[n][c] = b[c] + sum_d x[n][d] W[c][d]}.
     *
     * @param x       features, row-major, D a row
     * @param first   the first row of {@code x} to use
     * @param rows    the number of rows
     * @param out     receives {@code rows * C} logits from index 0
     * @param workers the threads to use
     */
    void logits(float[] x, int first, int rows, float[] out, Workers workers) {
        int blocks = (rows + ROW_BLOCK - 1) / ROW_BLOCK;
        workers.forEachBlock(blocks, block -> {
            int end = Math.min(rows, (block + 1) * ROW_BLOCK);
            for (int n = block * ROW_BLOCK; n < end; n++) {
                int xRow = (first + n) * features;
                for (int c = 0; c < classes; c++) {
                    int wRow = c * features;
                    float sum = bias[c];
                    for (int d = 0; d < features; d++) {
                        sum += x[xRow + d] * weights[wRow + d];
                    }
                    out[n * classes + c] = sum;
                }
            }
        });
    }

    /**
     * The gradient of the parameters from the gradient over the logits (the backward pass of the linear layer):
     * {@code dW = g^T x} and {@code db = } the column sums of g.
     *
     * @param x          the features the logits were computed from, row-major
     * @param first      the first row of {@code x} used
     * @param rows       the number of rows
     * @param gradient   d(objective)/d(logits), {@code rows * C} values from index 0
     * @param dWeights   receives d(objective)/dW, C x D (overwritten)
     * @param dBias      receives d(objective)/db, C values (overwritten)
     * @param workers    the threads to use
     */
    void backward(float[] x, int first, int rows, float[] gradient, float[] dWeights, float[] dBias,
                  Workers workers) {
        int blocks = (classes + CLASS_BLOCK - 1) / CLASS_BLOCK;
        workers.forEachBlock(blocks, block -> {
            int end = Math.min(classes, (block + 1) * CLASS_BLOCK);
            for (int c = block * CLASS_BLOCK; c < end; c++) {
                int wRow = c * features;
                java.util.Arrays.fill(dWeights, wRow, wRow + features, 0f);
                float db = 0;
                for (int n = 0; n < rows; n++) {
                    float g = gradient[n * classes + c];
                    int xRow = (first + n) * features;
                    for (int d = 0; d < features; d++) {
                        dWeights[wRow + d] += g * x[xRow + d];
                    }
                    db += g;
                }
                dBias[c] = db;
            }
        });
    }
}
