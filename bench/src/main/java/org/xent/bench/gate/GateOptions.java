package org.xent.bench.gate;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The gate's command line: {@code [BASELINE.json] CURRENT.json [--threshold PERCENT] [--baseline-dir DIR]}.
 *
 * @param baseline     the explicit baseline file, or null to pick the one of the current file's class
 * @param current      the results file to judge
 * @param thresholdPct the drop, in percent, above which a disjoint interval is a regression
 * @param baselineDir  where the baselines of each class are, for the one-file form
 */
record GateOptions(String baseline, String current, double thresholdPct, Path baselineDir) {

    /** Thrown for a bad command line; the message is one line without the {@code gate: } prefix. */
    static final class UsageException extends Exception {
        private static final long serialVersionUID = 1L;

        UsageException(String message) {
            super(message);
        }
    }

    static GateOptions parse(String[] args, Path defaultBaselineDir) throws UsageException {
        List<String> files = new ArrayList<>();
        double threshold = Gate.DEFAULT_THRESHOLD_PERCENT;
        Path dir = defaultBaselineDir;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (a.equals("--baseline-dir")) {
                if (i + 1 >= args.length) {
                    throw new UsageException("--baseline-dir needs a folder");
                }
                dir = Path.of(args[++i]);
            } else if (a.equals("--threshold") || a.startsWith("--threshold=")) {
                String v;
                if (a.startsWith("--threshold=")) {
                    v = a.substring("--threshold=".length());
                } else if (i + 1 < args.length) {
                    v = args[++i];
                } else {
                    throw new UsageException("--threshold needs a value (percent, e.g. 10)");
                }
                try {
                    threshold = Double.parseDouble(v.endsWith("%") ? v.substring(0, v.length() - 1) : v);
                } catch (NumberFormatException e) {
                    threshold = Double.NaN;
                }
                if (!(threshold >= 0 && threshold < 100)) {
                    throw new UsageException("--threshold must be a percentage in [0, 100), got '" + v + "'");
                }
            } else if (a.startsWith("-")) {
                throw new UsageException("unknown option " + a);
            } else {
                files.add(a);
            }
        }
        if (files.isEmpty() || files.size() > 2) {
            throw new UsageException("usage: gate [BASELINE.json] CURRENT.json [--threshold PERCENT] [--baseline-dir DIR]");
        }
        return new GateOptions(files.size() == 2 ? files.get(0) : null, files.get(files.size() - 1), threshold, dir);
    }
}
