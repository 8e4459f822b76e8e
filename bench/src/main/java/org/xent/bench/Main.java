package org.xent.bench;

import java.io.PrintStream;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import org.xent.bench.gate.Gate;

/**
 * Entry point of xent-bench.jar (run through {@code ./xent bench} and {@code ./xent gate}):
 * <pre>
 *   bench [--full | --smoke | --loss NAME | --threads LIST] [--backend scalar|vector] [--isa avx512|avx2|128] [--out DIR] [--pytorch]
 *   gate [BASELINE.json] CURRENT.json [--threshold PERCENT] [--baseline-dir DIR]
 *   label FILE.json CLASS [--cpu TEXT] [--emulated FLAGS]
 * </pre>
 */
public final class Main {

    private Main() {}

    public static void main(String[] args) {
        System.exit(run(args, System.out, System.err));
    }

    static int run(String[] args, PrintStream out, PrintStream err) {
        if (args.length == 0 || args[0].equals("help") || args[0].equals("--help") || args[0].equals("-h")) {
            usage(args.length == 0 ? err : out);
            return args.length == 0 ? BenchCommand.USAGE : 0;
        }
        List<String> rest = Arrays.asList(args).subList(1, args.length);
        return switch (args[0]) {
            case "bench" -> BenchCommand.run(rest, out, err);
            case "gate" -> Gate.run(rest.toArray(new String[0]), repoRoot().resolve("bench").resolve("baseline"), out, err);
            case "label" -> LabelCommand.run(rest, out, err);
            default -> {
                err.println("xent-bench: unknown command '" + args[0] + "'");
                usage(err);
                yield BenchCommand.USAGE;
            }
        };
    }

    static void usage(PrintStream s) {
        s.println("""
                usage:
                  bench [--full | --smoke | --loss NAME | --threads LIST] [--backend scalar|vector]
                        [--isa avx512|avx2|128] [--out DIR] [--pytorch]
                      runs the JMH suite and writes results.json, report.md and report.svg to DIR
                      (default bench-results/<UTC timestamp> under the repository root).
                      default: soft-label cross-entropy float32 at 4 shapes and 1024x1000:hot, soft CE and distillation on
                      native, bfloat16 and float16 storage, ~20 minutes;
                      --full: every loss and precision, 3 forks (1-1.5 hours); --smoke: a minute, for CI;
                      --loss NAME: one loss class (e.g. Distillation) in float32 at its own shapes;
                      --threads LIST: soft-label cross-entropy through Loss.parallel at each thread count of the
                      comma-separated LIST (e.g. 1,2), with the rooflines split over as many threads (and with
                      --pytorch, PyTorch on as many intra-op threads); the report adds a scaling table;
                      --backend: force the kernel family of the library benchmarks (scalar measures the fallback);
                      --isa: generate the code of that machine class on a wider machine (avx2: -XX:UseAVX=2,
                      128: -XX:MaxVectorSize=16; avx512 only natively); exit 2 if this CPU cannot run it;
                      --pytorch: also run the DJL/PyTorch benchmarks (jar built with -Ppytorch only).
                  gate [BASELINE.json] CURRENT.json [--threshold PERCENT] [--baseline-dir DIR]
                      compares two JMH result files of the same machine class, each kernel normalised by the
                      roofline of its own run; without BASELINE, the baseline of CURRENT's class in
                      bench/baseline/ (or DIR). Exit 0 no regression (benchmarks new in CURRENT pass),
                      1 regression (drop > threshold, default 10, and disjoint confidence intervals),
                      2 unusable input (another class, a baseline benchmark missing from CURRENT, ...).
                  label FILE.json CLASS [--cpu TEXT] [--emulated FLAGS]
                      adds the machine class (e.g. avx512-512) to a results file from before classes were
                      recorded.""");
    }

    /**
     * The repository root: the {@code xent.root} property (the launcher sets it), else two levels above
     * {@code bench/target/xent-bench.jar}, else the working directory.
     */
    static Path repoRoot() {
        String root = System.getProperty("xent.root");
        if (root != null && !root.isBlank()) {
            return Path.of(root);
        }
        try {
            Path jar = Path.of(Main.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path candidate = jar.getParent() == null ? null : jar.getParent().getParent();
            if (candidate != null && candidate.getParent() != null && Files.isRegularFile(candidate.getParent().resolve("pom.xml"))) {
                return candidate.getParent();
            }
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall back to the working directory
        }
        return Path.of("").toAbsolutePath();
    }
}
