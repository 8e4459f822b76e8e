package org.xent;

import java.util.concurrent.Executor;

/** A loss made parallel by {@link Loss#parallel}: the same loss, its calls split over an executor's threads. */
final class ParallelLoss implements Loss {
    private final ViewLoss loss;
    private final Executor executor;
    private final int threads;

    ParallelLoss(ViewLoss loss, Executor executor, int threads) {
        if (executor == null) {
            throw new InvalidArgumentException("executor", "executor must not be null");
        }
        if (threads < 1) {
            throw new InvalidArgumentException("threads", "threads must be at least 1, got " + threads);
        }
        this.loss = loss;
        this.executor = executor;
        this.threads = threads;
    }

    @Override
    public Reduction reduction() {
        return loss.reduction();
    }

    @Override
    public double forward(TensorView input, TensorView target, TensorView unreduced) {
        return loss.run(input, target, unreduced, null, executor, threads);
    }

    @Override
    public double forwardBackward(TensorView input, TensorView target, TensorView unreduced, TensorView gradient) {
        if (gradient == null) {
            throw new InvalidArgumentException("gradient", "gradient must not be null");
        }
        return loss.run(input, target, unreduced, gradient, executor, threads);
    }

    @Override
    public Loss parallel(int threads) {
        return loss.parallel(threads);
    }

    @Override
    public Loss parallel(Executor executor, int threads) {
        return loss.parallel(executor, threads);
    }

    @Override
    public String toString() {
        return loss + " on " + threads + " threads";
    }
}
