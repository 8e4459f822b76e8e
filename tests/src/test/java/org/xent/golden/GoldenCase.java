package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.xent.ElementType;
import org.xent.internal.HalfFloats;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * One PyTorch-generated golden case (a folder of {@code tests/golden/cases}, or of {@code tests/golden-half/cases}
 * for the half-precision set; see the README.md of each).
 *
 * <p>The {@code check...} methods compare a result with the float64 expectation (or with the {@code limit_*}
 * values where the case has them: our masked-class rule), using the case's own tolerance
 * (|a - e| <= atol + rtol |e|, NaN exactly where expected, infinities equal), and record our error next to
 * PyTorch's float32 error in {@link AccuracyLog}. In float32 cases, and in half cases (whose inputs PyTorch's
 * float32 anchor reads exactly as we do, upcast to float32), they also fail when our max absolute error is more than
 * twice PyTorch's plus a floor of a few float32 ulps of the output's magnitude (for outputs that PyTorch gets
 * exactly). In half cases the record also carries the error of PyTorch computing in the half dtype.
 */
public final class GoldenCase {

    /** Ulps of the output's largest magnitude allowed on top of twice PyTorch's error. */
    static final double ULP_FLOOR = 2;

    private final Path dir;
    private final Map<String, Object> json;

    private GoldenCase(Path dir) {
        this.dir = dir;
        try {
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) MiniJson.parse(Files.readString(dir.resolve("case.json")));
            this.json = m;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The golden folder: {@code -Dxent.golden.dir}, else {@code golden/} of the tests module. */
    public static Path root() {
        return folder("xent.golden.dir", "golden");
    }

    /** The half-precision golden folder: {@code -Dxent.golden.half.dir}, else {@code golden-half/} of the tests module. */
    public static Path halfRoot() {
        return folder("xent.golden.half.dir", "golden-half");
    }

    private static Path folder(String property, String name) {
        String configured = System.getProperty(property);
        Path p = configured != null ? Path.of(configured) : Path.of(name);
        if (!Files.isDirectory(p.resolve("cases")) && Files.isDirectory(Path.of("tests", name, "cases"))) {
            p = Path.of("tests", name);
        }
        return p;
    }

    /** Every case of a function (e.g. {@code cross_entropy_soft}) of the float32 set, in id order; fails if none. */
    public static List<GoldenCase> all(String function) {
        List<GoldenCase> out = new ArrayList<>();
        for (GoldenCase c : all(root())) {
            if (c.function().equals(function)) {
                out.add(c);
            }
        }
        assertTrue(!out.isEmpty(), "no golden cases for " + function + " under " + root().toAbsolutePath());
        return out;
    }

    /** Every case of the set in {@code root}, in id order; fails if there are none. */
    public static List<GoldenCase> all(Path root) {
        List<GoldenCase> out = new ArrayList<>();
        try (var dirs = Files.list(root.resolve("cases"))) {
            for (Path d : dirs.sorted().toList()) {
                out.add(new GoldenCase(d));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list golden cases under " + root.toAbsolutePath(), e);
        }
        assertTrue(!out.isEmpty(), "no golden cases under " + root.toAbsolutePath());
        return out;
    }

    /** The set the case belongs to, for {@link AccuracyLog}: {@code golden-half} or {@code golden}. */
    public String set() {
        return isHalf() ? "golden-half" : AccuracyLog.FLOAT_SET;
    }

    public String id() {
        return (String) json.get("id");
    }

    public String function() {
        return (String) json.get("function");
    }

    public boolean isFloat32() {
        return "float32".equals(json.get("dtype"));
    }

    /** Whether the inputs are stored in float16 or bfloat16 (the half set). */
    public boolean isHalf() {
        return halfType() != null;
    }

    /** The view type of the case's half inputs: {@link ElementType#FLOAT16} or {@link ElementType#BFLOAT16}; else null. */
    public ElementType halfType() {
        Object dtype = json.get("dtype");
        return "float16".equals(dtype) ? ElementType.FLOAT16 : "bfloat16".equals(dtype) ? ElementType.BFLOAT16 : null;
    }

    /** A half case's 16-bit array ({@code input}, {@code target}, {@code expected_grad_sum_rounded}) as its bits. */
    public short[] halfBits(String name) {
        NpyArray a = array(name);
        assertTrue(a != null, id() + ": no " + name + ".npy");
        return a.toShorts();
    }

    /** The value of 16-bit {@code bits} of the case's half type (exact). */
    public double halfValue(short bits) {
        return halfType() == ElementType.BFLOAT16 ? HalfFloats.bfloat16ToFloat(bits) : Float.float16ToFloat(bits);
    }

    public int rows() {
        return ((Double) json.get("N")).intValue();
    }

    public int classes() {
        return ((Double) json.get("C")).intValue();
    }

    @SuppressWarnings("unchecked")
    public Map<String, Object> params() {
        return (Map<String, Object>) json.get("params");
    }

    public double doubleParam(String name, double absent) {
        Object v = params().get(name);
        return v == null ? absent : ((Double) v);
    }

    public boolean boolParam(String name) {
        return Boolean.TRUE.equals(params().get(name));
    }

    @SuppressWarnings("unchecked")
    public List<String> reducedOrder() {
        return (List<String>) params().get("reduced_order");
    }

    @SuppressWarnings("unchecked")
    public List<String> gradReductions() {
        return (List<String>) params().get("grad_reductions");
    }

    /** The divisor of a reduction ({@code denominators} in case.json: 1 for sum). */
    @SuppressWarnings("unchecked")
    public double denominator(String reduction) {
        return (Double) ((Map<String, Object>) json.get("denominators")).get(reduction);
    }

    /** Whether the case holds {@code name.npy}. */
    public boolean has(String name) {
        return Files.exists(dir.resolve(name + ".npy"));
    }

    /** The folder of the case's files. */
    public Path dir() {
        return dir;
    }

    /** {@code name.npy} of the case ({@code input}, {@code target}, {@code weight}, {@code pos_weight}, ...), or null. */
    public NpyArray array(String name) {
        Path f = dir.resolve(name + ".npy");
        if (!Files.exists(f)) {
            return null;
        }
        try {
            return Npy.read(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Checks the unreduced loss. */
    public void checkNone(double[] actual) {
        String source = has("limit_none") ? "limit_none" : "expected_none";
        check("none", array(source).toDoubles(), actual, source.startsWith("limit"), torchMaxAbs("none"));
    }

    /** Checks one reduced value ({@code sum}, {@code mean}, {@code batchmean}). */
    public void checkReduced(String reduction, double actual) {
        int k = reducedOrder().indexOf(reduction);
        assertTrue(k >= 0, id() + ": no reduction " + reduction + " in " + reducedOrder());
        String source = has("limit_reduced") ? "limit_reduced" : "expected_reduced";
        double expected = array(source).toDoubles()[k];
        check(reduction, new double[] {expected}, new double[] {actual}, source.startsWith("limit"),
                torchMaxAbs(reduction));
    }

    /**
     * Checks the gradient of the loss reduced with {@code reduction}. Cases with very many classes store only
     * the mean-type gradient; the sum gradient is then checked as it times the denominator.
     */
    public void checkGrad(String reduction, double[] actual) {
        if (has("expected_grad_" + reduction)) {
            check("grad_" + reduction, array("expected_grad_" + reduction).toDoubles(), actual, false,
                    torchMaxAbs("grad_" + reduction));
        }
    }

    /**
     * Checks a gradient written in the case's half dtype, as {@code bits}, with the half set's rule
     * ({@code tolerance.grad_<r>_half}): for finite e of {@code expected_grad_<r>}, |a - e| <= ulps * ulp_half(e)
     * + atol; NaN exactly where expected, infinities equal. It also compares with
     * {@code expected_grad_<r>_rounded} (e correctly rounded to the half dtype), which a value rounded from a
     * float32 result within the float32 tolerance must match within 1 ulp of the half dtype (plus the rule's atol,
     * for entries below the float32 absolute tolerance). Records our max ulps next to PyTorch's.
     */
    public void checkGradHalf(String reduction, short[] bits) {
        String output = "grad_" + reduction;
        if (!has("expected_" + output)) {
            return;
        }
        Map<String, Object> tol = tolerance(output + "_half");
        double ulps = (Double) tol.get("ulps");
        double atol = (Double) tol.get("atol");
        HalfUlp ulp = new HalfUlp(((Double) tol.get("precision_bits")).intValue(),
                ((Double) tol.get("min_normal_exponent")).intValue(), ((Double) tol.get("max_exponent")).intValue());
        double[] expected = array("expected_" + output).toDoubles();
        short[] rounded = halfBits("expected_" + output + "_rounded");
        if (bits.length != expected.length) {
            fail(id() + " " + output + "_half: " + bits.length + " values, expected " + expected.length);
        }
        double maxUlps = 0;
        double maxExpected = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = halfValue(bits[i]);
            String where = id() + " " + output + "_half[" + i + "]: ";
            if (Double.isNaN(e) || Double.isInfinite(e)) {
                if (Double.isNaN(e) ? !Double.isNaN(a) : a != e) {
                    fail(where + "expected " + e + ", got " + a);
                }
                continue;
            }
            double err = Math.abs(a - e);
            if (!(err <= ulps * ulp.of(e) + atol)) {
                fail(where + "expected " + e + ", got " + a + " (|error| " + err + " = " + err / ulp.of(e)
                        + " ulp > " + ulps + " ulp + atol " + atol + ")");
            }
            double r = halfValue(rounded[i]);
            if (!(Math.abs(a - r) <= ulp.of(r) + atol)) {
                fail(where + "the correctly rounded expectation is " + r + ", got " + a + " ("
                        + Math.abs(a - r) / ulp.of(r) + " ulp apart)");
            }
            maxUlps = Math.max(maxUlps, err / ulp.of(e));
            maxExpected = Math.max(maxExpected, Math.abs(e));
        }
        AccuracyLog.record(set(), function(), id(), output + "_half[ulp]", maxUlps, maxExpected,
                (Double) tol.get("torch_f32_rounded_max_ulps"), torchHalfError(output, "max_ulps_half"), false);
    }

    /** ulp_half(e) = 2^(E - p + 1), E = floor(log2 |e|) clamped to [emin, emax]; E = emin below the normals. */
    private record HalfUlp(int precision, int minExponent, int maxExponent) {
        double of(double e) {
            int exponent = e == 0 ? minExponent : Math.max(minExponent, Math.min(maxExponent, Math.getExponent(e)));
            return Math.scalb(1.0, exponent - precision + 1);
        }
    }

    @SuppressWarnings("unchecked")
    private Map<String, Object> tolerance(String output) {
        Map<String, Object> tol = (Map<String, Object>) ((Map<String, Object>) json.get("tolerance")).get(output);
        assertTrue(tol != null, id() + ": no tolerance for " + output);
        return tol;
    }

    /** Whether {@link #checkGrad} can check this reduction's gradient. */
    public boolean hasGrad(String reduction) {
        return has("expected_grad_" + reduction);
    }

    /** PyTorch's float32 max |error| on {@code output}, or NaN. */
    private double torchMaxAbs(String output) {
        return errorField("torch_f32_error", output, "max_abs");
    }

    /**
     * The half-precision anchor's (PyTorch computing in bfloat16, or float16 where it can) error field on
     * {@code output}, or NaN where the case has no such anchor.
     */
    double torchHalfError(String output, String field) {
        if (!(json.get("torch_half") instanceof Map<?, ?> anchor)) {
            return Double.NaN;
        }
        return errorField(anchor.get("prefix") + "_error", output, field);
    }

    @SuppressWarnings("unchecked")
    private double errorField(String record, String output, String field) {
        Map<String, Object> err = (Map<String, Object>) json.get(record);
        if (err == null) {
            return Double.NaN;
        }
        Object o = err.get(output);
        if (o == null && err.get("reduced") instanceof Map<?, ?> reduced) {
            o = reduced.get(output);
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get(field) instanceof Double d)) {
            return Double.NaN;
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private void check(String output, double[] expected, double[] actual, boolean limit, double torchMaxAbs) {
        Map<String, Object> tol = tolerance(output);
        double atol = (Double) tol.get("atol");
        double rtol = (Double) tol.get("rtol");
        if (expected.length != actual.length) {
            fail(id() + " " + output + ": " + actual.length + " values, expected " + expected.length);
        }
        double maxAbs = 0;
        double maxExpected = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e)) {
                if (!Double.isNaN(a)) {
                    fail(id() + " " + output + "[" + i + "]: expected NaN, got " + a);
                }
            } else if (Double.isInfinite(e)) {
                if (a != e) {
                    fail(id() + " " + output + "[" + i + "]: expected " + e + ", got " + a);
                }
            } else {
                double err = Math.abs(a - e);
                if (!(err <= atol + rtol * Math.abs(e))) {
                    fail(id() + " " + output + "[" + i + "]: expected " + e + ", got " + a + " (|error| " + err
                            + " > atol " + atol + " + rtol " + rtol + " * |e|)");
                }
                maxAbs = Math.max(maxAbs, err);
                maxExpected = Math.max(maxExpected, Math.abs(e));
            }
        }
        boolean compareTorch = (isFloat32() || isHalf()) && !limit && !Double.isNaN(torchMaxAbs);
        double bound = compareTorch ? 2 * torchMaxAbs + ULP_FLOOR * Math.ulp((float) maxExpected) : Double.NaN;
        AccuracyLog.record(set(), function(), id(), output, maxAbs, maxExpected, torchMaxAbs,
                limit ? Double.NaN : torchHalfError(output, "max_abs"), limit);
        if (compareTorch && !(maxAbs <= bound)) {
            fail(id() + " " + output + ": max error " + maxAbs + " exceeds twice PyTorch's float32 error "
                    + torchMaxAbs + " plus " + ULP_FLOOR + " ulp (bound " + bound + ")");
        }
    }
}
