package org.xent.golden;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Our error on each golden output next to PyTorch's: its float32 error, and for the half-precision set also its
 * error computing in the half dtype (bfloat16, or float16 where PyTorch can). The float32 set's test classes print
 * their function's table when they finish ({@link #print(String)}); the half set's test prints its table and
 * writes it to a report file ({@link #report}). An output recorded more than once (the half set runs each case
 * from several storages) keeps its largest error.
 */
public final class AccuracyLog {
    private AccuracyLog() {}

    /** The float32 / float64 golden set. */
    static final String FLOAT_SET = "golden";

    private record Key(String set, String id, String output) {}

    private record Row(String set, String function, String id, String output, double ours, double magnitude,
                       double torch, double torchHalf, boolean limit) {}

    private static final Map<Key, Row> ROWS = new LinkedHashMap<>();

    static synchronized void record(String set, String function, String id, String output, double ours,
                                    double magnitude, double torch, double torchHalf, boolean limit) {
        Key key = new Key(set, id, output);
        Row old = ROWS.get(key);
        if (old == null || !(ours <= old.ours)) {
            ROWS.put(key, new Row(set, function, id, output, ours, magnitude, torch, torchHalf, limit));
        }
    }

    /** Prints the rows recorded for {@code function} of the float32 set and returns how many there were. */
    public static synchronized int print(String function) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "%nAccuracy on golden cases of %s: max |error| vs the float64 expectation%n",
                function));
        b.append(String.format(Locale.ROOT, "%-44s %-14s %12s %12s %12s %8s%n", "case", "output", "|expected|",
                "xent", "pytorch f32", "ratio"));
        int n = 0;
        for (Row r : rows(FLOAT_SET)) {
            if (!r.function.equals(function)) {
                continue;
            }
            n++;
            b.append(String.format(Locale.ROOT, "%-44s %-14s %12s %12s %12s %8s%n", r.id, r.output, fmt(r.magnitude),
                    fmt(r.ours), torch(r, r.torch), ratio(r, r.torch)));
        }
        System.out.print(b);
        return n;
    }

    /**
     * Prints every row of {@code set} with both PyTorch anchors, followed by the worst ratios to PyTorch's half
     * error, writes the same text to {@code file}, and returns the number of rows. Gradients written in the half
     * dtype are in ulps of that dtype (output {@code grad_<r>_half[ulp]}), everything else is a max |error|.
     */
    public static synchronized int report(String set, Path file) {
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.ROOT, "Accuracy on the %s golden cases: max |error| vs the float64 expectation"
                + " (gradients in the half dtype: max ulps)%n", set));
        String format = "%-52s %-22s %10s %10s %12s %12s %9s%n";
        b.append(String.format(Locale.ROOT, format, "case", "output", "|expected|", "xent", "pytorch f32",
                "pytorch half", "/ half"));
        List<Row> rows = rows(set);
        Row worstHalf = null;
        int withHalf = 0;
        int beatHalf = 0;
        for (Row r : rows) {
            b.append(String.format(Locale.ROOT, format, r.id, r.output, fmt(r.magnitude), fmt(r.ours),
                    torch(r, r.torch), torch(r, r.torchHalf), ratio(r, r.torchHalf)));
            if (!r.limit && !Double.isNaN(r.torchHalf)) {
                withHalf++;
                if (r.ours <= r.torchHalf) {
                    beatHalf++;
                }
                if (r.torchHalf > 0 && (worstHalf == null || r.ours / r.torchHalf > worstHalf.ours / worstHalf.torchHalf)) {
                    worstHalf = r;
                }
            }
        }
        b.append(String.format(Locale.ROOT, "%d outputs; %d with a PyTorch half-precision anchor, of which xent's error"
                + " is at most PyTorch's on %d%n", rows.size(), withHalf, beatHalf));
        if (worstHalf != null) {
            b.append(String.format(Locale.ROOT, "largest ratio to PyTorch's half error: %s %s (%s vs %s)%n",
                    worstHalf.id, worstHalf.output, fmt(worstHalf.ours), fmt(worstHalf.torchHalf)));
        }
        System.out.print(b);
        try {
            Files.createDirectories(file.toAbsolutePath().getParent());
            Files.writeString(file, b);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the accuracy report " + file, e);
        }
        return rows.size();
    }

    private static List<Row> rows(String set) {
        List<Row> out = new ArrayList<>();
        for (Row r : ROWS.values()) {
            if (r.set.equals(set)) {
                out.add(r);
            }
        }
        return out;
    }

    private static String torch(Row r, double torch) {
        return r.limit ? "(limit)" : Double.isNaN(torch) ? "-" : fmt(torch);
    }

    private static String ratio(Row r, double torch) {
        return r.limit || Double.isNaN(torch) ? "-"
                : torch == 0 ? (r.ours == 0 ? "=" : "floor") : String.format(Locale.ROOT, "%.2f", r.ours / torch);
    }

    private static String fmt(double v) {
        return String.format(Locale.ROOT, "%.3e", v);
    }
}
