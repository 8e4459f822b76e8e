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
import org.xent.bench.machine.MachineClass;
import org.xent.bench.results.BenchmarkId;
import org.xent.bench.results.JmhResult;
import org.xent.bench.results.JmhResults;
import org.xent.bench.results.JmhResults.BadResultsException;
import org.xent.bench.results.ResultsFile;

/**
 * The performance regression gate: {@code gate [BASELINE.json] CURRENT.json [--threshold PERCENT]
 * [--baseline-dir DIR]}.
 *
 * <p>A baseline applies to runs of its own machine class only (ISA class and vector width, as {@code bench}
 * records them in each results file; see {@link MachineClass}): AVX2 code on an AVX-512 machine is another
 * program than AVX-512 code. Without a BASELINE argument the gate takes the baseline of CURRENT's class from the
 * baseline folder ({@code bench/baseline/}, one file per class); a baseline of another class, or a file without
 * a class record, is refused.
 *
 * <p>Absolute speeds differ between machines and between a quiet and a busy hour, so each kernel's throughput
 * is first divided by the roofline measured in the same file for the same shape and precision (dot for forward,
 * stream for forward + gradient; see {@link BenchmarkId#roofline()}; a threaded kernel by the roofline at its own
 * thread count). A kernel regresses when that ratio dropped
 * by more than the threshold (default 10 %) <em>and</em> the two confidence intervals do not overlap. The
 * intervals are JMH's 99.9 % score errors, propagated through the division (relative errors added in
 * quadrature). Benchmarks whose names follow no known pattern are compared unnormalised. Benchmarks only the
 * current file has (a new kernel, shape or parameter) are listed as new and pass; a baseline benchmark missing
 * from the current file is unusable input.
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
        REGRESSION("REGRESSION"), NOISE("noise (CIs overlap)"), FASTER("faster"), SAME("same"), NEW("new"),
        REFERENCE("reference");

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

    /**
     * Runs the gate on {@code args}; {@code baselineDir} is where the one-file form looks for the baseline of
     * the current file's class unless {@code --baseline-dir} names another folder.
     */
    public static int run(String[] args, Path baselineDir, PrintStream out, PrintStream err) {
        GateOptions options;
        try {
            options = GateOptions.parse(args, baselineDir);
        } catch (GateOptions.UsageException e) {
            err.println("gate: " + e.getMessage());
            return BAD_INPUT;
        }
        double threshold = options.thresholdPct();
        ResultsFile base;
        ResultsFile cur;
        try {
            cur = JmhResults.readFile(Path.of(options.current()));
            if (cur.machine() == null) {
                throw new BadResultsException(noClass(cur));
            }
            base = options.baseline() != null ? JmhResults.readFile(Path.of(options.baseline()))
                    : Baselines.pick(options.baselineDir(), cur.machine());
            sameClass(base, cur);
        } catch (BadResultsException e) {
            err.println("gate: " + e.getMessage());
            return BAD_INPUT;
        }
        List<String> problems = new ArrayList<>();
        List<Row> rows = compare(index(base.results(), base.name(), problems), index(cur.results(), cur.name(), problems),
                base.name(), cur.name(), threshold / 100, problems);
        if (!problems.isEmpty()) {
            for (String p : problems) {
                err.println("gate: " + p);
            }
            return BAD_INPUT;
        }
        out.println("Machine class " + cur.machine().id() + ": baseline " + base.name() + " (" + origin(base.machine())
                + "), current " + cur.name() + " (" + origin(cur.machine()) + ").");
        print(rows, threshold, out);
        long regressions = rows.stream().filter(r -> r.verdict == Verdict.REGRESSION).count();
        long added = rows.stream().filter(r -> r.verdict == Verdict.NEW).count();
        out.printf(Locale.ROOT, "%n%d benchmark(s) compared, %d new, %d regression(s) (threshold %.3g %%, normalised"
                + " by the roofline of the same run).%n", rows.size() - added, added, regressions, threshold);
        return regressions > 0 ? REGRESSION : OK;
    }

    /** Refuses a pair of files whose machine classes differ or are not recorded. */
    private static void sameClass(ResultsFile base, ResultsFile cur) throws BadResultsException {
        if (base.machine() == null) {
            throw new BadResultsException(noClass(base));
        }
        if (!base.machine().id().equals(cur.machine().id())) {
            throw new BadResultsException("baseline " + base.name() + " is of class " + base.machine().id()
                    + " but " + cur.name() + " of class " + cur.machine().id() + ": a baseline only applies to runs"
                    + " of its own machine class (ISA class and vector width); compare with the baseline of class "
                    + cur.machine().id() + " (gate CURRENT.json picks it from bench/baseline/)");
        }
    }

    private static String noClass(ResultsFile f) {
        return f.name() + " has no machine class record (it was written before results recorded one): measure"
                + " again with ./xent bench, or if you know where it was measured add the class with"
                + " ./xent label " + f.name() + " CLASS (e.g. avx512-512, avx2-256, 128-128)";
    }

    private static String origin(MachineClass m) {
        return m.how() + ", " + m.cpu();
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
        for (Map.Entry<String, JmhResult> e : base.entrySet()) {
            if (!cur.containsKey(e.getKey()) && !isPyTorch(e.getValue())) {
                problems.add(e.getKey() + " is in " + baseFile + " but missing from " + curFile);
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
            String name = shortName(b);
            if (isPyTorch(b)) {
                // PyTorch is a reference, not xent's code: listed when both runs have it, never a regression
                if (c != null) {
                    rows.add(new Row(name, b.shape(), b.rate(), b.rateError(), c.rate(), c.rateError(), false,
                            Verdict.REFERENCE));
                }
                continue;
            }
            if (id == null || id.isRoofline()) {
                rows.add(new Row(name, b.shape(), b.rate(), b.rateError(), c.rate(), c.rateError(), false,
                        id == null ? verdict(b.rate(), b.rateError(), c.rate(), c.rateError(), threshold)
                                : Verdict.REFERENCE));
                continue;
            }
            String roofKey = rooflineKey(id.roofline(), b);
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
        for (Map.Entry<String, JmhResult> e : cur.entrySet()) {
            if (!base.containsKey(e.getKey())) {
                rows.add(added(e.getValue(), curRoof));
            }
        }
        rows.sort(Comparator.comparing((Row r) -> r.verdict).thenComparingDouble(Row::change));
        return rows;
    }

    /** PyTorch's own kernels (the {@code --pytorch} comparison): a baseline with them does not require them. */
    private static boolean isPyTorch(JmhResult r) {
        BenchmarkId id = r.id();
        return id != null && id.implementation().equals("torch");
    }

    /** A benchmark only the current file has: its score, normalised when its roofline is in the same file. */
    private static Row added(JmhResult c, Map<String, JmhResult> curRoof) {
        BenchmarkId id = c.id();
        JmhResult roof = id == null || id.isRoofline() ? null : curRoof.get(rooflineKey(id.roofline(), c));
        String name = shortName(c);
        if (roof == null) {
            return new Row(name, c.shape(), Double.NaN, Double.NaN, c.rate(), c.rateError(), false, Verdict.NEW);
        }
        double n = c.rate() / roof.rate();
        return new Row(name, c.shape(), Double.NaN, Double.NaN, n, n * Math.hypot(c.relativeError(),
                roof.relativeError()), true, Verdict.NEW);
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
                map.put(rooflineKey(id, r), r);
            }
        }
        return map;
    }

    /**
     * The roofline {@code roofline} at the shape of {@code r}, and at its thread count when it has one (a
     * {@code Parallel<Loss>} kernel is normalised by the roofline split over the same threads).
     */
    private static String rooflineKey(BenchmarkId roofline, JmhResult r) {
        String threads = r.params().get("threads");
        return roofline.loss() + "Bench." + roofline.implementation() + roofline.bits() + " shape=" + r.shape()
                + (threads == null ? "" : " threads=" + threads);
    }

    /** {@code Class.method}, with the thread count of a threaded benchmark (its rows differ by nothing else). */
    private static String shortName(JmhResult r) {
        String benchmark = r.benchmark();
        int method = benchmark.lastIndexOf('.');
        int cls = benchmark.lastIndexOf('.', method - 1);
        String threads = r.params().get("threads");
        return benchmark.substring(cls + 1) + (threads == null ? "" : " threads=" + threads);
    }

    private static void print(List<Row> rows, double threshold, PrintStream out) {
        out.println("Scores are throughput / roofline of the same run (\"reference\" rows, and new rows without a"
                + " roofline: raw ops/s).");
        out.println();
        out.println("| benchmark | shape | baseline | current | change | verdict |");
        out.println("|---|---|---:|---:|---:|---|");
        for (Row r : rows) {
            boolean added = r.verdict == Verdict.NEW;
            out.printf(Locale.ROOT, "| %s | %s | %s | %s | %s | %s |%n", r.name, r.shape,
                    added ? "-" : format(r.base, r.baseErr, r.normalised), format(r.cur, r.curErr, r.normalised),
                    added ? "" : String.format(Locale.ROOT, "%+.1f %%", 100 * r.change()), r.verdict.text);
        }
    }

    private static String format(double value, double err, boolean normalised) {
        return normalised ? String.format(Locale.ROOT, "%.3f ± %.3f", value, err)
                : String.format(Locale.ROOT, "%.4g ± %.2g", value, err);
    }
}
