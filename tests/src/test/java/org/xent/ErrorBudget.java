package org.xent;

import static org.junit.jupiter.api.Assertions.fail;

import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * Compares results with a float64 reference under a measured error budget: each comparison gives an error unit
 * (e.g. float32 epsilon times the sum of the magnitudes of the terms that make the value) and a budget k; the
 * test fails when {@code |actual - expected| > k * unit}. NaN must match NaN and infinities must be equal.
 * The worst observed {@code |error| / unit} per category is kept and printed, so the budgets can be read off
 * as measured numbers rather than guessed.
 */
final class ErrorBudget {

    static final double EPS32 = Math.ulp(1.0f);
    static final double EPS64 = Math.ulp(1.0);

    /**
     * Unit for a float32 output of magnitude {@code magnitude}: eps times it, plus the spacing of subnormal
     * floats (a result below 2^-126 cannot keep a relative precision).
     */
    static double unit32(double magnitude) {
        return EPS32 * magnitude + Float.MIN_VALUE;
    }

    private final String title;
    private final Map<String, double[]> worst = new TreeMap<>();

    ErrorBudget(String title) {
        this.title = title;
    }

    /** Checks one value; {@code unit} must be > 0 unless expected is exactly representable (then it must be exact). */
    void check(String category, String where, double actual, double expected, double unit, double k) {
        if (Double.isNaN(expected)) {
            if (!Double.isNaN(actual)) {
                fail(where + ": expected NaN, got " + actual);
            }
            return;
        }
        if (Double.isInfinite(expected)) {
            if (actual != expected) {
                fail(where + ": expected " + expected + ", got " + actual);
            }
            return;
        }
        double err = Math.abs(actual - expected);
        if (Double.isNaN(actual) || err > k * unit) {
            fail(where + " [" + category + "]: expected " + expected + ", got " + actual + ", |error| " + err
                    + " > " + k + " * unit " + unit);
        }
        double ratio = unit > 0 ? err / unit : 0;
        double[] w = worst.computeIfAbsent(category, c -> new double[] {0, k});
        w[0] = Math.max(w[0], ratio);
    }

    void print() {
        StringBuilder b = new StringBuilder(String.format(Locale.ROOT, "%n%s: worst |error| / unit (budget)%n", title));
        for (Map.Entry<String, double[]> e : worst.entrySet()) {
            b.append(String.format(Locale.ROOT, "  %-34s %8.3f  (%s)%n", e.getKey(), e.getValue()[0], e.getValue()[1]));
        }
        System.out.print(b);
    }

    /** Every C from 1 to 70, then 100, 1000, 1023, 4097. */
    static int[] classCounts() {
        int[] cs = new int[74];
        for (int c = 1; c <= 70; c++) {
            cs[c - 1] = c;
        }
        cs[70] = 100;
        cs[71] = 1000;
        cs[72] = 1023;
        cs[73] = 4097;
        return cs;
    }

    /** A few row counts for a class count, fewer rows for wide rows to keep the suite quick. */
    static int[] rowCounts(int classes) {
        return classes >= 1000 ? new int[] {1, 3} : new int[] {1, 2, 5};
    }

    static float[] padded(float[] values, int offset, java.util.Random rnd) {
        float[] out = new float[offset + values.length + rnd.nextInt(3)];
        java.util.Arrays.fill(out, Float.NaN);
        System.arraycopy(values, 0, out, offset, values.length);
        return out;
    }

    static double[] padded(double[] values, int offset, java.util.Random rnd) {
        double[] out = new double[offset + values.length + rnd.nextInt(3)];
        java.util.Arrays.fill(out, Double.NaN);
        System.arraycopy(values, 0, out, offset, values.length);
        return out;
    }

    static double[] toDoubles(float[] v) {
        double[] d = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            d[i] = v[i];
        }
        return d;
    }

    /** Compensated (Neumaier) summation, so that a reference sum is accurate to about one rounding. */
    static final class Sum {
        private double sum;
        private double compensation;

        /** Adds v and returns the running total. */
        double add(double v) {
            double t = sum + v;
            if (Math.abs(sum) >= Math.abs(v)) {
                compensation += (sum - t) + v;
            } else {
                compensation += (v - t) + sum;
            }
            sum = t;
            return sum + compensation;
        }
    }
}
