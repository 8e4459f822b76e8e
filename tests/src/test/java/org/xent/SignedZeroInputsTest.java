package org.xent;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Random;
import org.junit.jupiter.api.Test;

/**
 * A probability of -0 is a valid probability equal to +0: binary cross-entropy and probability cross-entropy
 * inputs, and KL divergence targets, give the same loss, unreduced losses and gradient (compared as numbers) with -0
 * as with +0, in float32 and float64, at row lengths around the vector widths. The kernels' fast paths read the bit
 * patterns of these values (range tests, logs without special-value handling), where -0 is not +0.
 */
class SignedZeroInputsTest {

    private static final int[] COLUMNS = {1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 100};
    private static final int ROWS = 3;

    private interface Case {
        /** The loss under test and whether the zeros go into the target (KL) rather than the input. */
        SameShapeLoss loss();

        boolean zerosInTarget();
    }

    private static Case of(SameShapeLoss loss, boolean zerosInTarget) {
        return new Case() {
            public SameShapeLoss loss() {
                return loss;
            }

            public boolean zerosInTarget() {
                return zerosInTarget;
            }
        };
    }

    private static final Case[] CASES = {
            of(BinaryCrossEntropy.builder().reduction(Reduction.SUM).build(), false),
            of(ProbabilityCrossEntropy.builder().reduction(Reduction.SUM).build(), false),
            of(KLDivergence.builder().reduction(Reduction.SUM).build(), true),
    };

    @Test
    void negativeZeroActsAsPositiveZeroInFloat64() {
        for (Case k : CASES) {
            for (int columns : COLUMNS) {
                int n = ROWS * columns;
                Random rnd = new Random(31L * columns);
                double[] input = new double[n];
                double[] target = new double[n];
                for (int i = 0; i < n; i++) {
                    input[i] = k.zerosInTarget() ? rnd.nextGaussian() : 0.05 + 0.9 * rnd.nextDouble();
                    target[i] = 0.05 + 0.9 * rnd.nextDouble();
                }
                double[] zeros = k.zerosInTarget() ? target : input;
                for (int i = 0; i < n; i += 3) {
                    zeros[i] = 0.0;
                }
                double[] lossPlus = new double[n], gradPlus = new double[n];
                double plus = k.loss().forwardBackward(input, 0, target, 0, ROWS, columns, lossPlus, 0, gradPlus, 0);
                double plusForward = k.loss().forward(input, target, ROWS, columns);
                for (int i = 0; i < n; i += 3) {
                    zeros[i] = -0.0;
                }
                double[] lossMinus = new double[n], gradMinus = new double[n];
                double minus = k.loss().forwardBackward(input, 0, target, 0, ROWS, columns, lossMinus, 0, gradMinus, 0);
                double minusForward = k.loss().forward(input, target, ROWS, columns);
                String what = k.loss().getClass().getSimpleName() + " float64, C=" + columns;
                assertSame(plus, minus, what + ": loss");
                assertSame(plusForward, minusForward, what + ": forward-only loss");
                for (int i = 0; i < n; i++) {
                    assertSame(lossPlus[i], lossMinus[i], what + ": unreduced " + i);
                    assertSame(gradPlus[i], gradMinus[i], what + ": gradient " + i);
                }
            }
        }
    }

    @Test
    void negativeZeroActsAsPositiveZeroInFloat32() {
        for (Case k : CASES) {
            for (int columns : COLUMNS) {
                int n = ROWS * columns;
                Random rnd = new Random(37L * columns);
                float[] input = new float[n];
                float[] target = new float[n];
                for (int i = 0; i < n; i++) {
                    input[i] = k.zerosInTarget() ? (float) rnd.nextGaussian() : 0.05f + 0.9f * rnd.nextFloat();
                    target[i] = 0.05f + 0.9f * rnd.nextFloat();
                }
                float[] zeros = k.zerosInTarget() ? target : input;
                for (int i = 0; i < n; i += 3) {
                    zeros[i] = 0f;
                }
                float[] lossPlus = new float[n], gradPlus = new float[n];
                float plus = k.loss().forwardBackward(input, 0, target, 0, ROWS, columns, lossPlus, 0, gradPlus, 0);
                for (int i = 0; i < n; i += 3) {
                    zeros[i] = -0f;
                }
                float[] lossMinus = new float[n], gradMinus = new float[n];
                float minus = k.loss().forwardBackward(input, 0, target, 0, ROWS, columns, lossMinus, 0, gradMinus, 0);
                String what = k.loss().getClass().getSimpleName() + " float32, C=" + columns;
                assertSame(plus, minus, what + ": loss");
                for (int i = 0; i < n; i++) {
                    assertSame(lossPlus[i], lossMinus[i], what + ": unreduced " + i);
                    assertSame(gradPlus[i], gradMinus[i], what + ": gradient " + i);
                }
            }
        }
    }

    /** Equal as numbers (+0 == -0), or both NaN. */
    private static void assertSame(double expected, double actual, String what) {
        assertTrue(expected == actual || (Double.isNaN(expected) && Double.isNaN(actual)),
                what + ": " + expected + " with +0, " + actual + " with -0");
    }
}
