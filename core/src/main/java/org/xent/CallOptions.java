package org.xent;

import java.util.concurrent.Executor;

/**
 * How a loss's calls run beyond its builder's options, set by {@link Loss#parallel}, {@link Loss#accumulating} and
 * {@link Loss#withDenominator}: the threads, whether the gradient is added into its view (times a scale), and a
 * denominator given for the mean instead of the batch's own.
 *
 * @param executor    where extra threads' parts run; null for one thread
 * @param threads     the most threads a call uses, the caller's included
 * @param accumulate  whether the gradient is added into its view instead of overwriting it
 * @param scale       the factor of the accumulated gradient
 * @param denominator the mean's denominator, or NaN for the batch's own
 */
record CallOptions(Executor executor, int threads, boolean accumulate, double scale, double denominator) {

    /** One thread, the gradient overwritten, the batch's own denominator. */
    static final CallOptions DEFAULT = new CallOptions(null, 1, false, 1.0, Double.NaN);

    CallOptions onThreads(Executor executor, int threads) {
        if (executor == null) {
            throw new InvalidArgumentException("executor", "executor must not be null");
        }
        if (threads < 1) {
            throw new InvalidArgumentException("threads", "threads must be at least 1, got " + threads);
        }
        return new CallOptions(executor, threads, accumulate, scale, denominator);
    }

    CallOptions accumulating(double scale) {
        if (!Double.isFinite(scale)) {
            throw new InvalidArgumentException("scale", "scale must be finite, got " + scale);
        }
        return new CallOptions(executor, threads, true, scale, denominator);
    }

    CallOptions withDenominator(Reduction reduction, double denominator) {
        if (reduction != Reduction.MEAN && reduction != Reduction.BATCHMEAN) {
            throw new InvalidArgumentException("denominator", "a denominator is for a mean; this loss's reduction"
                    + " is " + reduction);
        }
        if (!(denominator > 0) || !Double.isFinite(denominator)) {
            throw new InvalidArgumentException("denominator", "denominator must be finite and positive, got "
                    + denominator);
        }
        return new CallOptions(executor, threads, accumulate, scale, denominator);
    }

    @Override
    public String toString() {
        return (threads > 1 ? " on " + threads + " threads" : "") + (accumulate ? ", accumulating x " + scale : "")
                + (Double.isNaN(denominator) ? "" : ", mean over " + denominator);
    }
}
