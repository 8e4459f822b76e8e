package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;
import org.junit.jupiter.api.io.TempDir;
import org.xent.ElementType;
import org.xent.golden.GoldenCase;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * Every case of the half-precision golden set through the command line, in-process ({@link Main#run}), as the
 * set's README describes: {@code --bfloat16} for bfloat16 cases, each reduction the case lists, the printed value
 * and {@code --loss-out} checked with the float32 rule, {@code --grad-out} in the input's dtype ({@code <f2}, or
 * {@code <u2} bfloat16 bits) with the half rule and, with {@code --grad-dtype float32}, as {@code <f4} with the
 * float32 rule. Then the same through mapped input files, and the refusals specific to 16-bit files.
 */
class CliHalfGoldenTest {

    @TempDir
    Path tmp;

    @TestFactory
    Stream<DynamicTest> halfGoldenCasesThroughTheCommandLine() {
        List<DynamicTest> tests = new ArrayList<>();
        for (GoldenCase c : GoldenCase.all(GoldenCase.halfRoot())) {
            @SuppressWarnings("unchecked")
            List<String> reductions = (List<String>) c.params().get("reductions");
            for (String reduction : reductions) {
                tests.add(DynamicTest.dynamicTest(c.id() + " " + reduction, () -> check(c, reduction)));
            }
        }
        return tests.stream();
    }

    /** The case's command line, with --bfloat16 for a bfloat16 case. */
    private static List<String> commandLine(GoldenCase c) {
        List<String> a = CliGoldenTest.commandLine(c);
        if (c.halfType() == ElementType.BFLOAT16) {
            a.add("--bfloat16");
        }
        return a;
    }

    private void check(GoldenCase c, String reduction) throws IOException {
        String reduced = reduction.equals("none") ? "sum" : reduction; // none prints, and differentiates, the sum
        Path loss = tmp.resolve(c.id() + "-" + reduction + "-loss.npy");
        Path grad = tmp.resolve(c.id() + "-" + reduction + "-grad.npy");
        List<String> args = commandLine(c);
        args.addAll(List.of("--reduction", reduction, "--loss-out", loss.toString(), "--grad-out", grad.toString()));
        CliGoldenTest.Result r = CliGoldenTest.run(args);
        assertEquals(0, r.code(), "exit code; stderr: " + r.err());
        assertEquals("", r.err());
        c.checkReduced(reduced, CliGoldenTest.printedValue(c, r));

        NpyArray lossArray = Npy.read(loss);
        assertEquals(NpyArray.DType.FLOAT32, lossArray.dtype(), "--loss-out is float32 for half inputs");
        c.checkNone(lossArray.toDoubles());

        NpyArray half = Npy.read(grad);
        NpyArray.DType halfDtype = c.halfType() == ElementType.BFLOAT16 ? NpyArray.DType.UINT16 : NpyArray.DType.FLOAT16;
        assertEquals(halfDtype, half.dtype(), "--grad-out is in the input's storage type");
        assertArrayEquals(c.array("input").shape(), half.shape());

        // the float32 gradient, asked for with --grad-dtype float32; the printed value does not change
        Path grad32 = tmp.resolve(c.id() + "-" + reduction + "-grad32.npy");
        List<String> args32 = commandLine(c);
        args32.addAll(List.of("--reduction", reduction, "--grad-out", grad32.toString(), "--grad-dtype", "float32"));
        CliGoldenTest.Result r32 = CliGoldenTest.run(args32);
        assertEquals(0, r32.code(), "exit code; stderr: " + r32.err());
        c.checkReduced(reduced, CliGoldenTest.printedValue(c, r32));
        NpyArray full = Npy.read(grad32);
        assertEquals(NpyArray.DType.FLOAT32, full.dtype());
        assertArrayEquals(c.array("input").shape(), full.shape());

        double[] g = full.toDoubles();
        short[] h = half.toShorts();
        if (c.hasGrad(reduced)) {
            c.checkGrad(reduced, g);
            c.checkGradHalf(reduced, h);
        } else if (c.function().equals("kl_div")) {
            // kl_div stores no gradient of its element-wise mean: it is the sum's divided by N * C (not a power
            // of two here, so only the float32 gradient is scaled back and checked)
            assertEquals("mean", reduced, "which gradient is missing");
            scale(g, (double) c.rows() * c.classes());
            c.checkGrad("sum", g);
        } else {
            // cases with very many classes store only the mean-type gradient; the sum's is it times the
            // denominator, a power of two here, so dividing the half values by it is exact
            String mean = c.gradReductions().getFirst();
            double denominator = c.denominator(mean);
            assertEquals(0, Double.doubleToLongBits(denominator) & 0x000FFFFFFFFFFFFFL, "a power of two");
            scale(g, 1 / denominator);
            c.checkGrad(mean, g);
            for (int i = 0; i < h.length; i++) {
                h[i] = halfBits(c, c.halfValue(h[i]) / denominator);
            }
            c.checkGradHalf(mean, h);
        }
    }

    private static void scale(double[] g, double factor) {
        for (int i = 0; i < g.length; i++) {
            g[i] *= factor;
        }
    }

    private static short halfBits(GoldenCase c, double exact) {
        return c.halfType() == ElementType.BFLOAT16 ? org.xent.internal.HalfFloats.floatToBfloat16((float) exact)
                : Float.floatToFloat16((float) exact);
    }

    // ---- mapped inputs, and the refusals of 16-bit files ----

    @Test
    void mappedInputsGiveTheSameOutputs() throws IOException {
        GoldenCase c = halfCase("075_bce_logits_17x31_w-rand_C_pw-rand_bf16");
        Path heap = tmp.resolve("heap.npy");
        Path mapped = tmp.resolve("mapped.npy");
        List<String> args = commandLine(c);
        args.addAll(List.of("--reduction", "sum"));
        CliGoldenTest.Result inArrays = CliGoldenTest.run(withGrad(args, heap));
        String old = System.getProperty("xent.io.mapAbove");
        System.setProperty("xent.io.mapAbove", "0"); // every input file is mapped, not read
        CliGoldenTest.Result inMappings;
        try {
            assertTrue(!Npy.read(c.dir().resolve("input.npy")).hasArray(), "the property must make Npy map");
            inMappings = CliGoldenTest.run(withGrad(args, mapped));
        } finally {
            if (old == null) {
                System.clearProperty("xent.io.mapAbove");
            } else {
                System.setProperty("xent.io.mapAbove", old);
            }
        }
        assertEquals(0, inMappings.code(), inMappings.err());
        c.checkReduced("sum", CliGoldenTest.printedValue(c, inMappings));
        c.checkGradHalf("sum", Npy.read(mapped).toShorts());
        assertEquals(0, inArrays.code(), inArrays.err());
        c.checkGradHalf("sum", Npy.read(heap).toShorts());
    }

    private static List<String> withGrad(List<String> args, Path grad) {
        List<String> a = new ArrayList<>(args);
        a.addAll(List.of("--grad-out", grad.toString()));
        return a;
    }

    @Test
    void sixteenBitIntegersNeedTheBfloat16Flag() throws IOException {
        GoldenCase c = halfCase("003_ce_soft_17x2_bf16");
        List<String> args = CliGoldenTest.commandLine(c); // no --bfloat16
        CliGoldenTest.Result r = CliGoldenTest.run(args);
        assertEquals(CliException.USAGE, r.code());
        assertTrue(r.err().startsWith("xent: --input must hold float16, float32 or float64 values")
                && r.err().contains("--bfloat16") && r.err().contains("uint16"), r.err());
        // float16 files need no flag, and --bfloat16 does not change how they are read
        GoldenCase f16 = halfCase("002_ce_soft_3x2_w-rand_f16");
        List<String> withFlag = CliGoldenTest.commandLine(f16);
        withFlag.addAll(List.of("--bfloat16", "--reduction", "sum"));
        CliGoldenTest.Result ok = CliGoldenTest.run(withFlag);
        assertEquals(0, ok.code(), ok.err());
        f16.checkReduced("sum", CliGoldenTest.printedValue(f16, ok));
    }

    @Test
    void gradDtypeIsInputOrFloat32() throws IOException {
        GoldenCase c = halfCase("002_ce_soft_3x2_w-rand_f16");
        Path outs = Files.createDirectories(tmp.resolve("outs"));
        List<String> args = CliGoldenTest.commandLine(c);
        args.addAll(List.of("--grad-out", outs.resolve("g.npy").toString(), "--grad-dtype", "float64"));
        CliGoldenTest.Result r = CliGoldenTest.run(args);
        assertEquals(CliException.USAGE, r.code());
        assertEquals("xent: --grad-dtype must be input or float32, got 'float64'", r.err().strip());
        try (Stream<Path> files = Files.list(outs)) {
            assertEquals(List.of(), files.toList(), "no output may be left behind");
        }
    }

    private static GoldenCase halfCase(String id) {
        return GoldenCase.all(GoldenCase.halfRoot()).stream().filter(c -> c.id().equals(id)).findFirst()
                .orElseThrow(() -> new AssertionError("no half golden case " + id));
    }
}
