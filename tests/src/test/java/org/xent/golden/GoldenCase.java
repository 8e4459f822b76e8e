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
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * One PyTorch-generated golden case (a folder of {@code tests/golden/cases}; see {@code tests/golden/README.md}).
 *
 * <p>The {@code check...} methods compare a result with the float64 expectation (or with the {@code limit_*}
 * values where the case has them: our masked-class rule), using the case's own tolerance
 * (|a - e| <= atol + rtol |e|, NaN exactly where expected, infinities equal), and record our error next to
 * PyTorch's float32 error in {@link AccuracyLog}. In float32 cases they also fail when our max absolute error
 * is more than twice PyTorch's plus a floor of a few float32 ulps of the output's magnitude (for outputs that
 * PyTorch gets exactly).
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
        String configured = System.getProperty("xent.golden.dir");
        Path p = configured != null ? Path.of(configured) : Path.of("golden");
        if (!Files.isDirectory(p.resolve("cases")) && Files.isDirectory(Path.of("tests", "golden", "cases"))) {
            p = Path.of("tests", "golden");
        }
        return p;
    }

    /** Every case of a function (e.g. {@code cross_entropy_soft}), in id order; fails if there are none. */
    public static List<GoldenCase> all(String function) {
        List<GoldenCase> out = new ArrayList<>();
        try (var dirs = Files.list(root().resolve("cases"))) {
            for (Path d : dirs.sorted().toList()) {
                GoldenCase c = new GoldenCase(d);
                if (c.function().equals(function)) {
                    out.add(c);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list golden cases under " + root().toAbsolutePath(), e);
        }
        assertTrue(!out.isEmpty(), "no golden cases for " + function + " under " + root().toAbsolutePath());
        return out;
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

    /** Whether {@link #checkGrad} can check this reduction's gradient. */
    public boolean hasGrad(String reduction) {
        return has("expected_grad_" + reduction);
    }

    @SuppressWarnings("unchecked")
    private double torchMaxAbs(String output) {
        Map<String, Object> err = (Map<String, Object>) json.get("torch_f32_error");
        if (err == null) {
            return Double.NaN;
        }
        Object o = err.get(output);
        if (o == null && err.get("reduced") instanceof Map<?, ?> reduced) {
            o = reduced.get(output);
        }
        if (!(o instanceof Map<?, ?> m) || !(m.get("max_abs") instanceof Double d)) {
            return Double.NaN;
        }
        return d;
    }

    @SuppressWarnings("unchecked")
    private void check(String output, double[] expected, double[] actual, boolean limit, double torchMaxAbs) {
        Map<String, Object> tol = (Map<String, Object>) ((Map<String, Object>) json.get("tolerance")).get(output);
        assertTrue(tol != null, id() + ": no tolerance for " + output);
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
        boolean compareTorch = isFloat32() && !limit && !Double.isNaN(torchMaxAbs);
        double bound = compareTorch ? 2 * torchMaxAbs + ULP_FLOOR * Math.ulp((float) maxExpected) : Double.NaN;
        AccuracyLog.record(function(), id(), output, maxAbs, maxExpected, torchMaxAbs, limit);
        if (compareTorch && !(maxAbs <= bound)) {
            fail(id() + " " + output + ": max error " + maxAbs + " exceeds twice PyTorch's float32 error "
                    + torchMaxAbs + " plus " + ULP_FLOOR + " ulp (bound " + bound + ")");
        }
    }
}
