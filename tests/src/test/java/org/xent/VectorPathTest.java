package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import org.junit.jupiter.api.Test;
import org.xent.internal.KernelProvider;
import org.xent.internal.LossKernels;
import org.xent.internal.vector.VectorLossKernels;

/**
 * With {@code -Dxent.backend=vector} (set by the build for every test JVM but the fallback one) the public
 * losses must run on the Vector API kernels, and the provider must say which species width they use.
 */
class VectorPathTest {

    @Test
    void vectorBackendIsSelected() {
        assumeTrue("vector".equals(System.getProperty(KernelProvider.BACKEND_PROPERTY)),
                "only meaningful when the build demands the vector backend");
        LossKernels kernels = KernelProvider.kernels();
        assertTrue(kernels.isVector(), "expected the vector kernels, got " + kernels.description());
        String width = VectorLossKernels.bits() + "-bit";
        assertTrue(kernels.description().contains(width),
                "the description should state the width (" + width + "): " + kernels.description());
        assertTrue(kernels.softCrossEntropy().getClass().getName().startsWith("org.xent.internal.vector."),
                "soft cross-entropy should use a vector kernel: " + kernels.softCrossEntropy().getClass());
    }
}
