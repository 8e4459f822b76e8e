package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.EnumSet;
import java.util.Set;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * Every loss's default reduction (PyTorch's, except distillation and KL, which default to batchmean, the true KL
 * divergence per row), the reductions each builder accepts, and the message of the one it refuses.
 */
class BuilderReductionTest {

    private static final Set<Reduction> NOT_BATCHMEAN = EnumSet.of(Reduction.NONE, Reduction.SUM, Reduction.MEAN);

    @Test
    void crossEntropies() {
        check("cross-entropy", SoftCrossEntropy.create(), r -> SoftCrossEntropy.builder().reduction(r).build(),
                Reduction.MEAN, NOT_BATCHMEAN);
        check("cross-entropy", HardCrossEntropy.create(), r -> HardCrossEntropy.builder().reduction(r).build(),
                Reduction.MEAN, NOT_BATCHMEAN);
        check("cross-entropy", ProbabilityCrossEntropy.create(),
                r -> ProbabilityCrossEntropy.builder().reduction(r).build(), Reduction.MEAN, NOT_BATCHMEAN);
    }

    @Test
    void binaryLosses() {
        check("binary cross-entropy", BinaryCrossEntropy.create(),
                r -> BinaryCrossEntropy.builder().reduction(r).build(), Reduction.MEAN, NOT_BATCHMEAN);
        check("binary cross-entropy with logits", BinaryCrossEntropyWithLogits.create(),
                r -> BinaryCrossEntropyWithLogits.builder().reduction(r).build(), Reduction.MEAN, NOT_BATCHMEAN);
    }

    @Test
    void divergences() {
        check("KL divergence", KLDivergence.create(), r -> KLDivergence.builder().reduction(r).build(),
                Reduction.BATCHMEAN, EnumSet.allOf(Reduction.class));
        check("distillation", Distillation.create(), r -> Distillation.builder().reduction(r).build(),
                Reduction.BATCHMEAN, EnumSet.of(Reduction.NONE, Reduction.SUM, Reduction.BATCHMEAN));
    }

    /** The builder settings chain: a later setting keeps the reduction set before it. */
    @Test
    void settingsChain() {
        SoftCrossEntropy soft = SoftCrossEntropy.builder().reduction(Reduction.SUM).classWeights(new float[] {1, 2})
                .labelSmoothing(0.1).build();
        assertEquals(Reduction.SUM, soft.reduction());
        assertEquals(0.1, soft.labelSmoothing());
        float[] x = {1, 2, 3, 4};
        float[] y = {1, 0, 0, 1};
        // class weights 1 and 2 reach the loss: the weighted sum differs from the unweighted one
        float unweighted = SoftCrossEntropy.builder().reduction(Reduction.SUM).labelSmoothing(0.1).build()
                .forward(x, y, 2, 2);
        float weighted = soft.forward(x, y, 2, 2);
        assertEquals(false, unweighted == weighted, unweighted + " vs " + weighted);
    }

    /**
     * The array methods and builder settings that the losses share are declared in public classes, so that
     * reflection (scripting languages, frameworks) reaches them through the loss's class, as a direct call does.
     */
    @Test
    void sharedMethodsAreReachableByReflection() throws Exception {
        Object builder = SoftCrossEntropy.class.getMethod("builder").invoke(null);
        builder.getClass().getMethod("reduction", Reduction.class).invoke(builder, Reduction.SUM);
        Object loss = builder.getClass().getMethod("build").invoke(builder);
        float[] x = {1, 2, 3, 4};
        float[] y = {1, 0, 0, 1};
        Object viaReflection = SoftCrossEntropy.class.getMethod("forward", float[].class, float[].class, int.class,
                int.class).invoke(loss, x, y, 2, 2);
        assertEquals(SoftCrossEntropy.builder().reduction(Reduction.SUM).build().forward(x, y, 2, 2), viaReflection);
    }

    private static void check(String name, Loss byDefault, Function<Reduction, Loss> build, Reduction expectedDefault,
                              Set<Reduction> accepted) {
        assertEquals(expectedDefault, byDefault.reduction(), name + ": default reduction");
        for (Reduction r : Reduction.values()) {
            if (accepted.contains(r)) {
                assertEquals(r, build.apply(r).reduction(), name);
            } else {
                InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> build.apply(r));
                assertEquals("reduction", e.parameter());
                assertEquals("reduction must be " + list(accepted) + " for " + name + ", got " + r, e.getMessage());
            }
        }
        InvalidArgumentException e = assertThrows(InvalidArgumentException.class, () -> build.apply(null));
        assertEquals("reduction", e.parameter());
    }

    /** "NONE, SUM or MEAN": written out here, not by the library's code. */
    private static String list(Set<Reduction> accepted) {
        if (accepted.equals(NOT_BATCHMEAN)) {
            return "NONE, SUM or MEAN";
        }
        if (accepted.equals(EnumSet.of(Reduction.NONE, Reduction.SUM, Reduction.BATCHMEAN))) {
            return "NONE, SUM or BATCHMEAN";
        }
        throw new AssertionError("every reduction is accepted: no message");
    }
}
