package org.xent.bench.jmh;

import java.util.SplittableRandom;

/**
 * How benchmark inputs are drawn and how many copies are rotated.
 *
 * <p>Logits are N(0, 3^2), roughly what a trained classifier's last layer emits. Soft targets are a
 * Dirichlet(1, ..., 1) draw per row (independent standard exponentials, normalised), never exactly zero, so no
 * kernel gets a shortcut from masked terms.
 *
 * <p>A single 1024x1000 float set is 8 MB and would stay in L3 between calls, flattering every kernel. Each
 * benchmark therefore cycles through enough independent sets that one lap touches at least
 * {@link #FOOTPRINT_BYTES} (twice the 32 MB L3 of the reference machine class); a set that is already that big
 * is used alone.
 */
public final class InputSets {

    /** Bytes of logits + targets one lap over the sets touches, at least. */
    public static final long FOOTPRINT_BYTES = 64L << 20;
    /** Upper bound on the number of sets, so that tiny shapes do not allocate thousands of arrays. */
    public static final int MAX_SETS = 16;
    /** Fixed seed: every run and every fork sees the same data. */
    public static final long SEED = 0x5eed_c0ffeeL;

    private InputSets() {}

    /** Number of sets to rotate for a shape whose logits + targets take {@code bytesPerSet}. */
    public static int count(long bytesPerSet) {
        long n = (FOOTPRINT_BYTES + bytesPerSet - 1) / bytesPerSet;
        return (int) Math.max(1, Math.min(MAX_SETS, n));
    }

    /** Fills {@code out} with N(0, 3^2) logits. */
    public static void logits(SplittableRandom random, double[] out) {
        for (int i = 0; i < out.length; i++) {
            out[i] = 3.0 * random.nextGaussian();
        }
    }

    /** Fills {@code out} with one Dirichlet(1) probability row per {@code classes} entries, all > 0. */
    public static void softTargets(SplittableRandom random, double[] out, int classes) {
        for (int row = 0; row < out.length; row += classes) {
            double sum = 0;
            for (int c = 0; c < classes; c++) {
                // the floor keeps every target above zero
                double e = Math.max(random.nextExponential(), 1e-12);
                out[row + c] = e;
                sum += e;
            }
            for (int c = 0; c < classes; c++) {
                out[row + c] /= sum;
            }
        }
    }

    /** Converts to float, replacing any value that underflows to 0 by the smallest normal float. */
    public static float[] toFloat(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < values.length; i++) {
            float f = (float) values[i];
            out[i] = f == 0f && values[i] != 0 ? Float.MIN_NORMAL : f;
        }
        return out;
    }
}
