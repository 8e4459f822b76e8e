package org.xent.internal;

/** The plain-Java kernel family: the fallback where the Vector API is absent, and the oracle in tests. */
public final class ScalarLossKernels implements LossKernels {

    public static final ScalarLossKernels INSTANCE = new ScalarLossKernels();

    private ScalarLossKernels() {}

    @Override
    public String description() {
        return "scalar (plain Java, double accumulation)";
    }

    @Override
    public boolean isVector() {
        return false;
    }

    @Override
    public SoftCrossEntropyKernel softCrossEntropy() {
        return ScalarSoftCrossEntropy.INSTANCE;
    }

    @Override
    public HardCrossEntropyKernel hardCrossEntropy() {
        return ScalarHardCrossEntropy.INSTANCE;
    }

    @Override
    public KLDivergenceKernel klDivergence() {
        return ScalarKLDivergence.INSTANCE;
    }

    @Override
    public ProbabilityCrossEntropyKernel probabilityCrossEntropy() {
        return ScalarProbabilityCrossEntropy.INSTANCE;
    }

    @Override
    public BinaryCrossEntropyKernel binaryCrossEntropy() {
        return ScalarBinaryCrossEntropy.INSTANCE;
    }

    @Override
    public BinaryCrossEntropyWithLogitsKernel binaryCrossEntropyWithLogits() {
        return ScalarBinaryCrossEntropyWithLogits.INSTANCE;
    }

    @Override
    public DistillationKernel distillation() {
        return ScalarDistillation.INSTANCE;
    }
}
