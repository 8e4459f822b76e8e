package org.xent.bench.gate;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.xent.bench.results.BenchmarkId;
import org.xent.bench.results.JmhResult;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.JmhResults.BadResultsException;

/**
 * The performance regression gate: {@code gate BASELINE.json CURRENT.json [--threshold PERCENT]}.
 *
 * <p>Absolute speeds differ between machines and between a quiet and a busy hour, so each kernel's throughput
 * is first divided by the roofline measured in the same file for the same shape and precision (dot for forward,
 * stream for forward + gradient; see {@link BenchmarkId#roofline()}). A kernel regresses when that ratio dropped
 * by more than the threshold (default 10 %) <em>and</em> the two confidence intervals do not overlap. The
 * intervals are JMH's 99.9 % score errors, propagated through the division (relative errors added in
 * quadrature). Benchmarks whose names follow no known pattern are compared unnormalised.
 *
 * <p>Exit status: 0 no regression, 1 at least one regression, 2 unusable input (each problem on one stderr line).
 */
public final class Gate {

    public static final double DEFAULT_THRESHOLD_PERCENT = 10;

    public static final int OK = 0;
    public static final int REGRESSION = 1;
    public static final int BAD_INPUT = 2;

    private Gate() {}

    /** Verdicts, in the order the table lists them. */
    enum Verdict {
        REGRESSION("REGRESSION"), NOISE("noise (CIs overlap)"), FASTER("faster"), SAME("same"), REFERENCE("reference");

        final String text;

        Verdict(String text) {
            this.text = text;
        }
    }

    record Row(String name, String shape, double base, double baseErr, double cur, double curErr,
               boolean normalised, Verdict verdict) {
        double change() {
            return cur / base - 1;
        }
    }

