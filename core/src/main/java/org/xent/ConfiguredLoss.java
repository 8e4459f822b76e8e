package org.xent;

import java.util.concurrent.Executor;

/**
 * A loss with {@link CallOptions}: what {@link Loss#parallel}, {@link Loss#accumulating} and
 * {@link Loss#withDenominator} return. The same loss, its calls run with those options.
 */
final class ConfiguredLoss implements Loss {
    private final ViewLoss loss;
    private final CallOptions options;

    ConfiguredLoss(ViewLoss loss, CallOptions options) {
        this.loss = loss;
        this.options = options;
    }

    @Override
    public Reduction reduction() {
        return loss.reduction();
    }

    @Override
    public double forward(TensorView input, TensorView target, TensorView rowWeights, TensorView unreduced) {
        return loss.run(input, target, rowWeights, unreduced, null, options);
    }

    @Override
    public double forwardBackward(TensorView input, TensorView target, TensorView rowWeights, TensorView unreduced,
                                  TensorView gradient) {
        if (gradient == null) {
            throw new InvalidArgumentException("gradient", "gradient must not be null");
        }
        return loss.run(input, target, rowWeights, unreduced, gradient, options);
    }

    @Override
    public Loss parallel(int threads) {
        return new ConfiguredLoss(loss, options.onThreads(Parallel.sharedPool(), threads));
    }

    @Override
    public Loss parallel(Executor executor, int threads) {
        return new ConfiguredLoss(loss, options.onThreads(executor, threads));
    }

    @Override
    public Loss accumulating(double scale) {
        return new ConfiguredLoss(loss, options.accumulating(scale));
    }

    @Override
    public Loss withDenominator(double denominator) {
        return new ConfiguredLoss(loss, options.withDenominator(loss.reduction(), denominator));
    }

    @Override
    public String toString() {
        return loss + options.toString();
    }
}
