package org.xent;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import org.junit.jupiter.api.function.Executable;

/** Asserts that a call is rejected with an IllegalArgumentException and leaves the given output buffers as they were. */
final class Untouched {
    private Untouched() {}

    static final float SENTINEL32 = -12345.5f;
    static final double SENTINEL64 = -12345.5;

    static float[] poisoned32(int n) {
        float[] a = new float[n];
        java.util.Arrays.fill(a, SENTINEL32);
        return a;
    }

    static double[] poisoned64(int n) {
        double[] a = new double[n];
        java.util.Arrays.fill(a, SENTINEL64);
        return a;
    }

    /** Runs {@code call}, expects an IllegalArgumentException, checks every buffer is unchanged; returns the message. */
    static String rejects(Executable call, float[] out1, float[] out2) {
        float[] c1 = out1 == null ? null : out1.clone();
        float[] c2 = out2 == null ? null : out2.clone();
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        if (out1 != null) {
            assertArrayEquals(c1, out1, "buffer written before the argument check failed: " + message);
        }
        if (out2 != null) {
            assertArrayEquals(c2, out2, "buffer written before the argument check failed: " + message);
        }
        return message;
    }

    static String rejects(Executable call, double[] out1, double[] out2) {
        double[] c1 = out1 == null ? null : out1.clone();
        double[] c2 = out2 == null ? null : out2.clone();
        String message = assertThrows(IllegalArgumentException.class, call).getMessage();
        if (out1 != null) {
            assertArrayEquals(c1, out1, "buffer written before the argument check failed: " + message);
        }
        if (out2 != null) {
            assertArrayEquals(c2, out2, "buffer written before the argument check failed: " + message);
        }
        return message;
    }
}
