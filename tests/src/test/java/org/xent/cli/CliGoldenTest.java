package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xent.golden.GoldenCase;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * The command line end to end on golden cases, in-process through {@link Main#run}: the case's files in, the
 * printed value and the {@code --loss-out} / {@code --grad-out} files checked with the golden harness; then the
 * errors (one {@code xent:} line, exit 2, no output file), and one run of the real {@code ./xent} launcher.
 */
class CliGoldenTest {

    /** Golden function -> command. */
    private static final Map<String, String> COMMANDS = Map.of(
            "cross_entropy_soft", "cross-entropy",
            "cross_entropy_hard", "cross-entropy",
            "binary_cross_entropy", "binary-cross-entropy",
            "binary_cross_entropy_with_logits", "binary-cross-entropy-with-logits",
            "kl_div", "kl-div",
            "distillation_kl", "distillation");

    /** A sample of cases: at least one per command, float32 and float64, options, NaN rows, N = 0. */
    private static final List<String> CASES = List.of(
            "015_ce_soft_64x33_w-rand_ls0.25_f32",
            "051_ce_soft_5x33_w-rand_ls0.1_f64",
            "047_ce_soft_3x5_s-nan_row_f32",
            "049_ce_soft_0x10_f32",
            "044_ce_soft_5x31_ls0.1_m-zero_target_f32",
            "055_ce_hard_5x3_w-rand_ii-100_f32",
            "060_ce_hard_16x100_w-rand_ii3_f32",
            "072_ce_hard_0x10_f32",
            "073_ce_hard_64x15_w-rand_ls0.1_ii-100_f64",
            "099_kl_div_5x7_logt_f32",
            "105_kl_div_5x15_m-zero_target_f32",
            "107_kl_div_5x33_f64",
            "075_bce_5x3_w-rand_C_f32",
            "077_bce_257x7_w-rand_NC_f32",
            "084_bce_5x33_s-extremes_f64",
            "089_bce_logits_64x31_w-rand_C_pw-rand_f32",
            "091_bce_logits_2x1023_w-rand_NC_pw-rand_f32",
            "097_bce_logits_5x33_pw-rand_x-big10000_f64",
            "109_kd_5x15_T2_tch-correlated_f32",
            "117_kd_5x65_T2_m-same_tch-correlated_f32",
            "118_kd_5x33_T2_tch-correlated_f64");

    @TempDir
    Path tmp;

    record Result(int code, String out, String err) {
        List<String> errLines() {
            return err.isEmpty() ? List.of() : List.of(err.split("\\R"));
        }
    }

    static Result run(List<String> args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        int code = Main.run(args.toArray(String[]::new), new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
        return new Result(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
    }

    static GoldenCase golden(String id) {
        for (String function : COMMANDS.keySet()) {
            for (GoldenCase c : GoldenCase.all(function)) {
                if (c.id().equals(id)) {
                    return c;
                }
            }
        }
        throw new AssertionError("no golden case " + id + " among " + COMMANDS.keySet());
    }

    /** The command line for a case: its files, and its settings as options. */
    static List<String> commandLine(GoldenCase c) {
        List<String> a = new ArrayList<>(List.of(COMMANDS.get(c.function()),
                "--input", c.dir().resolve("input.npy").toString(),
                "--target", c.dir().resolve("target.npy").toString()));
        if (c.has("weight")) {
            a.addAll(List.of("--weight", c.dir().resolve("weight.npy").toString()));
        }
        if (c.has("pos_weight")) {
            a.addAll(List.of("--pos-weight", c.dir().resolve("pos_weight.npy").toString()));
        }
        double eps = c.doubleParam("label_smoothing", 0);
        if (eps != 0) {
            a.addAll(List.of("--label-smoothing", Double.toString(eps)));
        }
        if (c.params().get("ignore_index") != null) {
            a.addAll(List.of("--ignore-index", Integer.toString((int) c.doubleParam("ignore_index", 0))));
        }
        if (c.boolParam("log_target")) {
            a.add("--log-target");
        }
        if (c.params().get("temperature") != null) {
            a.addAll(List.of("--temperature", Double.toString(c.doubleParam("temperature", 1))));
        }
        return a;
    }

    /**
     * The printed value: one line, parsed in the type the case computes in (float32, which half cases also
     * compute in, or float64), which must print back to the same text.
     */
    static double printedValue(GoldenCase c, Result r) {
        String line = r.out().strip();
        assertEquals(line + System.lineSeparator(), r.out(), "stdout must be exactly one line");
        if (c.isFloat32() || c.isHalf()) {
            float v = Float.parseFloat(line);
            assertEquals(line, Float.toString(v), "the printed float must round-trip");
            return v;
        }
        double v = Double.parseDouble(line);
        assertEquals(line, Double.toString(v), "the printed double must round-trip");
        return v;
    }

    @TestFactory
    Stream<DynamicTest> goldenCasesThroughTheCommandLine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (String id : CASES) {
            GoldenCase c = golden(id);
            @SuppressWarnings("unchecked")
            List<String> reductions = (List<String>) c.params().get("reductions");
            for (String reduction : reductions) {
                tests.add(DynamicTest.dynamicTest(id + " " + reduction, () -> check(c, reduction)));
            }
        }
        return tests.stream();
    }

    private void check(GoldenCase c, String reduction) throws IOException {
        Path loss = tmp.resolve(c.id() + "-" + reduction + "-loss.npy");
        Path grad = tmp.resolve(c.id() + "-" + reduction + "-grad.npy");
        List<String> args = commandLine(c);
        args.addAll(List.of("--reduction", reduction, "--loss-out", loss.toString(), "--grad-out", grad.toString()));
        Result r = run(args);
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        assertEquals("", r.err());
        double value = printedValue(c, r);
        // For none the printed value, and the gradient, are those of the sum.
        String reduced = reduction.equals("none") ? "sum" : reduction;
        c.checkReduced(reduced, value);

        NpyArray input = c.array("input");
        NpyArray lossArray = Npy.read(loss);
        assertEquals(input.dtype(), lossArray.dtype(), "outputs are in the input's dtype");
        c.checkNone(lossArray.toDoubles());
        NpyArray gradArray = Npy.read(grad);
        assertEquals(input.dtype(), gradArray.dtype());
        assertArrayEquals(input.shape(), gradArray.shape());
        double[] g = gradArray.toDoubles();
        if (c.hasGrad(reduced)) {
            c.checkGrad(reduced, g);
        } else {
            // kl_div stores no gradient of its element-wise mean: it is the sum's divided by N * C.
            assertEquals("kl_div mean", c.function() + " " + reduced, "which gradient is missing");
            for (int i = 0; i < g.length; i++) {
                g[i] *= (double) c.rows() * c.classes();
            }
            c.checkGrad("sum", g);
        }
    }

    @Test
    void defaultReductionIsMeanAndOutputsAreOptional() {
        GoldenCase c = golden("051_ce_soft_5x33_w-rand_ls0.1_f64");
        Result r = run(commandLine(c));
        assertEquals(0, r.code(), r.err());
        c.checkReduced("mean", printedValue(c, r));
    }

    @Test
    void aOneDimensionalInputIsOneRow() throws IOException {
        GoldenCase c = golden("015_ce_soft_64x33_w-rand_ls0.25_f32");
        int classes = c.classes();
        float[] x = java.util.Arrays.copyOf(c.array("input").toFloats(), classes);
        float[] y = java.util.Arrays.copyOf(c.array("target").toFloats(), classes);
        Path xf = tmp.resolve("x1.npy");
        Path yf = tmp.resolve("y1.npy");
        Npy.write(xf, NpyArray.of(x, classes));
        Npy.write(yf, NpyArray.of(y, classes));
        Path loss = tmp.resolve("l1.npy");
        Path grad = tmp.resolve("g1.npy");
        Result r = run(List.of("cross-entropy", "--input", xf.toString(), "--target", yf.toString(),
                "--weight", c.dir().resolve("weight.npy").toString(), "--label-smoothing", "0.25",
                "--reduction", "sum", "--loss-out", loss.toString(), "--grad-out", grad.toString()));
        assertEquals(0, r.code(), r.err());
        NpyArray l = Npy.read(loss);
        assertArrayEquals(new int[0], l.shape(), "a single row's unreduced loss is 0-d, as in PyTorch");
        double expectedRow = c.array("expected_none").toDoubles()[0];
        assertEquals(expectedRow, l.toDoubles()[0], 1e-5 * Math.abs(expectedRow));
        assertEquals(l.toFloats()[0], Float.parseFloat(r.out().strip()));
        NpyArray g = Npy.read(grad);
        assertArrayEquals(new int[] {classes}, g.shape());
        double[] expectedGrad = c.array("expected_grad_sum").toDoubles();
        double[] actualGrad = g.toDoubles();
        for (int j = 0; j < classes; j++) {
            assertEquals(expectedGrad[j], actualGrad[j], 1e-6, "grad[" + j + "]");
        }
    }

    /**
     * {@code cross-entropy-probs} has no golden cases of its own, but on log_softmax(x) (with --log-input) or
     * softmax(x) it must give the soft cross-entropy of the logits x, which the golden cases hold. Its gradient,
     * with respect to the (log-)probabilities, is checked against the closed form -w y (/ p).
     */
    @Test
    void crossEntropyProbsAgreesWithCrossEntropyOnSoftmax() throws IOException {
        GoldenCase c = golden("053_ce_soft_2x1000_w-rand_f64");
        int n = c.rows();
        int k = c.classes();
        double[] x = c.array("input").toDoubles();
        double[] y = c.array("target").toDoubles();
        double[] w = c.array("weight").toDoubles();
        double[] logp = new double[n * k];
        double[] p = new double[n * k];
        for (int row = 0; row < n; row++) {
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < k; j++) {
                max = Math.max(max, x[row * k + j]);
            }
            double sum = 0;
            for (int j = 0; j < k; j++) {
                sum += Math.exp(x[row * k + j] - max);
            }
            double lse = max + Math.log(sum);
            for (int j = 0; j < k; j++) {
                logp[row * k + j] = x[row * k + j] - lse;
                p[row * k + j] = Math.exp(logp[row * k + j]);
            }
        }
        Path logpFile = tmp.resolve("logp.npy");
        Path pFile = tmp.resolve("p.npy");
        Npy.write(logpFile, NpyArray.of(logp, n, k));
        Npy.write(pFile, NpyArray.of(p, n, k));
        for (boolean logInput : new boolean[] {true, false}) {
            for (String reduction : List.of("sum", "mean")) {
                Path loss = tmp.resolve("probs-loss.npy");
                Path grad = tmp.resolve("probs-grad.npy");
                List<String> args = new ArrayList<>(List.of("cross-entropy-probs",
                        "--input", (logInput ? logpFile : pFile).toString(),
                        "--target", c.dir().resolve("target.npy").toString(),
                        "--weight", c.dir().resolve("weight.npy").toString(), "--reduction", reduction,
                        "--loss-out", loss.toString(), "--grad-out", grad.toString()));
                if (logInput) {
                    args.add("--log-input");
                }
                Result r = run(args);
                assertEquals(0, r.code(), r.err());
                c.checkReduced(reduction, printedValue(c, r));
                c.checkNone(Npy.read(loss).toDoubles());
                double[] g = Npy.read(grad).toDoubles();
                double scale = reduction.equals("mean") ? 1.0 / n : 1.0;
                for (int i = 0; i < n * k; i++) {
                    double a = w[i % k] * y[i];
                    double expected = -(logInput ? a : a / p[i]) * scale;
                    assertEquals(expected, g[i], 1e-14 * Math.abs(expected), "grad[" + i + "]");
                }
            }
        }
        // Log-probabilities are not probabilities: refused, as binary_cross_entropy refuses them.
        List<String> wrong = List.of("cross-entropy-probs", "--input", logpFile.toString(),
                "--target", c.dir().resolve("target.npy").toString());
        Result r = run(wrong);
        assertEquals(CliException.USAGE, r.code());
        assertEquals(1, r.errLines().size(), r.err());
        assertTrue(r.err().startsWith("xent: "), r.err());
    }

    @Test
    void classIndicesMustBeOnePerRowAndInRange() throws IOException {
        Path t = tmp.resolve("t.npy");
        Npy.write(t, NpyArray.of(new long[64 * 33], 64, 33));
        List<String> a = softCase();
        a.remove(a.indexOf("--label-smoothing") + 1);
        a.remove("--label-smoothing");
        a.set(a.indexOf("--target") + 1, t.toString());
        assertTrue(assertFails(a).contains("--target holds class indices and must have shape (64,)"));
        long[] outOfRange = new long[64];
        outOfRange[5] = 33;
        Npy.write(t, NpyArray.of(outOfRange, 64));
        assertTrue(assertFails(a).contains("33"));
        List<String> soft = softCase("--ignore-index", "0");
        assertTrue(assertFails(soft).contains("--ignore-index applies to class-index targets only"));
    }

    // ---- errors: exit 2, one "xent:" line on stderr, nothing on stdout, no output file ----

    /** Runs a failing command line with outputs into an empty folder and checks the failure contract. */
    private String assertFails(List<String> args) throws IOException {
        Path outs = Files.createDirectories(tmp.resolve("outs"));
        List<String> all = new ArrayList<>(args);
        all.addAll(List.of("--loss-out", outs.resolve("l.npy").toString(), "--grad-out",
                outs.resolve("g.npy").toString()));
        Result r = run(all);
        assertEquals(CliException.USAGE, r.code(), "exit code; stderr: " + r.err());
        assertEquals("", r.out());
        assertEquals(1, r.errLines().size(), "one line on stderr, got: " + r.err());
        assertTrue(r.err().startsWith("xent: "), r.err());
        try (Stream<Path> files = Files.list(outs)) {
            assertEquals(List.of(), files.toList(), "no output may be left behind");
        }
        return r.err().strip();
    }

    private static List<String> softCase(String... extra) {
        List<String> a = commandLine(golden("015_ce_soft_64x33_w-rand_ls0.25_f32"));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void missingFile() throws IOException {
        List<String> a = softCase();
        a.set(a.indexOf("--input") + 1, tmp.resolve("nope.npy").toString());
        String err = assertFails(a);
        assertTrue(err.contains("--input") && err.contains("no such file") && err.contains("nope.npy"), err);
    }

    @Test
    void fortranOrderFile() throws IOException {
        GoldenCase c = golden("015_ce_soft_64x33_w-rand_ls0.25_f32");
        byte[] bytes = Files.readAllBytes(c.dir().resolve("input.npy"));
        String text = new String(bytes, StandardCharsets.ISO_8859_1).replace("'fortran_order': False",
                "'fortran_order': True ");
        Path fortran = tmp.resolve("fortran.npy");
        Files.write(fortran, text.getBytes(StandardCharsets.ISO_8859_1));
        List<String> a = softCase();
        a.set(a.indexOf("--input") + 1, fortran.toString());
        String err = assertFails(a);
        assertTrue(err.contains("Fortran"), err);
    }

    @Test
    void notAnNpyFile() throws IOException {
        Path junk = Files.writeString(tmp.resolve("junk.npy"), "x,y\n1,2\n");
        List<String> a = softCase();
        a.set(a.indexOf("--target") + 1, junk.toString());
        assertTrue(assertFails(a).contains("not a .npy file"));
    }

    @Test
    void shapeMismatch() throws IOException {
        Path y = tmp.resolve("y.npy");
        Npy.write(y, NpyArray.of(new float[64 * 32], 64, 32));
        List<String> a = softCase();
        a.set(a.indexOf("--target") + 1, y.toString());
        String err = assertFails(a);
        assertTrue(err.contains("(64, 33)") && err.contains("(64, 32)"), err);
    }

    @Test
    void weightOfTheWrongLength() throws IOException {
        Path w = tmp.resolve("w.npy");
        Npy.write(w, NpyArray.of(new float[32], 32));
        List<String> a = softCase();
        a.set(a.indexOf("--weight") + 1, w.toString());
        assertTrue(assertFails(a).contains("--weight must have shape (33,)"));
    }

    @Test
    void integerInputIsRefused() throws IOException {
        Path x = tmp.resolve("xi.npy");
        Npy.write(x, NpyArray.of(new long[64 * 33], 64, 33));
        List<String> a = softCase();
        a.set(a.indexOf("--input") + 1, x.toString());
        assertTrue(assertFails(a).contains("float32 or float64"));
    }

    @Test
    void badOptionValues() throws IOException {
        List<String> a = softCase();
        a.set(a.indexOf("--label-smoothing") + 1, "abc");
        assertTrue(assertFails(a).contains("--label-smoothing must be a number, got 'abc'"));
        a.set(a.indexOf("--label-smoothing") + 1, "1.5");
        assertTrue(assertFails(a).contains("--label-smoothing"));
        assertTrue(assertFails(softCase("--reduction", "batchmean")).contains("--reduction must be one of"));
        assertTrue(assertFails(softCase("--reduction", "avg")).contains("got 'avg'"));
    }

    private static List<String> caseWith(String id, String... extra) {
        List<String> a = commandLine(golden(id));
        a.addAll(List.of(extra));
        return a;
    }

    @Test
    void binaryAndDistillationRefusals() throws IOException {
        String kd = "109_kd_5x15_T2_tch-correlated_f32";
        List<String> a = caseWith(kd);
        a.set(a.indexOf("--temperature") + 1, "0");
        assertTrue(assertFails(a).startsWith("xent: --temperature"));
        a.set(a.indexOf("--temperature") + 1, "-2");
        assertTrue(assertFails(a).startsWith("xent: --temperature"));
        assertTrue(assertFails(caseWith(kd, "--reduction", "mean")).contains("batchmean, none, sum"));

        String bce = "075_bce_5x3_w-rand_C_f32";
        Path w = tmp.resolve("w51.npy");
        Npy.write(w, NpyArray.of(new float[5], 5, 1));
        List<String> b = caseWith(bce);
        b.set(b.indexOf("--weight") + 1, w.toString());
        assertTrue(assertFails(b).contains("--weight must have shape (3,) (per class) or (5, 3) (per element)"));
        // Probabilities outside [0, 1] are refused, as by PyTorch.
        List<String> tooBig = new ArrayList<>(caseWith(bce));
        Path x = tmp.resolve("x15.npy");
        Npy.write(x, NpyArray.of(new float[] {0.5f, 1.5f, 0, 1, 0.25f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f, 0.5f,
                0.5f, 0.5f, 0.5f}, 5, 3));
        tooBig.set(tooBig.indexOf("--input") + 1, x.toString());
        assertTrue(assertFails(tooBig).startsWith("xent: --input"));

        List<String> pw = caseWith("088_bce_logits_5x17_pw-rand_f32");
        Path p5 = tmp.resolve("p5.npy");
        Npy.write(p5, NpyArray.of(new float[5], 5));
        pw.set(pw.indexOf("--pos-weight") + 1, p5.toString());
        assertTrue(assertFails(pw).contains("--pos-weight must have shape (17,)"));
        assertTrue(assertFails(caseWith(bce, "--pos-weight", p5.toString())).contains(
                "--pos-weight does not apply to binary-cross-entropy"));
    }

    @Test
    void badOptions() throws IOException {
        assertTrue(assertFails(softCase("--frobnicate", "1")).contains("unknown option --frobnicate"));
        assertTrue(assertFails(softCase("--temperature", "2")).contains("--temperature does not apply to cross-entropy"));
        assertTrue(assertFails(softCase("--reduction")).contains("--reduction needs a value"));
        assertTrue(assertFails(softCase("--reduction", "sum", "--reduction", "mean")).contains("given twice"));
        assertTrue(assertFails(softCase("stray")).contains("unexpected argument 'stray'"));
        List<String> noTarget = softCase();
        int t = noTarget.indexOf("--target");
        noTarget.remove(t + 1);
        noTarget.remove(t);
        assertTrue(assertFails(noTarget).contains("missing --target"));
    }

    @Test
    void outputsMustBeWritablePlacesAndDistinct() {
        Result r = run(softCase("--loss-out", tmp.resolve("no/such/folder/l.npy").toString()));
        assertEquals(CliException.USAGE, r.code());
        assertTrue(r.err().startsWith("xent: --loss-out: the folder of"), r.err());
        Path same = tmp.resolve("same.npy");
        r = run(softCase("--loss-out", same.toString(), "--grad-out", same.toString()));
        assertEquals(CliException.USAGE, r.code());
        assertTrue(r.err().contains("name the same file"), r.err());
        assertTrue(!Files.exists(same));
    }

    @Test
    void commandsAndHelp() {
        Result none = run(List.of());
        assertEquals(CliException.USAGE, none.code());
        assertTrue(none.err().startsWith("xent: missing command"), none.err());
        Result unknown = run(List.of("cross-entropi", "--input", "x.npy"));
        assertEquals(CliException.USAGE, unknown.code());
        assertTrue(unknown.err().startsWith("xent: unknown command 'cross-entropi'"), unknown.err());
        for (List<String> help : List.of(List.of("help"), List.of("--help"), List.of("-h"))) {
            Result r = run(help);
            assertEquals(0, r.code());
            assertEquals("", r.err());
            for (String command : COMMANDS.values()) {
                assertTrue(r.out().contains(command), r.out());
            }
            assertTrue(r.out().contains("--label-smoothing"), r.out());
        }
        Result one = run(List.of("cross-entropy", "--help"));
        assertEquals(0, one.code());
        assertTrue(one.out().startsWith("Usage: xent cross-entropy"), one.out());
        assertTrue(!one.out().contains("--temperature"), "only the command's options: " + one.out());
        assertEquals(one.out(), run(List.of("help", "cross-entropy")).out());
    }

    // ---- the real launcher ----

    /** The repository root: the tests module's parent (or the working folder when run from the root). */
    static Path repositoryRoot() {
        Path here = Path.of("").toAbsolutePath();
        return Files.isRegularFile(here.resolve("xent")) ? here : here.getParent();
    }

    @Test
    void theLauncherPrintsTheValue() throws Exception {
        GoldenCase c = golden("015_ce_soft_64x33_w-rand_ls0.25_f32");
        List<String> args = commandLine(c);
        args.addAll(List.of("--reduction", "sum"));
        for (int i = 0; i < args.size(); i++) {
            if (args.get(i).endsWith(".npy")) {
                args.set(i, Path.of(args.get(i)).toAbsolutePath().toString());
            }
        }
        Path root = repositoryRoot();
        List<String> command = new ArrayList<>();
        command.add("./xent");
        command.addAll(args);
        Path stdout = tmp.resolve("launcher.out");
        Path stderr = tmp.resolve("launcher.err");
        Process p = new ProcessBuilder(command).directory(root.toFile())
                .redirectOutput(stdout.toFile()).redirectError(stderr.toFile()).start();
        // Generous: the launcher rebuilds the jar first when a source is newer than it.
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./xent did not finish in 10 minutes");
        }
        String out = Files.readString(stdout);
        String err = Files.readString(stderr);
        assertEquals(0, p.exitValue(), "exit code; stderr: " + err);
        Result inProcess = run(args);
        assertEquals(inProcess.out(), out, "the launcher prints what Main.run prints");
        c.checkReduced("sum", printedValue(c, new Result(0, out, err)));
        // Neither the provider's INFO line nor the JVM's incubator notice reach the user. (A rebuild announces
        // itself, and a machine without usable vectors warns about the fallback: both are allowed.)
        assertTrue(!err.contains("Using incubator modules") && !err.contains("xent: using ") && !err.contains("INFO"),
                "stderr: " + err);
    }

    @Test
    void failuresOfTheLauncherUseExitCodeTwo() throws Exception {
        Process p = new ProcessBuilder("./xent", "cross-entropy", "--input", "/nonexistent/x.npy", "--target",
                "/nonexistent/y.npy").directory(repositoryRoot().toFile())
                .redirectOutput(tmp.resolve("o").toFile()).redirectError(tmp.resolve("e").toFile()).start();
        if (!p.waitFor(10, TimeUnit.MINUTES)) {
            p.destroyForcibly();
            throw new AssertionError("./xent did not finish in 10 minutes");
        }
        String err = Files.readString(tmp.resolve("e"));
        assertEquals(2, p.exitValue(), err);
        assertEquals("", Files.readString(tmp.resolve("o")));
        String last = err.strip().lines().reduce((a, b) -> b).orElse("");
        assertNotEquals("", last);
        assertTrue(last.startsWith("xent: --input: no such file"), err);
        assertTrue(!err.toLowerCase(Locale.ROOT).contains("exception"), err);
    }
}
