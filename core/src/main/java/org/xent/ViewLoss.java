package org.xent;

import org.xent.internal.Checks;
import org.xent.internal.ScratchPool;

/**
 * What the seven losses share behind {@link Loss}: checking the views, the reduction and its denominator, the
 * gradient scale, and the choice between calling the kernel on the caller's arrays directly and staging blocks
 * of rows through pooled scratch arrays (one set per concurrent call, whichever thread makes it).
 *
 * <p>The direct path is taken when every view is a heap array of the compute type (float32, or float64 for
 * float64 input) with rows that follow each other; it is one kernel call, as the array methods make. Any other
 * storage (native or heap segments, 16-bit or mixed element types, padded rows, more than 2^31 elements) is
 * staged: {@link #BLOCK_ELEMENTS} values at a time are widened into scratch, the kernel runs on them, and the
 * block's outputs are rounded back into their views. Views that are direct arrays are used in place even on the
 * staged path, so only what needs converting is copied. Each subclass supplies its kernel calls and its options.
 */
abstract class ViewLoss implements Loss {

    /** Values staged per block: 64 KB of float32 per operand, which stays in a core's L2 cache. */
    static final int BLOCK_ELEMENTS = 16384;

    private static final ScratchPool<Staging.Scratch> SCRATCH = new ScratchPool<>(Staging.Scratch::new);

    final Reduction reduction;
    private final String inputName;
    private final String targetName;
    /**
     * The weights the builder set, or null: the class weights (C values) of the cross-entropies, or the binary
     * losses' weights (per class or per element). In float64, and rounded to float32 for the float32 kernels.
     */
    final double[] weights64;
    final float[] weights32;

    /**
     * @param reduction  the builder's reduction
     * @param inputName  the input's parameter name in messages, e.g. {@code "logits"}
     * @param targetName the target's parameter name, e.g. {@code "targets"}
     * @param weights    the builder's own copy of its weights (which it never changes), or null
     */
    ViewLoss(Reduction reduction, String inputName, String targetName, double[] weights) {
        this.reduction = reduction;
        this.inputName = inputName;
        this.targetName = targetName;
        this.weights64 = weights;
        this.weights32 = float32(weights);
    }

    @Override
    public final Reduction reduction() {
        return reduction;
    }

