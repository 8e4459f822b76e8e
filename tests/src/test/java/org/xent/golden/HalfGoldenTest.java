package org.xent.golden;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.foreign.Arena;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.DynamicContainer;
import org.junit.jupiter.api.DynamicNode;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.xent.ElementType;
import org.xent.Loss;
import org.xent.Reduction;

/**
 * Every case of the half-precision golden set ({@code tests/golden-half}) through the {@link Loss} API with
 * float16 or bfloat16 input and target views, from each {@link Storage} (heap arrays, native memory, padded rows):
 * the unreduced output and every reduction the case lists (returned in float32), and the gradient of each stored
 * reduction written once in float32 and once in the case's half dtype, each checked with the set's README rule.
 * (The storages are not compared bit for bit with each other: the kernels' lane reductions may add in another
 * order once C2 has compiled them, so two calls on the same values can differ in the last float32 bit.) Guard
 * values around each view must be left alone. Writes the accuracy table to
 * {@code target/golden-half-accuracy.txt}.
 */
class HalfGoldenTest {

    @TestFactory
    Stream<DynamicNode> goldenCases() {
        return GoldenCase.all(GoldenCase.halfRoot()).stream().map(c -> {
            assertTrue(c.isHalf(), c.id() + ": not a float16 / bfloat16 case");
            List<DynamicNode> runs = new ArrayList<>();
            for (Storage s : Storage.values()) {
                runs.add(DynamicTest.dynamicTest(s.name().toLowerCase(java.util.Locale.ROOT), () -> run(c, s)));
            }
            return DynamicContainer.dynamicContainer(c.id(), runs);
        });
    }

    @AfterAll
    static void report() {
        Path file = Path.of("target", "golden-half-accuracy.txt");
        assertTrue(AccuracyLog.report("golden-half", file) > 0, "no accuracy rows recorded");
    }

    private static void run(GoldenCase c, Storage storage) {
        int n = c.rows();
        int k = c.classes();
        ElementType half = c.halfType();
        boolean hard = c.function().equals("cross_entropy_hard");
        boolean elementwise = c.function().equals("binary_cross_entropy_with_logits") || c.function().equals("kl_div");
        try (Arena arena = Arena.ofConfined()) {
            Storage.Region input = storage.matrix(c.halfBits("input"), half, n, k, arena);
            Storage.Region target = hard ? storage.indices(c.array("target").toLongs(), arena)
                    : storage.matrix(c.halfBits("target"), half, n, k, arena);
            List<Storage.Region> all = new ArrayList<>(List.of(input, target));

            Storage.Region none = unreduced(storage, elementwise, n, k, arena);
            all.add(none);
            double sum = GoldenLosses.of(c, Reduction.NONE).forward(input.view, target.view, none.view);
            c.checkNone(none.values());
            c.checkReduced("sum", sum); // with NONE the value returned is the sum of the unreduced losses
            for (String r : c.reducedOrder()) {
                double value = GoldenLosses.of(c, GoldenLosses.reduction(r)).forward(input.view, target.view);
                c.checkReduced(r, value);
            }
            for (String r : c.gradReductions()) {
                Loss loss = GoldenLosses.of(c, GoldenLosses.reduction(r));
                // (a) float32 gradient, with the unreduced losses of the same call
                Storage.Region g32 = storage.matrix(ElementType.FLOAT32, n, k, arena);
                Storage.Region rows = unreduced(storage, elementwise, n, k, arena);
                all.addAll(List.of(g32, rows));
                double value = loss.forwardBackward(input.view, target.view, rows.view, g32.view);
                c.checkReduced(r, value);
                c.checkNone(rows.values());
                c.checkGrad(r, g32.values());
                // (b) the gradient in the input's half dtype
                Storage.Region g16 = storage.matrix(half, n, k, arena);
                all.add(g16);
                double value16 = loss.forwardBackward(input.view, target.view, null, g16.view);
                c.checkReduced(r, value16);
                c.checkGradHalf(r, g16.bits());
            }
            for (Storage.Region region : all) {
                region.assertGuardsIntact(c.id() + " " + storage);
            }
        }
    }

    /** The view for the unreduced losses: N x C for the element-wise losses, else a vector of N. */
    private static Storage.Region unreduced(Storage storage, boolean elementwise, int n, int k, Arena arena) {
        return elementwise ? storage.matrix(ElementType.FLOAT32, n, k, arena)
                : storage.vector(ElementType.FLOAT32, n, arena);
    }
}