    public static int run(String[] args, PrintStream out, PrintStream err) {
        List<String> files = new ArrayList<>();
        double threshold = DEFAULT_THRESHOLD_PERCENT;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--threshold") || a.startsWith("--threshold=")) {
                String v;
                if (a.startsWith("--threshold=")) {
                    v = a.substring("--threshold=".length());
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    err.println("gate: --threshold needs a value (percent, e.g. 10)");
                    return BAD_INPUT;
                }
                try {
                    threshold = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
                } catch (NumberFormatException e) {
                    threshold = Double.NaN;
                }
                if (!(threshold >= 0 && threshold < 100)) {
                    err.println("gate: --threshold must be a percentage in [0, 100), got '" + v + "'");
                    return BAD_INPUT;
                }
            } else if (a.startsWith("-")) {
                err.println("gate: unknown option " + a);
                return BAD_INPUT;
            } else {
                files.add(a);
            }
        }
        if (files.size() != 2) {
            err.println("gate: usage: gate BASELINE.json CURRENT.json [--threshold PERCENT]");
            return BAD_INPUT;
        }
        List<JmhResult> base;
        List<JmhResult> cur;
        try {
            base = JmhResults.read(Path.of(files.get(0)));
            cur = JmhResults.read(Path.of(files.get(1)));
        } catch (BadResultsException e) {
            err.println("gate: " + e.getMessage());
            return BAD_INPUT;
        }
        List<String> problems = new ArrayList<>();
        List<Row> rows = compare(index(base, files.get(0), problems), index(cur, files.get(1), problems),
                files.get(0), files.get(1), threshold / 100, problems);
        if (!problems.isEmpty()) {
            for (String p : problems) {
                err.println("gate: " + p);
            }
            return BAD_INPUT;
        }
        print(rows, threshold, out);
        long regressions = rows.stream().filter(r -> r.verdict == Verdict.REGRESSION).count();
        out.printf(Locale.ROOT, "%n%d benchmark(s) compared, %d regression(s) (threshold %.3g %%, normalised by the"
                + " roofline of the same run).%n", rows.size(), regressions, threshold);
        return regressions > 0 ? REGRESSION : OK;
    }

    private static Map<String, JmhResult> index(List<JmhResult> results, String file, List<String> problems) {
        Map<String, JmhResult> map = new LinkedHashMap<>();
        for (JmhResult r : results) {
            if (map.put(r.key(), r) != null) {
                problems.add(file + ": " + r.key() + " appears twice");
            }
        }
        return map;
    }

    static List<Row> compare(Map<String, JmhResult> base, Map<String, JmhResult> cur, String baseFile,
                             String curFile, double threshold, List<String> problems) {
        for (String k : base.keySet()) {
            if (!cur.containsKey(k)) {
                problems.add(k + " is in " + baseFile + " but missing from " + curFile);
            }
        }
        for (String k : cur.keySet()) {
            if (!base.containsKey(k)) {
                problems.add(k + " is in " + curFile + " but missing from " + baseFile);
            }
        }
        if (!problems.isEmpty()) {
            return List.of();
        }
        Map<String, JmhResult> baseRoof = rooflines(base);
        Map<String, JmhResult> curRoof = rooflines(cur);
        List<Row> rows = new ArrayList<>();
        for (Map.Entry<String, JmhResult> e : base.entrySet()) {
            JmhResult b = e.getValue();
            JmhResult c = cur.get(e.getKey());
            BenchmarkId id = b.id();
            String name = shortName(b.benchmark());
            if (id == null || id.isRoofline()) {
                rows.add(new Row(name, b.shape(), b.rate(), b.rateError(), c.rate(), c.rateError(), false,
                        id == null ? verdict(b.rate(), b.rateError(), c.rate(), c.rateError(), threshold)
                                : Verdict.REFERENCE));
                continue;
            }
            String roofKey = rooflineKey(id.roofline(), b.shape());
            JmhResult br = baseRoof.get(roofKey);
            JmhResult cr = curRoof.get(roofKey);
            if (br == null || cr == null) {
                problems.add("no roofline " + roofKey + " in " + (br == null ? baseFile : curFile)
                        + " to normalise " + name + " (run the RooflineBench benchmarks in the same suite)");
                continue;
            }
            double nb = b.rate() / br.rate();
            double nc = c.rate() / cr.rate();
            double eb = nb * Math.hypot(b.relativeError(), br.relativeError());
            double ec = nc * Math.hypot(c.relativeError(), cr.relativeError());
            rows.add(new Row(name, b.shape(), nb, eb, nc, ec, true, verdict(nb, eb, nc, ec, threshold)));
        }
        rows.sort(Comparator.comparing((Row r) -> r.verdict).thenComparingDouble(Row::change));
        return rows;
    }

    static Verdict verdict(double base, double baseErr, double cur, double curErr, double threshold) {
        double change = cur / base - 1;
        boolean separated = cur + curErr < base - baseErr || cur - curErr > base + baseErr;
        if (Math.abs(change) <= threshold) {
            return Verdict.SAME;
        }
        if (!separated) {
            return Verdict.NOISE;
        }
        return change < 0 ? Verdict.REGRESSION : Verdict.FASTER;
    }

    private static Map<String, JmhResult> rooflines(Map<String, JmhResult> results) {
        Map<String, JmhResult> map = new HashMap<>();
        for (JmhResult r : results.values()) {
            BenchmarkId id = r.id();
            if (id != null && id.isRoofline()) {
                map.put(rooflineKey(id, r.shape()), r);
            }
        }
        return map;
    }

    private static String rooflineKey(BenchmarkId roofline, String shape) {
        return "RooflineBench." + roofline.implementation() + roofline.bits() + " shape=" + shape;
    }

    private static String shortName(String benchmark) {
        int method = benchmark.lastIndexOf('.');
        int cls = benchmark.lastIndexOf('.', method - 1);
        return benchmark.substring(cls + 1);
    }

    private static void print(List<Row> rows, double threshold, PrintStream out) {
        out.println("Scores are throughput / roofline of the same run (\"reference\" rows: raw ops/s).");
        out.println();
        out.println("| benchmark | shape | baseline | current | change | verdict |");
        out.println("|---|---|---:|---:|---:|---|");
        for (Row r : rows) {
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %+.1f %% | %s |%n", r.name, r.shape,
                    format(r.base, r.baseErr, r.normalised), format(r.cur, r.curErr, r.normalised),
                    100 * r.change(), r.verdict.text);
        }
    }

    private static String format(double value, double err, boolean normalised) {
        return normalised ? String.format(Locale.ROOT, "%.3f ± %.3f", value, err)
                : String.format(Locale.ROOT, "%.4g ± %.2g", value, err);
    }
}