    /** The float32 rounding of a loss's float64 weights (what its float32 kernels read), or null. */
    static float[] float32(double[] values) {
        if (values == null) {
            return null;
        }
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    // ---------------------------------------------------------------- what each loss supplies

    /** The input's parameter name, e.g. {@code "logits"}. */
    final String inputName() {
        return inputName;
    }

    /** The target's parameter name, e.g. {@code "targets"}. */
    final String targetName() {
        return targetName;
    }

    /** True when the targets are N class indices (int32 or int64) rather than an N x C matrix. */
    boolean indexTargets() {
        return false;
    }

    /** True when the unreduced losses are one per element (N x C), false for one per row (N). */
    boolean elementwise() {
        return false;
    }

    /** Checks the loss's options against the batch's shape: by default, that the class weights are C values. */
    void checkOptions(long rows, long columns) {
        Checks.classWeights(weights64 == null ? -1 : weights64.length, (int) Math.min(columns, Integer.MAX_VALUE));
    }

    /** Checks the values that must be valid before anything is written (class indices, probabilities). */
    void checkValues(TensorView input, TensorView target) {}

    /** Index of the first invalid value among {@code x[xo, xo + n)}, or -1 (for losses that check their input). */
    int firstInvalid32(float[] x, int xo, int n) {
        return -1;
    }

    /** Float64 version of {@link #firstInvalid32}. */
    int firstInvalid64(double[] x, int xo, int n) {
        return -1;
    }

    /**
     * Row-major index {@code r * C + c} of the first invalid input value by {@link #firstInvalid32} (or
     * {@link #firstInvalid64} for float64 input), or -1; staged block by block where the input is not a direct array.
     */
    final long firstInvalidInput(TensorView input) {
        final boolean f64 = input.elementType() == ElementType.FLOAT64;
        final long n = input.rows();
        final int c = (int) input.columns();
        if (f64 ? direct64(input) : direct32(input)) {
            int bad = f64 ? firstInvalid64(doubles(input), (int) input.arrayIndex(), (int) (n * c))
                    : firstInvalid32(floats(input), (int) input.arrayIndex(), (int) (n * c));
            return bad;
        }
        final Staging.Scratch s = SCRATCH.take();
        try {
            final int block = blockRows(n, c);
            for (long r0 = 0; r0 < n; r0 += block) {
                final int rows = (int) Math.min(block, n - r0);
                int bad;
                if (f64) {
                    s.x64 = Staging.Scratch.fit(s.x64, rows * c);
                    Staging.read(input, r0, rows, s.x64);
                    bad = firstInvalid64(s.x64, 0, rows * c);
                } else {
                    s.x = Staging.Scratch.fit(s.x, rows * c);
                    Staging.read(input, r0, rows, s.x, s);
                    bad = firstInvalid32(s.x, 0, rows * c);
                }
                if (bad >= 0) {
                    return r0 * c + bad;
                }
            }
            return -1;
        } finally {
            SCRATCH.give(s);
        }
    }

    /** The mean's denominator for this batch (N unless the loss says otherwise). */
    double denominator(TensorView input, TensorView target) {
        return input.rows();
    }

    /** Per-element weights of this batch (N x C, row-major), or null when the loss has none. */
    float[] elementWeights32(long rows, long columns) {
        return null;
    }

    /** Float64 version of {@link #elementWeights32}. */
    double[] elementWeights64(long rows, long columns) {
        return null;
    }

    /** The reduced value of a sum: divided by the denominator for a mean (NaN for a zero denominator). */
    double reduce(double sum, double denominator) {
        if (reduction != Reduction.MEAN && reduction != Reduction.BATCHMEAN) {
            return sum;
        }
        return denominator == 0 ? Double.NaN : sum / denominator;
    }

    /** The factor every gradient element is multiplied by, for that reduction and denominator. */
    double gradScale(double denominator) {
        if (reduction != Reduction.MEAN && reduction != Reduction.BATCHMEAN) {
            return 1.0;
        }
        return denominator == 0 ? Double.NaN : 1.0 / denominator;
    }

    /**
     * The float32 kernel over {@code rows} contiguous rows: {@code t} (matrix targets) or {@code idx} (class
     * indices) from {@code to}; {@code aux} the rows' per-element weights from 0, or null; {@code out} and
     * {@code g} may be null. Returns the sum of the unreduced losses.
     */
    abstract double kernel32(float[] x, int xo, float[] t, int[] idx, int to, float[] aux, int rows, int cols,
                             float[] out, int oo, float[] g, int go, float gradScale);

    /** Float64 version of {@link #kernel32}. */
    abstract double kernel64(double[] x, int xo, double[] t, int[] idx, int to, double[] aux, int rows, int cols,
                             double[] out, int oo, double[] g, int go, double gradScale);

    /**
     * Whether this loss has a kernel that reads input and targets of {@code storage} (both of that type) straight
     * from their segments ({@link #segmentKernel32}); false to stage them.
     */
    boolean readsSegments(ElementType storage) {
        return false;
    }

    /**
     * The segment kernel over {@code rows} rows (byte offsets and strides); {@code rowLoss[0, rows)} receives the
     * unreduced losses when not null; {@code gradType} is 0 without a gradient, else one of
     * {@link org.xent.internal.SegmentSoftCrossEntropyKernel}'s GRAD_ codes. Returns the sum of the row losses.
     */
    double segmentKernel32(ElementType storage, java.lang.foreign.MemorySegment x, long xOff, long xStride,
                           java.lang.foreign.MemorySegment y, long yOff, long yStride, int rows, int cols,
                           float[] rowLoss, java.lang.foreign.MemorySegment g, long gOff, long gStride, int gradType,
                           float gradScale) {
        throw new UnsupportedOperationException();
    }

    // ---------------------------------------------------------------- the Loss methods

    @Override
    public final double forward(TensorView input, TensorView target, TensorView rowWeights, TensorView unreduced) {
        return run(input, target, rowWeights, unreduced, null, CallOptions.DEFAULT);
    }

    @Override
    public final double forwardBackward(TensorView input, TensorView target, TensorView rowWeights,
                                        TensorView unreduced, TensorView gradient) {
        if (gradient == null) {
            throw new InvalidArgumentException("gradient", "gradient must not be null");
        }
        return run(input, target, rowWeights, unreduced, gradient, CallOptions.DEFAULT);
    }

    @Override
    public final Loss parallel(int threads) {
        return new ConfiguredLoss(this, CallOptions.DEFAULT.onThreads(Parallel.sharedPool(), threads));
    }

    @Override
    public final Loss parallel(java.util.concurrent.Executor executor, int threads) {
        return new ConfiguredLoss(this, CallOptions.DEFAULT.onThreads(executor, threads));
    }

    @Override
    public final Loss accumulating(double scale) {
        return new ConfiguredLoss(this, CallOptions.DEFAULT.accumulating(scale));
    }

    @Override
    public final Loss withDenominator(double denominator) {
        return new ConfiguredLoss(this, CallOptions.DEFAULT.withDenominator(reduction, denominator));
    }

    /**
     * The call behind every {@link Loss} method: checks, then the batch in parts of {@link #partRows} rows, run on
     * up to {@code threads} threads of {@code executor} when the batch is large enough, and the parts' sums added in
     * part order whatever thread ran them.
     */
    final double run(TensorView input, TensorView target, TensorView rowWeights, TensorView out, TensorView grad,
                     CallOptions options) {
        checkViews(input, target, out, grad);
        if (rowWeights != null) {
            checkRowWeights(rowWeights, input.rows(), out, grad);
        }
        final boolean acc = options.accumulate() && grad != null;
        if (acc && grad.overlaps(input)) {
            throw new InvalidArgumentException("gradient", "an accumulating loss adds into the gradient, which must"
                    + " be apart from " + inputName() + " (in place, the second call of a sum would read gradients"
                    + " as " + inputName() + "): " + grad + " and " + input);
        }
        checkOptions(input.rows(), input.columns());
        checkValues(input, target);
        final double weightSum = rowWeights == null ? Double.NaN : rowWeightSum(rowWeights);
        final java.util.concurrent.Executor executor = options.executor();
        final int threads = options.threads();
        double denominator = !Double.isNaN(options.denominator()) ? options.denominator()
                : rowWeights == null ? denominator(input, target) : weightedDenominator(input, target, rowWeights,
                weightSum);
        final double scale = grad == null ? 0 : gradScale(denominator) * (acc ? options.scale() : 1.0);
        final boolean f64 = input.elementType() == ElementType.FLOAT64;
        final long n = input.rows();
        final int c = (int) input.columns();
        final float[] w32 = f64 ? null : elementWeights32(n, c);
        final double[] w64 = f64 ? elementWeights64(n, c) : null;
        final long partRows = partRows(n, c);
        final long parts = n == 0 ? 1 : (n + partRows - 1) / partRows;
        final int tasks = n * c < PARALLEL_MIN_ELEMENTS || parts > Integer.MAX_VALUE || !shared(input)
                || !shared(target) || !shared(rowWeights) || !shared(out) || !shared(grad) ? 1
                : (int) Math.min(threads, parts);
        double total = -0.0;
        if (tasks <= 1) {
            final Staging.Scratch s = SCRATCH.take();
            try {
                for (long p = 0; p < parts; p++) {
                    final long r0 = p * partRows;
                    total += part(input, target, rowWeights, out, grad, scale, acc, w32, w64, r0,
                            Math.min(partRows, n - r0), s);
                }
            } finally {
                SCRATCH.give(s);
            }
        } else {
            double[] partials = Parallel.run(executor, tasks, (int) parts, (p, s) -> {
                final long r0 = p * partRows;
                return part(input, target, rowWeights, out, grad, scale, acc, w32, w64, r0,
                        Math.min(partRows, n - r0), s);
            }, SCRATCH);
            for (double partial : partials) {
                total += partial;
            }
        }
        return f64 ? reduce(total, denominator) : (float) reduce(total, denominator);
    }

    /**
     * Rows [first, first + count) of a batch, weighted or not; returns the sum of their (weighted) losses. (The
     * call's views are passed one by one, not in a record: the parallel path's lambda captures them, and a record
     * that escapes there would be allocated on the one-thread path too.)
     */
    private double part(TensorView input, TensorView target, TensorView rowWeights, TensorView out, TensorView grad,
                        double scale, boolean acc, float[] w32, double[] w64, long first, long count,
                        Staging.Scratch s) {
        final boolean f64 = input.elementType() == ElementType.FLOAT64;
        if (rowWeights == null) {
            return f64 ? rows64(input, target, out, grad, scale, w64, first, count, acc, s)
                    : rows32(input, target, out, grad, (float) scale, w32, first, count, acc, s);
        }
        double total = -0.0;
        final long end = first + count;
        for (long c0 = first; c0 < end; c0 += WEIGHT_CHUNK) {
            final int n = (int) Math.min(WEIGHT_CHUNK, end - c0);
            final double[] w = s.rw = Staging.Scratch.fit(s.rw, n);
            Staging.read(rowWeights, c0, n, w);
            for (int i = 0; i < n; ) {
                int j = i + 1;
                while (j < n && w[j] == w[i]) {
                    j++;
                }
                // float32 computes with the weight as a float32 value, as its kernels see every other input
                final double weight = f64 ? w[i] : (float) w[i];
                final long r0 = c0 + i;
                final long rows = j - i;
                if (weight == 0) {
                    total += 0.0; // the rows' losses are +0, as weight times loss is for a finite loss
                    if (out != null) {
                        zero(out, r0, rows);
                    }
                    if (grad != null && !acc) {
                        zero(grad, r0, rows);
                    }
                } else {
                    double sum = f64 ? rows64(input, target, out, grad, scale * weight, w64, r0, rows, acc, s)
                            : rows32(input, target, out, grad, (float) (scale * weight), w32, r0, rows, acc, s);
                    if (weight != 1 && out != null) {
                        scale(out, r0, rows, weight, f64, s);
                    }
                    total += weight * sum;
                }
                i = j;
            }
        }
        return total;
    }

    // ---------------------------------------------------------------- row weights

    /**
     * Row weights are read a chunk at a time (a whole part at the most, so that weights of 1 give a part's bits); in
     * it, each run of rows of equal weight is one call of the unweighted path with the gradient scale times that
     * weight, and its sum (and unreduced losses) times the weight; a run of weight 0 is not computed, its unreduced
     * losses and (unless accumulating) its gradient rows are zeroed. Runs lie within a part, so their bounds depend
     * on the batch and its weights only, not on the thread count.
     */
    private static final int WEIGHT_CHUNK = ViewLoss.PART_ELEMENTS;

    /** Checks the row weights' view: a floating-point vector of N values, apart from the outputs. */
    private static void checkRowWeights(TensorView w, long rows, TensorView out, TensorView grad) {
        if (w.isMatrix() || !w.elementType().isFloatingPoint()) {
            throw new InvalidArgumentException("rowWeights", "rowWeights must be a floating-point vector of " + rows
                    + " values (one per row), got " + w);
        }
        sameLength("rowWeights", w, rows);
        if (out != null) {
            apart("unreduced", out, "rowWeights", w);
        }
        if (grad != null) {
            apart("gradient", grad, "rowWeights", w);
        }
    }

    /** The row weights' sum, in float64 in row order, after checking that each is finite and non-negative. */
    private static double rowWeightSum(TensorView w) {
        final Staging.Scratch s = SCRATCH.take();
        try {
            double sum = 0;
            for (long r0 = 0; r0 < w.rows(); r0 += WEIGHT_CHUNK) {
                final int n = (int) Math.min(WEIGHT_CHUNK, w.rows() - r0);
                final double[] v = s.rw = Staging.Scratch.fit(s.rw, n);
                Staging.read(w, r0, n, v);
                for (int i = 0; i < n; i++) {
                    if (!(v[i] >= 0) || v[i] == Double.POSITIVE_INFINITY) {
                        throw new InvalidArgumentException("rowWeights", "rowWeights must be finite and"
                                + " non-negative, got " + v[i] + " for row " + (r0 + i));
                    }
                    sum += v[i];
                }
            }
            return sum;
        } finally {
            SCRATCH.give(s);
        }
    }

    /**
     * The mean's denominator with row weights: the weights' sum times what a row counts for in the unweighted one
     * (1, or C for an element-wise mean). A loss whose rows count unequally ({@link HardCrossEntropy}) overrides it.
     */
    double weightedDenominator(TensorView input, TensorView target, TensorView rowWeights, double weightSum) {
        final long n = input.rows();
        return n == 0 ? 0 : denominator(input, target) / n * weightSum;
    }

    /** Zero bytes, copied over the rows a weight of 0 leaves out (+0.0 in every floating-point format). */
    private static final java.lang.foreign.MemorySegment ZEROS = java.lang.foreign.MemorySegment.ofArray(new byte[8192]);

    /** Sets rows [r0, r0 + rows) of {@code v} to +0.0. */
    private static void zero(TensorView v, long r0, long rows) {
        final long rowBytes = v.columns() * v.elementType().byteSize();
        if (v.isContiguous()) {
            zeroBytes(v.segment(), v.byteOffset(r0 * v.columns()), rows * rowBytes);
        } else {
            for (long r = r0; r < r0 + rows; r++) {
                zeroBytes(v.segment(), v.rowByteOffset(r), rowBytes);
            }
        }
    }

    private static void zeroBytes(java.lang.foreign.MemorySegment seg, long off, long bytes) {
        for (long done = 0; done < bytes; done += ZEROS.byteSize()) {
            java.lang.foreign.MemorySegment.copy(ZEROS, 0, seg, off + done, Math.min(ZEROS.byteSize(), bytes - done));
        }
    }

    /** Multiplies rows [r0, r0 + rows) of the unreduced output by {@code weight}, block by block, in its type. */
    private static void scale(TensorView v, long r0, long rows, double weight, boolean f64, Staging.Scratch s) {
        final int c = (int) v.columns();
        final int block = blockRows(rows, c);
        for (long b0 = r0; b0 < r0 + rows; b0 += block) {
            final int n = (int) Math.min(block, r0 + rows - b0);
            if (f64) {
                final double[] a = s.acc64 = Staging.Scratch.fit(s.acc64, n * c);
                Staging.read(v, b0, n, a);
                for (int i = 0; i < n * c; i++) {
                    a[i] *= weight;
                }
                Staging.write(a, v, b0, n);
            } else {
                final float[] a = s.acc = Staging.Scratch.fit(s.acc, n * c);
                Staging.read(v, b0, n, a, s);
                final float w = (float) weight;
                for (int i = 0; i < n * c; i++) {
                    a[i] *= w;
                }
                Staging.write(a, v, b0, n, s);
            }
        }
    }

    /** Rows [r0, r0 + count) in float32: one kernel call on the caller's arrays, the segment kernels, or staged. */
    private double rows32(TensorView input, TensorView target, TensorView out, TensorView grad, float scale,
                          float[] weights, long first, long count, boolean acc, Staging.Scratch s) {
        final int c = (int) input.columns();
        final int outWidth = elementwise() ? c : 1;
        if (direct32(input) && (indexTargets() ? directIndices(target) : direct32(target))
                && (out == null || direct32(out)) && (grad == null || direct32(grad) && !acc)) {
            return kernel32(floats(input), (int) (input.arrayIndex() + first * c),
                    indexTargets() ? null : floats(target), indexTargets() ? ints(target) : null,
                    (int) (target.arrayIndex() + (indexTargets() ? first : first * c)),
                    slice(weights, first, count, c, s), (int) count, c,
                    out == null ? null : floats(out), out == null ? 0 : (int) (out.arrayIndex() + first * outWidth),
                    grad == null ? null : floats(grad), grad == null ? 0 : (int) (grad.arrayIndex() + first * c),
                    scale);
        }
        if (weights == null && !indexTargets() && target.elementType() == input.elementType()
                && readsSegments(input.elementType()) && (grad == null || grad.elementType() != ElementType.FLOAT64)
                && (out == null || !elementwise()) && !acc) {
            return segmentRun32(input, target, out, grad, scale, s, first, count);
        }
        final int block = blockRows(count, c);
        final long end = first + count;
        double total = -0.0;
        for (long r0 = first; r0 < end; r0 += block) {
            final int rows = (int) Math.min(block, end - r0);
            final int size = rows * c;
            float[] x;
            int xo;
            if (direct32(input)) {
                x = floats(input);
                xo = (int) (input.arrayIndex() + r0 * c);
            } else {
                x = s.x = Staging.Scratch.fit(s.x, size);
                xo = 0;
                Staging.read(input, r0, rows, x, s);
            }
            float[] t = null;
            int[] idx = null;
            int to = 0;
            if (indexTargets()) {
                if (directIndices(target)) {
                    idx = ints(target);
                    to = (int) (target.arrayIndex() + r0);
                } else {
                    idx = s.idx = s.idx.length >= rows ? s.idx : new int[rows];
                    Staging.readIndices(target, r0, rows, idx);
                }
            } else if (direct32(target)) {
                t = floats(target);
                to = (int) (target.arrayIndex() + r0 * c);
            } else {
                t = s.t = Staging.Scratch.fit(s.t, size);
                Staging.read(target, r0, rows, t, s);
            }
            float[] aux = null;
            if (weights != null) {
                aux = s.aux = Staging.Scratch.fit(s.aux, size);
                System.arraycopy(weights, (int) (r0 * c), aux, 0, size);
            }
            final boolean outDirect = out != null && direct32(out);
            float[] o = out == null ? null : outDirect ? floats(out) : (s.out = Staging.Scratch.fit(s.out,
                    rows * outWidth));
            int oo = outDirect ? (int) (out.arrayIndex() + r0 * outWidth) : 0;
            final boolean gradDirect = grad != null && direct32(grad) && !acc;
            float[] g = grad == null ? null : gradDirect ? floats(grad) : (s.g = Staging.Scratch.fit(s.g, size));
            int go = gradDirect ? (int) (grad.arrayIndex() + r0 * c) : 0;
            total += kernel32(x, xo, t, idx, to, aux, rows, c, o, oo, g, go, scale);
            if (out != null && !outDirect) {
                Staging.write(o, out, r0, rows, s);
            }
            if (acc) {
                Staging.accumulate(g, grad, r0, rows, s);
            } else if (grad != null && !gradDirect) {
                Staging.write(g, grad, r0, rows, s);
            }
        }
        return total;
    }

    /** Rows [first, first + count) in float64: one kernel call on the caller's arrays, or staged. */
    private double rows64(TensorView input, TensorView target, TensorView out, TensorView grad, double scale,
                          double[] weights, long first, long count, boolean acc, Staging.Scratch s) {
        final int c = (int) input.columns();
        final int outWidth = elementwise() ? c : 1;
        if (direct64(input) && (indexTargets() ? directIndices(target) : direct64(target))
                && (out == null || direct64(out)) && (grad == null || direct64(grad) && !acc)) {
            return kernel64(doubles(input), (int) (input.arrayIndex() + first * c),
                    indexTargets() ? null : doubles(target), indexTargets() ? ints(target) : null,
                    (int) (target.arrayIndex() + (indexTargets() ? first : first * c)),
                    slice(weights, first, count, c, s), (int) count, c,
                    out == null ? null : doubles(out), out == null ? 0 : (int) (out.arrayIndex() + first * outWidth),
                    grad == null ? null : doubles(grad), grad == null ? 0 : (int) (grad.arrayIndex() + first * c),
                    scale);
        }
        final int block = blockRows(count, c);
        final long end = first + count;
        double total = -0.0;
        for (long r0 = first; r0 < end; r0 += block) {
            final int rows = (int) Math.min(block, end - r0);
            final int size = rows * c;
            double[] x;
            int xo;
            if (direct64(input)) {
                x = doubles(input);
                xo = (int) (input.arrayIndex() + r0 * c);
            } else {
                x = s.x64 = Staging.Scratch.fit(s.x64, size);
                xo = 0;
                Staging.read(input, r0, rows, x);
            }
            double[] t = null;
            int[] idx = null;
            int to = 0;
            if (indexTargets()) {
                if (directIndices(target)) {
                    idx = ints(target);
                    to = (int) (target.arrayIndex() + r0);
                } else {
                    idx = s.idx = s.idx.length >= rows ? s.idx : new int[rows];
                    Staging.readIndices(target, r0, rows, idx);
                }
            } else if (direct64(target)) {
                t = doubles(target);
                to = (int) (target.arrayIndex() + r0 * c);
            } else {
                t = s.t64 = Staging.Scratch.fit(s.t64, size);
                Staging.read(target, r0, rows, t);
            }
            double[] aux = null;
            if (weights != null) {
                aux = s.aux64 = Staging.Scratch.fit(s.aux64, size);
                System.arraycopy(weights, (int) (r0 * c), aux, 0, size);
            }
            final boolean outDirect = out != null && direct64(out);
            double[] o = out == null ? null : outDirect ? doubles(out)
                    : (s.out64 = Staging.Scratch.fit(s.out64, rows * outWidth));
            int oo = outDirect ? (int) (out.arrayIndex() + r0 * outWidth) : 0;
            final boolean gradDirect = grad != null && direct64(grad) && !acc;
            double[] g = grad == null ? null : gradDirect ? doubles(grad) : (s.g64 = Staging.Scratch.fit(s.g64,
                    size));
            int go = gradDirect ? (int) (grad.arrayIndex() + r0 * c) : 0;
            total += kernel64(x, xo, t, idx, to, aux, rows, c, o, oo, g, go, scale);
            if (out != null && !outDirect) {
                Staging.write(o, out, r0, rows);
            }
            if (acc) {
                Staging.accumulate(g, grad, r0, rows, s);
            } else if (grad != null && !gradDirect) {
                Staging.write(g, grad, r0, rows);
            }
        }
        return total;
    }

    /** Rows of row losses kept per segment-kernel call. */
    private static final int SEGMENT_ROWS = 4096;

    private double segmentRun32(TensorView input, TensorView target, TensorView out, TensorView grad, float scale,
                                Staging.Scratch s, long first, long count) {
        final int c = (int) input.columns();
        final long xs = input.rowStride() * input.elementType().byteSize();
        final long ys = target.rowStride() * target.elementType().byteSize();
        final int gradType = grad == null ? 0 : switch (grad.elementType()) {
            case FLOAT32 -> org.xent.internal.SegmentSoftCrossEntropyKernel.GRAD_FLOAT32;
            case BFLOAT16 -> org.xent.internal.SegmentSoftCrossEntropyKernel.GRAD_BFLOAT16;
            default -> org.xent.internal.SegmentSoftCrossEntropyKernel.GRAD_FLOAT16;
        };
        final long gs = grad == null ? 0 : grad.rowStride() * grad.elementType().byteSize();
        final long end = first + count;
        final int block = out == null ? (int) Math.min(count, Integer.MAX_VALUE) : SEGMENT_ROWS;
        double total = -0.0;
        for (long r0 = first; r0 < end; r0 += block) {
            final int rows = (int) Math.min(block, end - r0);
            float[] rowLoss = out == null ? null : (s.out = Staging.Scratch.fit(s.out, rows));
            total += segmentKernel32(input.elementType(), input.segment(), input.rowByteOffset(r0), xs, target.segment(),
                    target.rowByteOffset(r0), ys, rows, c, rowLoss, grad == null ? null : grad.segment(),
                    grad == null ? 0 : grad.rowByteOffset(r0), gs, gradType, scale);
            if (out != null) {
                Staging.write(rowLoss, out, r0, rows, s);
            }
        }
        return total;
    }

    /**
     * Values per part of a batch: the unit of parallel work and of the reduced sum's order. Fixed by the batch's
     * shape alone, so that the bits do not depend on the thread count; large enough that a part's work (tens of
     * microseconds) dwarfs handing it to another thread.
     */
    static final int PART_ELEMENTS = 65536;

    /** Batches smaller than this stay on the calling thread (two parts at least, each worth a hand-off). */
    static final long PARALLEL_MIN_ELEMENTS = 2L * PART_ELEMENTS;

    /** A thread that is never started: a segment it may access is one that any thread may access. */
    private static final Thread ANOTHER_THREAD = new Thread(() -> { }, "xent-access-probe");

    /**
     * Whether other threads may access the view's memory: not so for a segment of a confined arena, which only its
     * owner thread may read or write. Such a call runs on the calling thread, whatever {@link Loss#parallel} asked.
     */
    private static boolean shared(TensorView v) {
        return v == null || v.segment().isAccessibleBy(ANOTHER_THREAD);
    }

    /** Rows per part: {@link #PART_ELEMENTS} values, at least one row. */
    static long partRows(long rows, int columns) {
        long part = columns == 0 ? rows : Math.max(1, PART_ELEMENTS / columns);
        return Math.max(1, Math.min(part, rows));
    }

    /** Rows [first, first + count) of per-element weights ({@code null} stays null), copied only for a later part. */
    private static float[] slice(float[] weights, long first, long count, int columns, Staging.Scratch s) {
        if (weights == null || first == 0) {
            return weights;
        }
        int size = (int) (count * columns);
        float[] aux = s.aux = Staging.Scratch.fit(s.aux, size);
        System.arraycopy(weights, (int) (first * columns), aux, 0, size);
        return aux;
    }

    /** Float64 version of {@link #slice(float[], long, long, int, Staging.Scratch)}. */
    private static double[] slice(double[] weights, long first, long count, int columns, Staging.Scratch s) {
        if (weights == null || first == 0) {
            return weights;
        }
        int size = (int) (count * columns);
        double[] aux = s.aux64 = Staging.Scratch.fit(s.aux64, size);
        System.arraycopy(weights, (int) (first * columns), aux, 0, size);
        return aux;
    }

    /** Rows per staged block: {@link #BLOCK_ELEMENTS} values, at least one row. */
    private static int blockRows(long rows, int columns) {
        long block = columns == 0 ? rows : Math.max(1, BLOCK_ELEMENTS / columns);
        return (int) Math.max(1, Math.min(block, Math.min(rows, Integer.MAX_VALUE)));
    }

    // ---------------------------------------------------------------- the views' checks

    private void checkViews(TensorView input, TensorView target, TensorView out, TensorView grad) {
        String in = inputName();
        String tn = targetName();
        floatingMatrix(in, input);
        if (input.columns() > Integer.MAX_VALUE - 16) {
            throw new InvalidArgumentException(in, in + ": at most " + (Integer.MAX_VALUE - 16)
                    + " columns, got " + input.columns());
        }
        if (target == null) {
            throw new InvalidArgumentException(tn, tn + " must not be null");
        }
        if (indexTargets()) {
            if (target.isMatrix() || target.elementType().isFloatingPoint()) {
                throw new InvalidArgumentException(tn, tn + " must be a vector of INT32 or INT64 class indices, got "
                        + target);
            }
            sameLength(tn, target, input.rows());
        } else {
            floatingMatrix(tn, target);
            sameShape(tn, target, input);
        }
        if (out != null) {
            if (elementwise()) {
                floatingMatrix("unreduced", out);
                sameShape("unreduced", out, input);
            } else {
                if (out.isMatrix() || !out.elementType().isFloatingPoint()) {
                    throw new InvalidArgumentException("unreduced", "unreduced must be a floating-point vector of "
                            + input.rows() + " values (one per row), got " + out);
                }
                sameLength("unreduced", out, input.rows());
            }
            writable("unreduced", out);
            apart("unreduced", out, in, input);
            apart("unreduced", out, tn, target);
            if (grad != null) {
                apart("unreduced", out, "gradient", grad);
            }
        }
        if (grad != null) {
            floatingMatrix("gradient", grad);
            sameShape("gradient", grad, input);
            writable("gradient", grad);
            if (grad.overlaps(input) && !grad.sameRegion(input)) {
                throw new InvalidArgumentException("gradient", "gradient overlaps " + in + " without being the"
                        + " same view of it (in place needs the same offset, shape, stride and element type): "
                        + grad + " and " + input);
            }
            apart("gradient", grad, tn, target);
        }
    }

    private static void floatingMatrix(String name, TensorView v) {
        if (v == null) {
            throw new InvalidArgumentException(name, name + " must not be null");
        }
        if (!v.isMatrix() || !v.elementType().isFloatingPoint()) {
            throw new InvalidArgumentException(name, name + " must be a floating-point N x C matrix view, got " + v);
        }
    }

    private static void sameShape(String name, TensorView v, TensorView input) {
        if (v.rows() != input.rows() || v.columns() != input.columns()) {
            throw new InvalidArgumentException(name, name + " must have the input's shape " + input.rows() + " x "
                    + input.columns() + ", got " + v.rows() + " x " + v.columns());
        }
    }

    private static void sameLength(String name, TensorView v, long rows) {
        if (v.rows() != rows) {
            throw new InvalidArgumentException(name, name + " must have one value per row (" + rows + "), got "
                    + v.rows());
        }
    }

    private static void writable(String name, TensorView v) {
        if (v.segment().isReadOnly()) {
            throw new InvalidArgumentException(name, name + " is read-only: " + v);
        }
    }

    private static void apart(String name, TensorView v, String otherName, TensorView other) {
        if (v.overlaps(other)) {
            throw new InvalidArgumentException(name, name + " overlaps " + otherName + ": " + v + " and " + other);
        }
    }

    // ---------------------------------------------------------------- direct arrays

    private static boolean direct32(TensorView v) {
        return v.array() instanceof float[] && v.isContiguous();
    }

    private static boolean direct64(TensorView v) {
        return v.array() instanceof double[] && v.isContiguous();
    }

    private static boolean directIndices(TensorView v) {
        return v.array() instanceof int[];
    }

    private static float[] floats(TensorView v) {
        return (float[]) v.array();
    }

    private static double[] doubles(TensorView v) {
        return (double[]) v.array();
    }

    private static int[] ints(TensorView v) {
        return (int[]) v.array();
    }
}
