package org.xent;

import java.util.Map;
import java.util.TreeMap;

/**
 * Largest errors a test class observed, by label, printed at the end of the class so that a run shows how far
 * below its bounds each kernel is (the numbers the tolerances were set from). Not thread-safe: tests in this
 * module run sequentially.
 */
final class ErrorStats {
    private final String title;
    private final Map<String, double[]> max = new TreeMap<>();

    ErrorStats(String title) {
        this.title = title;
    }

    /** Records {@code value} under {@code label} if it is the largest so far (NaN is ignored). */
    void record(String label, double value) {
        double[] slot = max.computeIfAbsent(label, k -> new double[] {0});
        if (value > slot[0]) {
            slot[0] = value;
        }
    }

    void print() {
        StringBuilder sb = new StringBuilder(title).append(" (largest observed):\n");
        for (Map.Entry<String, double[]> e : max.entrySet()) {
            sb.append(String.format("  %-58s %.3e%n", e.getKey(), e.getValue()[0]));
        }
        System.out.print(sb);
    }
}
