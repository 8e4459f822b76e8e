package org.xent.examples;

/**
 * A classification data set in the flat row-major arrays that the trainer and xent read.
 *
 * @param rows          the number of rows (examples)
 * @param features      the number of features D of a row
 * @param classes       the number of classes C
 * @param x             the features, {@code rows * features} values, row-major
 * @param labels        the class of each row (the hard labels), {@code rows} values in [0, classes)
 * @param teacherLogits the fixed teacher's logits, {@code rows * classes} values, row-major: the soft labels are
 *                      their softmax at the distillation temperature
 */
public record DataSet(int rows, int features, int classes, float[] x, int[] labels, float[] teacherLogits) {

    /**
     * Checks that the arrays have the lengths the sizes give.
     *
     * @throws IllegalArgumentException if a size is not positive or an array has the wrong length
     */
    public DataSet {
        if (rows <= 0 || features <= 0 || classes <= 0) {
            throw new IllegalArgumentException("sizes must be positive: " + rows + " x " + features + ", "
                    + classes + " classes");
        }
        if (x.length != rows * features || labels.length != rows || teacherLogits.length != rows * classes) {
            throw new IllegalArgumentException("array lengths do not match " + rows + " rows, " + features
                    + " features and " + classes + " classes");
        }
    }
}
