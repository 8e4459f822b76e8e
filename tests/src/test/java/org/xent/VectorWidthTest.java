package org.xent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import jdk.incubator.vector.VectorShape;
import org.junit.jupiter.api.Test;
import org.xent.internal.KernelProvider;
import org.xent.internal.vector.VectorLossKernels;

/**
 * Runs in every vector test JVM (default and the forced 256- and 128-bit runs; see tests/pom.xml): the kernels
 * must use exactly the width the run asked for with {@code -Dxent.vectorBits}, or the machine's widest when it
 * is not set, so that a width run can never silently test another width.
 */
class VectorWidthTest {

    @Test
    void kernelsUseTheRequestedWidth() {
        String requested = System.getProperty("xent.vectorBits");
        int expected = requested == null || requested.isBlank()
                ? VectorShape.preferredShape().vectorBitSize()
                : Integer.parseInt(requested.trim());
        assertEquals(expected, VectorLossKernels.bits(),
                "xent.vectorBits=" + requested + " but the kernels use " + VectorLossKernels.bits() + " bits");
        assertTrue(KernelProvider.kernels().isVector(), "the width runs must use the vector kernels");
        assertTrue(KernelProvider.kernels().description().contains(expected + "-bit"),
                KernelProvider.kernels().description());
    }
}
