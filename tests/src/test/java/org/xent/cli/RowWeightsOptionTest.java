package org.xent.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.xent.io.Npy;
import org.xent.io.NpyArray;

/**
 * {@code --row-weights}: a 0/1 mask through the command line gives what the library gives for the batch of the kept
 * rows (printed loss and the kept rows' gradient, the masked rows' gradient 0), and bad weight files are rejected
 * naming the option.
 */
class RowWeightsOptionTest {

    @TempDir
    Path dir;

    @Test
    void aMaskGivesTheKeptRowsLossAndZeroGradientElsewhere() throws IOException {
        final int n = 12;
        final int c = 50;
        SplittableRandom rnd = new SplittableRandom(4);
        float[] x = new float[n * c];
        float[] t = new float[n * c];
        float[] mask = new float[n];
        List<Integer> kept = new ArrayList<>();
        for (int r = 0; r < n; r++) {
            mask[r] = r % 3 == 2 ? 0 : 1;
            if (mask[r] == 1) {
                kept.add(r);
            }
            for (int k = 0; k < c; k++) {
                x[r * c + k] = mask[r] == 0 ? Float.NaN : (float) (3 * rnd.nextGaussian());
                t[r * c + k] = (float) rnd.nextDouble();
            }
        }
        float[] xk = new float[kept.size() * c];
        float[] tk = new float[kept.size() * c];
        for (int i = 0; i < kept.size(); i++) {
            System.arraycopy(x, kept.get(i) * c, xk, i * c, c);
            System.arraycopy(t, kept.get(i) * c, tk, i * c, c);
        }
        Npy.write(dir.resolve("x.npy"), NpyArray.of(x, n, c));
        Npy.write(dir.resolve("t.npy"), NpyArray.of(t, n, c));
        Npy.write(dir.resolve("w.npy"), NpyArray.of(mask, n));
        Npy.write(dir.resolve("xk.npy"), NpyArray.of(xk, kept.size(), c));
        Npy.write(dir.resolve("tk.npy"), NpyArray.of(tk, kept.size(), c));
        for (String command : new String[] {"distillation", "cross-entropy"}) {
            CliGoldenTest.Result masked = CliGoldenTest.run(List.of(command, "--input", path("x.npy"), "--target",
                    path("t.npy"), "--row-weights", path("w.npy"), "--grad-out", path("g.npy")));
            CliGoldenTest.Result compact = CliGoldenTest.run(List.of(command, "--input", path("xk.npy"), "--target",
                    path("tk.npy"), "--grad-out", path("gk.npy")));
            assertEquals(0, masked.code(), masked.err());
            assertEquals(0, compact.code(), compact.err());
            double a = Double.parseDouble(masked.out().strip());
            double b = Double.parseDouble(compact.out().strip());
            // the same row losses, added in another grouping (runs of kept rows): float32 rounding only
            assertEquals(b, a, 4.8e-7 * Math.abs(b), command + ": loss with the mask against the kept rows'");
            float[] g = Npy.read(dir.resolve("g.npy")).toFloats();
            float[] gk = Npy.read(dir.resolve("gk.npy")).toFloats();
            for (int r = 0, i = 0; r < n; r++) {
                float[] row = java.util.Arrays.copyOfRange(g, r * c, (r + 1) * c);
                if (mask[r] == 0) {
                    assertArrayEquals(new float[c], row, command + ": masked row " + r);
                } else {
                    assertArrayEquals(java.util.Arrays.copyOfRange(gk, i * c, (i + 1) * c), row,
                            command + ": kept row " + r);
                    i++;
                }
            }
        }
    }

    @Test
    void badRowWeightFilesAreRejectedNamingTheOption() throws IOException {
        Npy.write(dir.resolve("x.npy"), NpyArray.of(new float[6], 2, 3));
        Npy.write(dir.resolve("t.npy"), NpyArray.of(new float[] {1, 0, 0, 0, 1, 0}, 2, 3));
        Npy.write(dir.resolve("short.npy"), NpyArray.of(new float[] {1}, 1));
        Npy.write(dir.resolve("negative.npy"), NpyArray.of(new float[] {1, -2}, 2));
        Npy.write(dir.resolve("ints.npy"), NpyArray.of(new int[] {1, 1}, 2));
        String[][] cases = {{"short.npy", "shape (2,)"}, {"negative.npy", "-2.0"}, {"ints.npy", "floating-point"}};
        for (String[] k : cases) {
            CliGoldenTest.Result r = CliGoldenTest.run(List.of("cross-entropy", "--input", path("x.npy"), "--target",
                    path("t.npy"), "--row-weights", path(k[0]), "--grad-out", path("g-" + k[0])));
            assertEquals(2, r.code(), k[0] + ": " + r.out() + r.err());
            assertTrue(r.err().contains("--row-weights") && r.err().contains(k[1]), k[0] + ": " + r.err());
            assertTrue(!Files.exists(dir.resolve("g-" + k[0])), k[0] + ": an output was written");
        }
    }

    private String path(String name) {
        return dir.resolve(name).toString();
    }
}
