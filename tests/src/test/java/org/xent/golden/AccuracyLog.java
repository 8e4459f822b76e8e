package org.xent.golden;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Our float32/float64 error on each golden output next to PyTorch's float32 error, printed as a table by each
 * golden test class when it finishes ({@link #print(String)}).
 */
public final class AccuracyLog {
    private AccuracyLog() {}

    private record Row(String function, String id, String output, double ours, double magnitude, double torch,
                       boolean limit) {}

    private static final List<Row> ROWS = new ArrayList<>();

    static synchronized void record(String function, String id, String output, double ours, double magnitude,
                                    double torch, boolean limit) {
        ROWS.add(new Row(function, id, output, ours, magnitude, torch, limit));
    }

    /** Prints the rows recorded for {@code function} and returns how many there were. */
    public static synchronized int print(String function) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nAccuracy on golden cases of %s: max |error| vs the float64 expectation%n",
                function));
        b.append(String.format(Locale.ROOT, "%-44s %-14s %12s %12s %12s %8s%n", "case", "output", "|expected|",
                "xent", "pytorch f32", "ratio"));
        int n = 0;
        for (Row r : ROWS) {
            if (!r.function.equals(function)) {
                continue;
            }
            n++;
            String torch = r.limit ? "(limit)" : Double.isNaN(r.torch) ? "-" : fmt(r.torch);
            String ratio = r.limit || Double.isNaN(r.torch) ? "-"
                    : r.torch == 0 ? (r.ours == 0 ? "=" : "floor") : String.format(Locale.ROOT, "%.2f", r.ours / r.torch);
            b.append(String.format(Locale.ROOT, "%-44s %-14s %12s %12s %12s %8s%n", r.id, r.output, fmt(r.magnitude),
                    fmt(r.ours), torch, ratio));
        }
        System.out.print(b);
        return n;
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
